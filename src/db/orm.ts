import { Migrator } from '@mikro-orm/migrations';
import { AuditTrail } from '../audit/audit-trail';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations';
import { EnterpriseGuard } from '../policy/enterprise-scope';
import { JurisdictionGuard } from '../policy/jurisdiction';
import { SUBGRAPHS } from '../subgraphs';

export function ormOptions(clientUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities: SUBGRAPHS.flatMap((s) => s.entities),
    subscribers: [new JurisdictionGuard(), new EnterpriseGuard(), new AuditTrail()],
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false },
    discovery: { warnWhenNoEntities: true },
    // Each request forks its own entity manager; the global one must never hold state.
    allowGlobalContext: false,
    pool: { min: 0, max: 20 },
    driverOptions: {
      // A request waits at most this long for a connection: when the database is down it gets a
      // clear error instead of hanging (src/errors.ts maps it to SERVICE_UNAVAILABLE).
      acquireConnectionTimeout: 5_000,
      connection: { connectionTimeoutMillis: 3_000 },
    },
    ...overrides,
  });
}

export function openOrm(clientUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl, overrides));
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
