import { verifyStoredChain } from '../src/audit/audit-export';
import { appendEvents, EventWriter } from '../src/audit/audit-log';
import { readEvent } from './helpers/audit';
import { CHILD_360, registerChild, startTestHub, type TestHub } from './helpers/hub';

/** Read events of concurrent requests are written together and still chain one by one. */
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(() => hub.close());

test('events arriving while one is written go out together, in order, and each caller hears its own outcome', async () => {
  const statements: unknown[][] = [];
  let fail = false;
  const writer = new EventWriter(async (_sql, params) => {
    statements.push(params);
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (fail) throw new Error('database down');
  }, 'registry');
  await Promise.all(['a', 'b', 'c', 'd'].map((id) => writer.append(readEvent(id))));
  expect(statements.map((params) => params.filter((p) => ['a', 'b', 'c', 'd'].includes(p as string)))).toEqual([
    ['a'],
    ['b', 'c', 'd'],
  ]);
  fail = true;
  await expect(writer.append(readEvent('e'))).rejects.toThrow('database down');
  fail = false;
  await expect(writer.append(readEvent('f'))).resolves.toBeUndefined();
});

test('concurrent reads each leave a READ event in the registry’s chain, and the chain verifies', async () => {
  const { id } = await registerChild(hub);
  const before = await hub.count('registry.audit_event', "kind = 'READ'");
  const reads = await Promise.all(Array.from({ length: 12 }, () => hub.gql('civilCounty', CHILD_360, { id })));
  for (const res of reads) expect(res.errors).toBeUndefined();
  expect(await hub.count('registry.audit_event', "kind = 'READ'")).toBe(before + 12);
  expect(await verifyStoredChain(hub.on('registry'), 'registry')).toMatchObject({
    ok: true,
    checked: await hub.count('registry.audit_event'),
  });
});

test('several events in one statement chain in the order given', async () => {
  const execute = hub.on('registry');
  await appendEvents(execute, 'registry', [readEvent('x1'), readEvent('x2'), readEvent('x3')]);
  const rows = await execute(`select request_id from registry.audit_event where request_id like 'x_' order by id`);
  expect(rows.map((r) => r.request_id)).toEqual(['x1', 'x2', 'x3']);
  expect(await verifyStoredChain(execute, 'registry')).toMatchObject({
    ok: true,
    checked: await hub.count('registry.audit_event'),
  });
});
