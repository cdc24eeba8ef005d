import { createHmac } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { Logger } from 'pino';
import { loadRegions } from '../../seeds/regions';
import { roleOf, type SubgraphDefinition } from '../subgraphs/subgraph';
import { migrate, openReferenceOrm } from './orm';

/**
 * How a subgraph reaches its database: the administrator's URL (to provision and migrate the
 * reference data) and the URL it works with, as its own role.
 */
export interface SubgraphDatabase {
  adminUrl: string;
  url: string;
}

const schemasOf = (def: SubgraphDefinition) => [def.schema, ...(def.extraSchemas ?? [])];
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * A role's password, derived from the administrator's: the same for every process that
 * provisions the database (replicas, the CLI beside a running hub), and never stored.
 */
export function rolePassword(adminUrl: string, role: string): string {
  const secret = decodeURIComponent(new URL(adminUrl).password) || 'no administrator password';
  return createHmac('sha256', secret).update(`role:${role}`).digest('base64url');
}

/** The administrator's URL with the role's name and password instead. */
export function roleUrl(adminUrl: string, role: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = rolePassword(adminUrl, role);
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database the hub migrated before each subgraph had its own schema history and role. */
async function refuseSharedLayout(client: Client): Promise<void> {
  const { rows } = await client.query<{ old: boolean }>(
    `select to_regclass('public.mikro_orm_migrations') is not null
        and exists (select 1 from pg_namespace where nspname = 'registry')
        and to_regclass('registry.mikro_orm_migrations') is null as old`,
  );
  if (rows[0].old) {
    throw new Error(
      'This database holds the hub of an earlier layout, whose departments shared one schema history: ' +
        'start on an empty database (for the embedded one, remove the postgres folder of HUB_DATA_DIR; the demo is seeded again).',
    );
  }
}

/**
 * Roles belong to the whole server, so processes provisioning databases beside each other
 * (replicas starting together, the CLI beside a hub, a second database on the same server)
 * may update the same role's catalogue row at once; PostgreSQL then refuses the later
 * statement ("tuple concurrently updated", or a duplicate name for two `create role`s).
 * Every step is idempotent, so the role's provisioning is simply run again.
 */
async function retryConcurrent(work: () => Promise<void>, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      const concurrent = code === '23505' || (code === 'XX000' && /concurrently/.test(message ?? ''));
      if (!concurrent || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }
}

/** A login role owning the subgraph's schemas, reading the reference data and nothing else. */
async function provisionRole(client: Client, adminUrl: string, def: SubgraphDefinition, role: string): Promise<void> {
  const r = quoteIdent(role);
  await client.query(
    `do $$ begin
       if not exists (select 1 from pg_roles where rolname = ${quoteLiteral(role)}) then create role ${r}; end if;
     exception when duplicate_object then null; end $$`,
  );
  await client.query(
    `alter role ${r} login nosuperuser nocreatedb nocreaterole password ${quoteLiteral(rolePassword(adminUrl, role))}`,
  );
  for (const schema of schemasOf(def)) {
    await client.query(`create schema if not exists ${quoteIdent(schema)} authorization ${r}`);
  }
  await client.query(`grant usage on schema reference to ${r}`);
  await client.query(`grant select on all tables in schema reference to ${r}`);
}

/**
 * Makes one database ready for the subgraphs that live in it: the reference schema and its
 * region data (as the administrator), then for each subgraph a login role owning its schemas,
 * with read access to the reference data and nothing else. Returns each subgraph's URL. Where
 * the administrator's account may not create roles (a department's own database, reached with
 * the department's own account), the subgraph works with that account as given.
 */
export async function provisionDatabase(
  adminUrl: string,
  defs: readonly SubgraphDefinition[],
  logger: Pick<Logger, 'info'>,
): Promise<Map<string, SubgraphDatabase>> {
  const canCreateRoles = await withClient(adminUrl, async (client) => {
    await refuseSharedLayout(client);
    const { rows } = await client.query<{ can: boolean }>(
      'select rolsuper or rolcreaterole as can from pg_roles where rolname = current_user',
    );
    return rows[0].can;
  });
  const reference = await openReferenceOrm(adminUrl);
  try {
    await migrate(reference);
  } finally {
    await reference.close();
  }
  const pool = new Pool({ connectionString: adminUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ loaded: boolean }>('select exists (select 1 from reference.region) as loaded');
    const regions = rows[0].loaded ? 0 : await loadRegions(pool);
    if (regions) logger.info({ regions }, 'regions loaded');
  } finally {
    await pool.end();
  }
  const databases = new Map<string, SubgraphDatabase>();
  if (!canCreateRoles) {
    await withClient(adminUrl, async (client) => {
      for (const def of defs) {
        for (const schema of schemasOf(def)) await client.query(`create schema if not exists ${quoteIdent(schema)}`);
        databases.set(def.name, { adminUrl, url: adminUrl });
      }
    });
    return databases;
  }
  await withClient(adminUrl, async (client) => {
    for (const def of defs) {
      const role = roleOf(def);
      await retryConcurrent(() => provisionRole(client, adminUrl, def, role));
      databases.set(def.name, { adminUrl, url: roleUrl(adminUrl, role) });
    }
  });
  return databases;
}
