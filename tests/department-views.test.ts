import { CHILD_360, registerChild, registerSchool, startTestHub, type TestHub, IN_DISTRESS } from './helpers/hub';
import type { PersonaName } from './helpers/personas';

let hub: TestHub;
let childId: string;
let idNumber: string;

beforeAll(async () => {
  hub = await startTestHub();
  // In distress: registered without guardians; the guardians added below are its only ones.
  ({ id: childId, idNumber } = await registerChild(hub, IN_DISTRESS));
  const guardian = await hub.gql(
    'civilCounty',
    `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id } }`,
    {
      input: { childId, relation: 'GRANDPARENT', name: '李奶奶', phone: '13912345678', custodian: true },
    },
  );
  await hub.gql('civilCounty', `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id } }`, {
    input: {
      childId,
      relation: 'FATHER',
      name: '李父',
      idNumber: '11010519491231002X',
      phone: '13800001111',
      workingAway: true,
      workRegionCode: '4403',
      employer: '深圳华强电子厂',
    },
  });
  await hub.gql('civilCounty', `mutation($input: SetGuardianshipInput!) { setGuardianship(input: $input) { kind } }`, {
    input: {
      childId,
      kind: 'ENTRUSTED',
      since: '2024-03-01',
      entrustedGuardianId: guardian.data!.addGuardian.id,
      agreementDate: '2024-02-20',
      contactObligations: 'Weekly video call',
    },
  });
  await hub.gql(
    'educationCounty',
    `mutation($input: RecordEnrolmentInput!) { recordEnrolment(input: $input) { status } }`,
    {
      input: {
        childId,
        schoolCode: await registerSchool(hub, { name: '城关镇中心小学' }),
        grade: 3,
        status: 'ENROLLED',
      },
    },
  );
  await hub.gql(
    'policeCounty',
    `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { registered } }`,
    {
      input: { childId, hukouNumber: '630121001', policeStation: '城关派出所' },
    },
  );
});

afterAll(() => hub.close());

const forbiddenPaths = (res: Awaited<ReturnType<TestHub['gql']>>) =>
  (res.errors ?? []).map((e) => {
    expect(e.extensions?.code).toBe('FORBIDDEN');
    return e.path!.filter((p) => typeof p === 'string').join('.');
  });

test('civil affairs sees the whole registry record, enrolment and household registration', async () => {
  const res = await hub.gql('civilCounty', CHILD_360, { id: childId });
  expect(res.errors).toBeUndefined();
  const child = res.data!.child;
  expect(child.idNumber).toBe(idNumber);
  expect(child.residenceRegion).toEqual({ code: '630121101200', level: 'VILLAGE' });
  expect(child.guardians).toEqual(
    expect.arrayContaining([
      {
        relation: 'FATHER',
        name: '李父',
        phone: '13800001111',
        idNumber: '11010519491231002X',
        employer: '深圳华强电子厂',
      },
    ]),
  );
  expect(child.guardianship).toEqual({ kind: 'ENTRUSTED', agreementDate: '2024-02-20' });
  expect(child.enrolment).toEqual({ schoolName: '城关镇中心小学', status: 'ENROLLED' });
  expect(child.householdRegistration).toEqual({ registered: true, hukouNumber: '630121001' });
  expect(child.protectionCases).toEqual([]);
});

test('education sees masked identity and phones, residence to township, and no police or guardian ids', async () => {
  const res = await hub.gql('educationCounty', CHILD_360, { id: childId });
  const child = res.data!.child;
  expect(child.name).toBeTruthy();
  expect(child.idNumber).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
  // The birth date would give back the digits the mask hides; education has age and school age.
  expect(child.birthDate).toBeNull();
  expect(child.residenceRegion).toEqual({ code: '630121101', level: 'TOWNSHIP' });
  const father = child.guardians.find((g: { relation: string }) => g.relation === 'FATHER');
  expect(father).toMatchObject({ name: '李父', phone: '138****1111', idNumber: null, employer: null });
  expect(child.enrolment).toEqual({ schoolName: '城关镇中心小学', status: 'ENROLLED' });
  expect(child.householdRegistration).toEqual({ registered: true, hukouNumber: null });
  // Schools receive referrals and follow the cases they serve (with the narrative withheld).
  expect(child.protectionCases).toEqual([]);
  expect(new Set(forbiddenPaths(res))).toEqual(
    new Set([
      'child.birthDate',
      'child.guardians.idNumber',
      'child.guardians.employer',
      'child.guardianship.agreementDate',
      'child.householdRegistration.hukouNumber',
    ]),
  );
});

