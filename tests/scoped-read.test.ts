import { EntitySchema } from '@mikro-orm/core';
import { scopedFind, scopedRead } from '../src/db/scoped-read';
import { openSubgraphOrm } from '../src/db/orm';
import { regionCodeColumn, scopedEntityManager } from '../src/policy/jurisdiction';
import { findPage } from '../src/subgraphs/connection';
import { ChildSchema } from '../src/subgraphs/registry/child.entity';
import { GuardianSchema } from '../src/subgraphs/registry/guardian.entity';
import { registerChild, startTestHub, type TestHub, IN_DISTRESS } from './helpers/hub';
import { REGIONS } from './helpers/personas';

/** The hand-written hot reads keep the jurisdiction rule of the data layer (src/db/scoped-read.ts). */
let hub: TestHub;
let childA: string;
let childB: string;

const childrenById = scopedRead(ChildSchema, 'id');
const guardiansByChild = scopedRead(GuardianSchema, 'childId', [['name', 'desc']]);

beforeAll(async () => {
  hub = await startTestHub();
  // In distress (a recorded reason): registered without guardians, so the guardians below are the test's own.
  childA = (await registerChild(hub, IN_DISTRESS, REGIONS.villageA)).id;
  childB = (await registerChild(hub, IN_DISTRESS, REGIONS.villageB)).id;
  for (const [childId, name] of [
    [childA, '甲'],
    [childA, '乙'],
    [childB, '丙'],
  ]) {
    const res = await hub.gql(
      'civilCounty',
      `mutation { addGuardian(input: { childId: "${childId}", relation: GRANDPARENT, name: "${name}" }) { id } }`,
    );
    expect(res.errors).toBeUndefined();
  }
});

afterAll(() => hub.close());

test('reads only rows under the entity manager’s region, whatever keys are asked for', async () => {
  const township = scopedEntityManager(hub.orm('registry').em, REGIONS.townshipA);
  expect((await childrenById(township, [childA, childB])).map((c) => c.id)).toEqual([childA]);
  expect((await guardiansByChild(township, [childA, childB])).map((g) => g.name)).toEqual(
    ['甲', '乙'].sort().reverse(),
  );
  const county = scopedEntityManager(hub.orm('registry').em, REGIONS.county);
  expect((await childrenById(county, [childA, childB])).map((c) => c.id).sort()).toEqual([childA, childB].sort());
  const other = scopedEntityManager(hub.orm('registry').em, REGIONS.otherCounty);
  expect(await childrenById(other, [childA, childB])).toEqual([]);
});

test('an entity manager without a jurisdiction cannot read', async () => {
  await expect(childrenById(hub.orm('registry').em.fork(), [childA])).rejects.toThrow(/jurisdiction/);
  const forged = hub.orm('registry').em.fork();
  forged.setFilterParams('jurisdiction', { region: "6301' or true --" });
  await expect(childrenById(forged, [childA])).rejects.toThrow(/jurisdiction/);
});

test('rows hold what em.find returns; merged into an entity manager they can be changed', async () => {
  const em = scopedEntityManager(hub.orm('registry').em, REGIONS.county);
  const [read] = await childrenById(em, [childA]);
  const found = await scopedEntityManager(hub.orm('registry').em, REGIONS.county).findOneOrFail(ChildSchema, {
    id: childA,
  });
  expect(read).toEqual({ ...found });
  expect(read.createdAt).toBeInstanceOf(Date);
  const child = em.merge(ChildSchema, read);
  child.name = '改过的名字';
  await em.flush();
  expect(await hub.count('registry.child', `id = '${childA}' and name = '改过的名字' and version = 2`)).toBe(1);
});

