import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { migrations as referenceMigrations } from '../../migrations/reference';
import { AuditTrail } from '../audit/audit-trail';
import { DEFAULT_POOL_SIZE } from '../config';
import { FeedSignal, outboxEntity } from '../events/feed';
import { EnterpriseGuard } from '../policy/enterprise-scope';
import { JurisdictionGuard } from '../policy/jurisdiction';
import { RegionSchema } from '../regions/region.entity';
import type { SubgraphDefinition } from '../subgraphs/subgraph';

const driverOptions = {
  // A request waits at most this long for a connection: when the database is down it gets a
  // clear error instead of hanging (src/errors.ts maps it to SERVICE_UNAVAILABLE).
  acquireConnectionTimeout: 5_000,
  connection: { connectionTimeoutMillis: 3_000 },
};

/**
 * One subgraph's ORM: its own entities (and the shared region reference, read-only) on its own
 * database, connected as its own role. Writes are checked for jurisdiction and enterprise at
 * flush, recorded in the subgraph's own audit chain, and wake readers of its feeds at commit.
 */
export function subgraphOrmOptions(def: SubgraphDefinition, clientUrl: string, overrides: Partial<Options> = {}) {
  const signal = new FeedSignal();
  const options = defineConfig({
    clientUrl,
    entities: [...def.entities, RegionSchema, outboxEntity(def.schema)],
    subscribers: [new JurisdictionGuard(), new EnterpriseGuard(), new AuditTrail(def.schema), signal],
    extensions: [Migrator],
    migrations: {
      migrationsList: def.migrations,
      tableName: `${def.schema}.mikro_orm_migrations`,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    discovery: { warnWhenNoEntities: true },
    // Each request forks its own entity manager; the global one must never hold state.
    allowGlobalContext: false,
    // MikroORM finds a transaction's entity manager by this name (async local storage): each
    // subgraph its own, or a subgraph asked by another inside that one's transaction would
    // run on the asker's.
    contextName: def.name,
    pool: { min: 0, max: DEFAULT_POOL_SIZE },
    driverOptions,
    ...overrides,
  });
  return { options, signal };
}

export async function openSubgraphOrm(
  def: SubgraphDefinition,
  clientUrl: string,
  overrides: Partial<Options> = {},
): Promise<{ orm: MikroORM; signal: FeedSignal }> {
  const { options, signal } = subgraphOrmOptions(def, clientUrl, overrides);
  return { orm: await MikroORM.init(options), signal };
}

/** The reference schema's ORM, for provisioning a database: connected as its administrator. */
export function openReferenceOrm(clientUrl: string): Promise<MikroORM> {
  return MikroORM.init(
    defineConfig({
      clientUrl,
      entities: [RegionSchema],
      extensions: [Migrator],
      migrations: {
        migrationsList: referenceMigrations,
        tableName: 'reference.mikro_orm_migrations',
        transactional: true,
        allOrNothing: true,
        snapshot: false,
      },
      allowGlobalContext: false,
      pool: { min: 0, max: 2 },
      driverOptions,
      debug: false,
      logger: () => undefined,
    }),
  );
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
