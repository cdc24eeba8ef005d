import { ChildSchema } from '../src/subgraphs/registry/child.entity';
import { GuardianSchema } from '../src/subgraphs/registry/guardian.entity';
import { scopedEntityManager } from '../src/policy/jurisdiction';
import {
  childInput,
  REGISTER,
  registerChild,
  registerSchool,
  startTestHub,
  type GraphQLResponse,
  type TestHub,
  IN_DISTRESS,
} from './helpers/hub';
import { REGIONS, type PersonaName } from './helpers/personas';

let hub: TestHub;
let childA: string;
let childB: string;

beforeAll(async () => {
  hub = await startTestHub();
  // In distress (a recorded reason): registered without guardians, so the guardians below are the test's own.
  childA = (await registerChild(hub, IN_DISTRESS, REGIONS.villageA)).id;
  childB = (await registerChild(hub, IN_DISTRESS, REGIONS.villageB)).id;
});

afterAll(() => hub.close());

const CHILD = `query($id: ID!) { child(id: $id) { id name } }`;
const LIST = `{ children(first: 100) { totalCount edges { node { id } } } }`;
const ids = (res: GraphQLResponse) => res.data!.children.edges.map((e: { node: { id: string } }) => e.node.id).sort();

describe('reading', () => {
  test('township A reads its own child, and B’s child exactly like an id that does not exist', async () => {
    expect((await hub.gql('civilTownshipA', CHILD, { id: childA })).data!.child.id).toBe(childA);
    const other = await hub.gql('civilTownshipA', CHILD, { id: childB });
    const missing = await hub.gql('civilTownshipA', CHILD, { id: '00000000-0000-4000-8000-000000000000' });
    expect(other).toEqual(missing);
    expect(other.data).toEqual({ child: null });
  });

  test('lists hold only the caller’s jurisdiction; the county sees both townships', async () => {
    expect(ids(await hub.gql('civilTownshipA', LIST))).toEqual([childA]);
    expect(ids(await hub.gql('civilTownshipB', LIST))).toEqual([childB]);
    expect(ids(await hub.gql('civilCounty', LIST))).toEqual([childA, childB].sort());
    expect(ids(await hub.gql('civilOtherCounty', LIST))).toEqual([]);
    const filtered = await hub.gql(
      'civilTownshipA',
      `{ children(first: 10, filter: { regionCode: "${REGIONS.townshipB}" }) { totalCount } }`,
    );
    expect(filtered.data!.children.totalCount).toBe(0);
  });

  test('lookup by identity number does not cross jurisdictions', async () => {
    const { idNumber } = (await hub.gql('civilCounty', `{ child(id: "${childB}") { idNumber } }`)).data!.child;
    const q = `query($n: String!) { childByIdNumber(idNumber: $n) { id } }`;
    expect((await hub.gql('civilTownshipB', q, { n: idNumber })).data!.childByIdNumber.id).toBe(childB);
    expect((await hub.gql('civilTownshipA', q, { n: idNumber })).data!.childByIdNumber).toBeNull();
  });

  test.each<PersonaName>(['educationTownshipB'])('other departments are scoped the same way (%s)', async (persona) => {
    expect(ids(await hub.gql(persona, LIST))).toEqual([childB]);
    expect((await hub.gql(persona, CHILD, { id: childA })).data!.child).toBeNull();
  });
});

describe('writing', () => {
  test('township A cannot change B’s child: NOT_FOUND, and nothing changes', async () => {
    const res = await hub.gql(
      'civilTownshipA',
      `mutation { updateChild(input: { id: "${childB}", version: 1, name: "改名" }) { id } }`,
    );
    expect(res.errors![0].extensions!.code).toBe('NOT_FOUND');
    const guardian = await hub.gql(
      'civilTownshipA',
      `mutation { addGuardian(input: { childId: "${childB}", relation: FATHER, name: "某人" }) { id } }`,
    );
    expect(guardian.errors![0].extensions!.code).toBe('NOT_FOUND');
    expect(await hub.count('registry.child', "name = '改名'")).toBe(0);
    expect(await hub.count('registry.guardian')).toBe(0);
  });

  test('education of township B cannot record an enrolment for A’s child', async () => {
    const schoolCode = await registerSchool(hub, { name: '塔尔镇小学', regionCode: REGIONS.townshipB });
    const res = await hub.gql(
      'educationTownshipB',
      `mutation { recordEnrolment(input: { childId: "${childA}", schoolCode: "${schoolCode}", grade: 2, status: ENROLLED }) { status } }`,
    );
    expect(res.errors![0].extensions!.code).toBe('NOT_FOUND');
    expect(await hub.count('education.enrolment')).toBe(0);
  });

  test('registering a child who lives outside the caller’s jurisdiction is FORBIDDEN', async () => {
    const res = await hub.gql('civilTownshipA', REGISTER, { input: childInput({}, REGIONS.villageB) });
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await hub.count('registry.child', `region_code = '${REGIONS.villageB}'`)).toBe(1);
  });

  test('moving a child out of the caller’s jurisdiction is FORBIDDEN; the county may move it', async () => {
    const move = (persona: PersonaName, to: string, version: number) =>
      hub.gql(
        persona,
        `mutation { updateChild(input: { id: "${childA}", version: ${version}, residenceRegionCode: "${to}" }) { version residenceRegion { code } } }`,
      );
    const denied = await move('civilTownshipA', REGIONS.villageB, 1);
    expect(denied.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await hub.count('registry.child', `id = '${childA}' and region_code = '${REGIONS.villageA}'`)).toBe(1);
    const moved = await move('civilCounty', REGIONS.villageB, 1);
    expect(moved.data!.updateChild).toEqual({ version: 2, residenceRegion: { code: REGIONS.villageB } });
    await move('civilCounty', REGIONS.villageA, 2);
  });
});

describe('the data layer itself', () => {
  test('a scoped entity manager reads only rows under its region', async () => {
    const em = scopedEntityManager(hub.orm('registry').em, REGIONS.townshipA);
    const rows = await em.find(ChildSchema, {});
    expect(rows.map((c) => c.id)).toEqual([childA]);
    expect(await em.findOne(ChildSchema, { id: childB })).toBeNull();
    expect(await em.count(ChildSchema, {})).toBe(1);
  });

  test('an entity manager without a jurisdiction cannot read scoped tables at all', async () => {
    const em = hub.orm('registry').em.fork();
    await expect(em.find(ChildSchema, {})).rejects.toThrow(/jurisdiction/);
  });

  test('a flush that would write a row outside the jurisdiction fails and writes nothing', async () => {
    const em = scopedEntityManager(hub.orm('registry').em, REGIONS.townshipA);
    em.create(GuardianSchema, {
      childId: childB,
      regionCode: REGIONS.villageB,
      relation: 'MOTHER',
      name: '越权写入',
      custodian: false,
      workingAway: false,
    } as never);
    await expect(em.flush()).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await hub.count('registry.guardian', "name = '越权写入'")).toBe(0);
  });
});
