import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Pool } from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import type { VerifyToken } from '../../src/auth/verifier';
import { PURPOSE } from './hand-written';

/**
 * PostGraphile v5, the benchmark's peer: a schema-only preset over the registry, education and
 * security schemas of the same database, answering the county page query. It sees what the hub
 * sees through PostgreSQL itself (a construction of the benchmark database only, never of the
 * hub's migrations): a role with read grants, row-level security on `region_code` by a
 * per-request setting, and smart comments naming the links the hub keeps as plain ids.
 */

const ROLE = 'bench_postgraphile';
const TABLES = [
  'registry.child',
  'registry.guardian',
  'education.enrolment',
  'casework.protection_case',
  'security.household_registration',
];
const LINKS: Record<string, string> = {
  'education.enrolment': 'child_id',
  'casework.protection_case': 'child_id',
  'security.household_registration': 'child_id',
};

/** The hub's PAGE_QUERY, in PostGraphile's words. */
const PAGE_QUERY = `query Page($first: Int!, $after: Cursor) {
  allChildren(first: $first, after: $after, orderBy: [REGION_CODE_ASC, ROW_ID_ASC]) {
    edges { node {
      rowId name
      guardiansByChildId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { relation name phone } }
      educationEnrolmentByChildId { educationSchoolBySchoolCode { name } grade status }
      caseworkProtectionCasesByChildId(orderBy: RECEIVED_AT_DESC) { nodes { status } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CURSOR_QUERY = `query Cursor($id: UUID!) {
  allChildren(condition: { rowId: $id }, orderBy: [REGION_CODE_ASC, ROW_ID_ASC]) { edges { cursor } }
}`;

interface PgPage {
  allChildren: {
    edges: {
      node: {
        rowId: string;
        name: string;
        guardiansByChildId: { nodes: unknown[] };
        educationEnrolmentByChildId: {
          educationSchoolBySchoolCode: { name: string };
          grade: number;
          status: string;
        } | null;
        caseworkProtectionCasesByChildId: { nodes: unknown[] };
      };
    }[];
    pageInfo: { hasNextPage: boolean };
  };
}

/** PostGraphile's answer in the shape of the hub's, cursors aside. */
const asHubPage = (d: PgPage) => ({
  edges: d.allChildren.edges.map(({ node }) => ({
    node: {
      id: node.rowId,
      name: node.name,
      guardians: node.guardiansByChildId.nodes,
      enrolment: node.educationEnrolmentByChildId && {
        schoolName: node.educationEnrolmentByChildId.educationSchoolBySchoolCode.name,
        grade: node.educationEnrolmentByChildId.grade,
        status: node.educationEnrolmentByChildId.status,
      },
      protectionCases: node.caseworkProtectionCasesByChildId.nodes,
    },
  })),
  hasNextPage: d.allChildren.pageInfo.hasNextPage,
});

async function prepareDatabase(url: string) {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${ROLE}') then create role ${ROLE}; end if;
    end $$`);
    await pool.query(`grant usage on schema registry, education, security, casework to ${ROLE}`);
    await pool.query(`grant select on education.school to ${ROLE}`); // reference data: no row rule
    for (const table of TABLES) {
      await pool.query(`grant select on ${table} to ${ROLE}`);
      await pool.query(`alter table ${table} enable row level security`);
      await pool.query(`drop policy if exists jurisdiction on ${table}`);
      await pool.query(
        `create policy jurisdiction on ${table} for select to ${ROLE}
           using (region_code like current_setting('hub.region') || '%')`,
      );
      const link = LINKS[table];
      if (link) await pool.query(`comment on table ${table} is '@foreignKey (${link}) references registry.child (id)'`);
    }
    // The hub's orders, which PostGraphile offers on indexed columns only unless told.
    for (const column of ['registry.guardian.created_at', 'casework.protection_case.received_at']) {
      await pool.query(`comment on column ${column} is '@behavior +orderBy'`);
    }
  } finally {
    await pool.end();
  }
}

