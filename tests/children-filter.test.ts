import { registerChild, startTestHub, type TestHub } from './helpers/hub';
import { REGIONS } from './helpers/personas';

/** The children connection's filters, each alone and together, inside the caller's jurisdiction. */
let hub: TestHub;
const ids: Record<string, string> = {};

beforeAll(async () => {
  hub = await startTestHub();
  const a = await registerChild(hub, { name: '马小花', categories: ['LEFT_BEHIND'] }, REGIONS.villageA);
  const b = await registerChild(hub, { name: '李明', categories: ['IN_DISTRESS'] }, REGIONS.villageB);
  const c = await registerChild(hub, { name: '马%明', categories: ['LEFT_BEHIND', 'IN_DISTRESS'] }, REGIONS.villageB);
  Object.assign(ids, { a: a.id, b: b.id, c: c.id, idNumberB: b.idNumber });
  const closed = await hub.gql(
    'civilCounty',
    `mutation { updateChild(input: { id: "${c.id}", version: 1, status: CLOSED }) { status } }`,
  );
  expect(closed.errors).toBeUndefined();
});

afterAll(() => hub.close());

async function list(filter: string, persona: 'civilCounty' | 'educationCounty' | 'civilTownshipA' = 'civilCounty') {
  const res = await hub.gql(persona, `{ children(first: 10, filter: ${filter}) { totalCount edges { node { id } } } }`);
  expect(res.errors).toBeUndefined();
  const found = res.data!.children.edges.map((e: { node: { id: string } }) => e.node.id).sort();
  expect(res.data!.children.totalCount).toBe(found.length);
  return found;
}

const sorted = (...names: string[]) => names.map((n) => ids[n]).sort();

test('by name, literally: % and _ are not wildcards', async () => {
  expect(await list('{ search: "马" }')).toEqual(sorted('a', 'c'));
  expect(await list('{ search: "%" }')).toEqual(sorted('c'));
  expect(await list('{ search: "_" }')).toEqual([]);
});

test('by identity-number prefix only for departments that see the numbers in full', async () => {
  const prefix = ids.idNumberB.slice(0, 16);
  expect(await list(`{ search: "${prefix}" }`)).toEqual(sorted('b'));
  expect(await list(`{ search: "${prefix}" }`, 'educationCounty')).toEqual([]);
});

test('by category, status and region, and together', async () => {
  expect(await list('{ category: IN_DISTRESS }')).toEqual(sorted('b', 'c'));
  expect(await list('{ status: CLOSED }')).toEqual(sorted('c'));
  expect(await list(`{ regionCode: "${REGIONS.townshipB}" }`)).toEqual(sorted('b', 'c'));
  expect(await list(`{ regionCode: "${REGIONS.townshipB}", category: LEFT_BEHIND, status: CLOSED }`)).toEqual(
    sorted('c'),
  );
  expect(await list(`{ regionCode: "${REGIONS.townshipB}" }`, 'civilTownshipA')).toEqual([]);
});