test('reads asked for in the same turn share one statement and return what each returns alone', async () => {
  const em = scopedEntityManager(hub.orm('registry').em, REGIONS.townshipA);
  const alone = [await childrenById(em, [childA, childB]), await guardiansByChild(em, [childA, childB])];
  const before = hub.sqlStatements();
  const together = await Promise.all([childrenById(em, [childA, childB]), guardiansByChild(em, [childA, childB])]);
  expect(hub.sqlStatements() - before).toBe(1);
  expect(together).toEqual(alone);
  expect(together[1].map((g) => g.name)).toEqual(['甲', '乙']);
  expect(together[0][0].createdAt).toBeInstanceOf(Date);
});

test('inside a transaction it reads what the transaction has written', async () => {
  const em = scopedEntityManager(hub.orm('registry').em, REGIONS.county);
  await em
    .transactional(async (tx) => {
      await tx
        .getConnection()
        .execute(`update registry.child set name = '事务中' where id = ?`, [childB], 'run', tx.getTransactionContext());
      const [inside] = await childrenById(tx, [childB]);
      expect(inside.name).toBe('事务中');
      throw new Error('roll back');
    })
    .catch(() => undefined);
  expect(await hub.count('registry.child', "name = '事务中'")).toBe(0);
});

test('a page stops at the end of the jurisdiction under the generic plan PostgreSQL may keep for it', async () => {
  // A prepared statement's generic plan cannot read a range out of `LIKE $1`: with the pattern
  // alone it scans the region index from the start, or from the cursor to the end of the table.
  const em = scopedEntityManager(hub.orm('registry').em, REGIONS.townshipA);
  await em.transactional(async (tx) => {
    const page = await scopedFind(tx, ChildSchema, {}, { orderBy: { regionCode: 'asc', id: 'asc' }, limit: 51 });
    expect(page.map((c) => c.id)).toEqual([childA]);
    const run = (sql: string) => tx.getConnection().execute(sql, [], 'all', tx.getTransactionContext());
    const [{ statement }] = await run(
      `select statement from pg_prepared_statements where statement like '%from "registry"."child"%limit%'`,
    );
    const plan = (await run(`explain (generic_plan, costs off) ${statement}`)).map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Cond: .*region_code.* >= .*region_code.* < /);
  });
});

test('a page after a cursor starts its index scan at the cursor, not at the cursor’s village', async () => {
  // As an `or` of the two columns, PostgreSQL could bound the scan by the village only, and read
  // the village's every row up to the cursor (hundreds a page in a large village).
  const em = scopedEntityManager(hub.orm('registry').em, REGIONS.county);
  await em.transactional(async (tx) => {
    const where = { id: { $in: [childA, childB] } };
    const first = await findPage(tx, ChildSchema, where, 'id', 1);
    const second = await findPage(tx, ChildSchema, where, 'id', 1, first.pageInfo.endCursor);
    expect([...first.edges, ...second.edges].map((e) => e.node.id).sort()).toEqual([childA, childB].sort());
    const run = (sql: string) => tx.getConnection().execute(sql, [], 'all', tx.getTransactionContext());
    const [{ statement }] = await run(
      `select statement from pg_prepared_statements where statement like '%from "registry"."child"%) > ($%'`,
    );
    const plan = (await run(`explain (generic_plan, costs off) ${statement}`)).map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Cond: .*ROW\(\(region_code\)::text, id\) > ROW\(/);
  });
});

test('an entity without the jurisdiction filter is refused', async () => {
  const Unscoped = new EntitySchema<{ id: string; regionCode: string }>({
    name: 'Unscoped',
    tableName: 'child',
    schema: 'registry',
    properties: { id: { type: 'uuid', primary: true }, regionCode: regionCodeColumn },
  });
  const registry = hub.subgraphs.get('registry')!;
  const { orm } = await openSubgraphOrm(registry.def, registry.db.url, { entities: [Unscoped], subscribers: [] });
  try {
    const em = scopedEntityManager(orm.em, REGIONS.county);
    await expect(scopedRead(Unscoped, 'id')(em, [childA])).rejects.toThrow(/jurisdiction filter/);
  } finally {
    await orm.close();
  }
});