export interface PostGraphileEndpoint {
  version: string;
  url: string;
  /** The load's bodies: the first `limit` of the hub's page bodies, starting at the same child. */
  loadBodies(token: string, hubBodies: string[], limit?: number): Promise<string[]>;
  /** Fails unless PostGraphile returns the same pages as the hub at `hubUrl`. */
  check(hubUrl: string, token: string, hubBodies: string[]): Promise<void>;
  stop(): Promise<void>;
}

async function post(url: string, token: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-purpose': PURPOSE },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

/** Starts PostGraphile on loopback; requests carry the same bearer token, verified the same way. */
export async function startPostGraphile(url: string, verifyToken: VerifyToken): Promise<PostGraphileEndpoint> {
  await prepareDatabase(url);
  const pool = new Pool({ connectionString: url, max: 20 });
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    pgServices: [makePgService({ pool, schemas: ['registry', 'education', 'security', 'casework'] })],
    grafast: {
      async context(requestContext) {
        const header = requestContext.node?.req.headers.authorization ?? '';
        const principal = await verifyToken(/^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '');
        return { pgSettings: { role: ROLE, 'hub.region': principal.region } };
      },
    },
    grafserv: { graphiql: false },
  });
  const serv = pgl.createServ(grafserv);
  const server: Server = createServer();
  await serv.addTo(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const cursors = new Map<string, string>();
  /** The hub's cursor is the starting child's village and id; PostGraphile needs its own for that child. */
  const translate = (hubBody: string) => {
    const { variables } = JSON.parse(hubBody) as { variables: { first: number; after?: string } };
    const id = variables.after ? Buffer.from(variables.after, 'base64url').toString().split(':')[1] : undefined;
    return { id, first: variables.first };
  };
  const cursorFor = async (token: string, id: string) => {
    let cursor = cursors.get(id);
    if (!cursor) {
      const res = await post(endpoint, token, { query: CURSOR_QUERY, variables: { id } });
      const edges = (res.data?.allChildren as { edges: { cursor: string }[] } | undefined)?.edges;
      if (!edges?.length) throw new Error(`PostGraphile has no cursor for ${id}: ${JSON.stringify(res)}`);
      cursors.set(id, (cursor = edges[0].cursor));
    }
    return cursor;
  };
  return {
    version: (
      JSON.parse(
        fs.readFileSync(path.join(path.dirname(require.resolve('postgraphile')), '../package.json'), 'utf8'),
      ) as { version: string }
    ).version,
    url: endpoint,
    async loadBodies(token, hubBodies, limit = 500) {
      const bodies = [];
      for (const body of hubBodies.slice(0, limit)) {
        const { id, first } = translate(body);
        const after = id ? await cursorFor(token, id) : null;
        bodies.push(JSON.stringify({ query: PAGE_QUERY, variables: { first, after } }));
      }
      return bodies;
    },
    async check(hubUrl, token, hubBodies) {
      for (const body of hubBodies) {
        const { id, first } = translate(body);
        const after = id ? await cursorFor(token, id) : null;
        const [hub, pg] = await Promise.all([
          post(hubUrl, token, body),
          post(endpoint, token, { query: PAGE_QUERY, variables: { first, after } }),
        ]);
        if (pg.errors || !pg.data) throw new Error(`PostGraphile failed: ${JSON.stringify(pg.errors)}`);
        const children = hub.data?.children as { edges: unknown[]; pageInfo: { hasNextPage: boolean } };
        const expected = { edges: children.edges, hasNextPage: children.pageInfo.hasNextPage };
        const actual = asHubPage(pg.data as unknown as PgPage);
        if (!isDeepStrictEqual(actual, expected)) {
          throw new Error(`PostGraphile's page differs:\n${JSON.stringify(expected)}\n${JSON.stringify(actual)}`);
        }
      }
    },
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await pgl.release();
      await pool.end();
    },
  };
}