test('public security sees the registry in full and its own fields, but not enrolment', async () => {
  const res = await hub.gql('policeCounty', CHILD_360, { id: childId });
  const child = res.data!.child;
  expect(child.idNumber).toBe(idNumber);
  expect(child.residenceRegion.level).toBe('VILLAGE');
  expect(child.householdRegistration).toEqual({ registered: true, hukouNumber: '630121001' });
  expect(child.protectionCases).toEqual([]);
  expect(child.enrolment).toBeNull();
  expect(forbiddenPaths(res)).toEqual(['child.enrolment']);
  expect(res.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', serviceName: 'education' });
});

test('justice, without a case for the child, sees identity, guardians and residence masked', async () => {
  const res = await hub.gql('justiceCounty', CHILD_360, { id: childId });
  const child = res.data!.child;
  expect(child.name).toMatch(/^.\*\*$/);
  expect(child.idNumber).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
  expect(child.residenceRegion).toEqual({ code: '630121101', level: 'TOWNSHIP' });
  const father = child.guardians.find((g: { relation: string }) => g.relation === 'FATHER');
  expect(father).toEqual({
    relation: 'FATHER',
    name: '李**',
    phone: '138****1111',
    idNumber: '110105********002X',
    employer: null,
  });
  expect(child.guardianship).toEqual({ kind: 'ENTRUSTED', agreementDate: null });
  expect(new Set(forbiddenPaths(res))).toEqual(
    new Set([
      'child.birthDate',
      'child.guardians.employer',
      'child.guardianship.agreementDate',
      'child.enrolment',
      'child.householdRegistration',
    ]),
  );
});

test.each<PersonaName>(['educationCounty', 'justiceCounty'])(
  '%s, which sees residence down to the township, lists children by township but not by village',
  async (persona) => {
    const list = (regionCode: string) =>
      hub.gql(persona, `query($r: ID!) { children(filter: { regionCode: $r }) { totalCount } }`, { r: regionCode });
    expect((await list('630121101')).data!.children.totalCount).toBe(1);
    const byVillage = await list('630121101200');
    expect(forbiddenPaths(byVillage)).toEqual(['children']);
    expect(byVillage.errors![0].message).toMatch(/^filter\.regionCode: .*down to the township/);
    // Civil affairs sees the village, and filters by it.
    expect(
      (await hub.gql('civilCounty', `{ children(filter: { regionCode: "630121101200" }) { totalCount } }`)).data!
        .children.totalCount,
    ).toBe(1);
  },
);

// The youth league's and women's federation's narrow views: tests/youth-league.test.ts, tests/womens-federation.test.ts.
test.each<PersonaName>(['enterprise', 'supervisionProvince'])(
  '%s sees nothing of Child: the query itself is FORBIDDEN',
  async (persona) => {
    const res = await hub.gql(persona, CHILD_360, { id: childId });
    expect(res.data?.child ?? null).toBeNull();
    expect(forbiddenPaths(res)).toEqual(['child']);
  },
);

test('a denied field does not stop the allowed fields of the same query', async () => {
  const res = await hub.gql('enterprise', `{ child(id: "${childId}") { id } region(code: "63") { name level } }`);
  expect(res.data!.region).toEqual({ name: '青海省', level: 'PROVINCE' });
  expect(forbiddenPaths(res)).toEqual(['child']);
});

test('a token without the writer role cannot write', async () => {
  const res = await hub.gql(
    'civilReadOnly',
    `mutation { updateChild(input: { id: "${childId}", version: 1, name: "x" }) { id } }`,
  );
  expect(forbiddenPaths(res)).toEqual(['updateChild']);
  expect(await hub.count('registry.child', "name = 'x'")).toBe(0);
});
