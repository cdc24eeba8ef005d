import { registerChild, startTestHub, type TestHub } from './helpers/hub';

let hub: TestHub;
afterAll(() => hub.close());
beforeAll(async () => {
  hub = await startTestHub();
});

const AS_OF = `query($id: ID!, $asOf: DateTime) {
  child(id: $id, asOf: $asOf) { name version categories guardianship { kind agency } }
}`;
const UPDATE = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { version updatedAt } }`;
const GUARDIANSHIP = `mutation($input: SetGuardianshipInput!) { setGuardianship(input: $input) { updatedAt } }`;
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

test('child(id, asOf) answers what the registry said at a past instant, guardianship included', async () => {
  const beforeRegistration = new Date(Date.now() - 60_000).toISOString();
  const child = await registerChild(hub, { name: '旧名字' });
  await hub.gql('civilCounty', GUARDIANSHIP, { input: { childId: child.id, kind: 'PARENTS', since: '2020-01-01' } });
  await pause();
  const first = new Date().toISOString();
  await pause();
  const renamed = await hub.gql('civilCounty', UPDATE, {
    input: {
      id: child.id,
      version: 1,
      name: '新名字',
      categories: ['LEFT_BEHIND', 'IN_DISTRESS'],
      distressReasons: ['FAMILY_POVERTY'],
    },
  });
  expect(renamed.errors).toBeUndefined();
  await hub.gql('civilCounty', GUARDIANSHIP, {
    input: { childId: child.id, kind: 'GOVERNMENT_TEMPORARY', since: '2026-01-01', agency: '城关镇民政办' },
  });
  await pause();
  const second = new Date().toISOString();

  const then = await hub.gql('civilCounty', AS_OF, { id: child.id, asOf: first });
  expect(then.errors).toBeUndefined();
  expect(then.data?.child).toEqual({
    name: '旧名字',
    version: 1,
    categories: ['LEFT_BEHIND'],
    guardianship: { kind: 'PARENTS', agency: null },
  });
  const now = await hub.gql('civilCounty', AS_OF, { id: child.id, asOf: second });
  expect(now.data?.child).toEqual({
    name: '新名字',
    version: 2,
    categories: ['LEFT_BEHIND', 'IN_DISTRESS'],
    guardianship: { kind: 'GOVERNMENT_TEMPORARY', agency: '城关镇民政办' },
  });
  const current = await hub.gql('civilCounty', AS_OF, { id: child.id });
  expect(current.data?.child).toEqual(now.data?.child);

  const before = await hub.gql('civilCounty', AS_OF, { id: child.id, asOf: beforeRegistration });
  expect(before.data?.child).toBeNull();
  expect(await hub.count('registry.child_revision', `id = '${child.id}'`)).toBe(1);
  expect(await hub.count('registry.guardianship_revision', `child_id = '${child.id}'`)).toBe(1);
});

test('history keeps the jurisdiction rule, and a bad instant is bad input', async () => {
  const child = await registerChild(hub);
  const outside = await hub.gql('civilOtherCounty', AS_OF, { id: child.id, asOf: new Date().toISOString() });
  expect(outside.data?.child).toBeNull();
  const bad = await hub.gql('civilCounty', AS_OF, { id: child.id, asOf: 'last spring' });
  expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});
