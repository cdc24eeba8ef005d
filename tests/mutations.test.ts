import { makeIdNumber } from '../src/domain/id-number';
import { childInput, REGISTER, registerChild, registerSchool, startTestHub, type TestHub } from './helpers/hub';
import { REGIONS, type PersonaName } from './helpers/personas';

let hub: TestHub;
let childId: string;
let schoolCode: string;

beforeAll(async () => {
  hub = await startTestHub();
  childId = (await registerChild(hub)).id;
  schoolCode = await registerSchool(hub);
});

afterAll(() => hub.close());

const UPDATE = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id name version categories updatedAt } }`;
const ADD_GUARDIAN = `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id relation name workingAway workRegion { name } } }`;
const SET_GUARDIANSHIP = `mutation($input: SetGuardianshipInput!) { setGuardianship(input: $input) { kind since agency entrustedGuardian { name } } }`;
const ENROL = `mutation($input: RecordEnrolmentInput!) { recordEnrolment(input: $input) { grade status schoolRegion { code } child { id } } }`;
const HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { registered hukouNumber child { id } } }`;

/** Snapshot of every table a mutation may write, to prove a rejected one wrote nothing. */
const TABLES = [
  'registry.child',
  'registry.guardian',
  'registry.guardianship',
  'education.enrolment',
  'education.enrolment_history',
  'education.dropout_alert',
  'security.household_registration',
];
const snapshot = async () => Promise.all(TABLES.map((t) => hub.count(t)));

async function expectBadInput(persona: PersonaName, query: string, input: Record<string, unknown>, field: string) {
  const before = await snapshot();
  const res = await hub.gql(persona, query, { input });
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(JSON.stringify(res.errors)).toContain(field);
  expect(res.errors![0].message).not.toMatch(/\bat .*\.ts:\d+/);
  expect(await snapshot()).toEqual(before);
}

describe('registerChild', () => {
  test('registers a valid child at version 1', async () => {
    const input = childInput();
    const res = await hub.gql('civilCounty', REGISTER, { input });
    expect(res.data!.registerChild).toMatchObject({ name: input.name, idNumber: input.idNumber, version: 1 });
  });

  const valid = childInput();
  test.each([
    ['idNumber', { idNumber: valid.idNumber.slice(0, 17) + (valid.idNumber[17] === '0' ? '1' : '0') }],
    ['idNumber', { idNumber: '12345' }],
    ['idNumber', { idNumber: makeIdNumber('999999', valid.birthDate, 1, valid.gender) }],
    ['birthDate', { birthDate: '2016-02-30' }],
    ['birthDate', { birthDate: '2015-01-01' }],
    ['gender', { gender: valid.gender === 'MALE' ? 'FEMALE' : 'MALE' }],
    ['name', { name: '   ' }],
    ['categories', { categories: [] }],
    ['residenceRegionCode', { residenceRegionCode: '630121101999' }],
    ['residenceRegionCode', { residenceRegionCode: REGIONS.townshipA }],
    ['householdRegionCode', { householdRegionCode: '12ab' }],
    ['name', { name: undefined }],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    await expectBadInput('civilCounty', REGISTER, { ...valid, ...change }, field);
  });

  test('an adult cannot be registered', async () => {
    const birthDate = '2000-01-01';
    await expectBadInput(
      'civilCounty',
      REGISTER,
      childInput({ birthDate, idNumber: makeIdNumber(REGIONS.county, birthDate, 3, 'MALE'), gender: 'MALE' }),
      'birthDate',
    );
  });

  test('a duplicate identity number is a CONFLICT naming the existing record for a caller who may see it', async () => {
    const { idNumber } = (await hub.gql('civilCounty', `{ child(id: "${childId}") { idNumber } }`)).data!.child;
    const res = await hub.gql('civilCounty', REGISTER, {
      input: childInput({
        idNumber,
        gender: idNumber[16] % 2 ? 'MALE' : 'FEMALE',
        birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
      }),
    });
    expect(res.errors![0].extensions).toEqual({
      code: 'CONFLICT',
      field: 'idNumber',
      existingId: childId,
      serviceName: 'registry',
    });
    expect(await hub.count('registry.child', `id_number = '${idNumber}'`)).toBe(1);
  });

  test('…and without naming it to a caller of another jurisdiction', async () => {
    const { idNumber, birthDate } = (await hub.gql('civilCounty', `{ child(id: "${childId}") { idNumber birthDate } }`))
      .data!.child;
    const input = {
      ...childInput({}, REGIONS.otherCountyVillage),
      idNumber,
      birthDate,
      gender: Number(idNumber[16]) % 2 ? 'MALE' : 'FEMALE',
    };
    const res = await hub.gql('civilOtherCounty', REGISTER, { input });
    expect(res.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'idNumber', serviceName: 'registry' });
    expect(res.errors![0].message).not.toContain(childId);
  });

  test.each<PersonaName>(['educationCounty', 'policeCounty', 'enterprise'])(
    '%s may not register children',
    async (persona) => {
      const res = await hub.gql(persona, REGISTER, { input: childInput() });
      expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
    },
  );
});

describe('updateChild', () => {
  test('changes the record and increases the version; a stale version is a CONFLICT', async () => {
    const ok = await hub.gql('civilCounty', UPDATE, {
      input: {
        id: childId,
        version: 1,
        name: '新名字',
        categories: ['LEFT_BEHIND', 'IN_DISTRESS'],
        distressReasons: ['FAMILY_POVERTY'],
      },
    });
    expect(ok.data!.updateChild).toMatchObject({
      name: '新名字',
      version: 2,
      categories: ['LEFT_BEHIND', 'IN_DISTRESS'],
    });
    const stale = await hub.gql('civilCounty', UPDATE, { input: { id: childId, version: 1, name: '旧版本' } });
    expect(stale.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'version' });
    expect(await hub.count('registry.child', "name = '旧版本'")).toBe(0);
  });

  test('concurrent updates from the same version: one wins, the other is a CONFLICT', async () => {
    const { version } = (await hub.gql('civilCounty', `{ child(id: "${childId}") { version } }`)).data!.child;
    const results = await Promise.all(
      ['甲', '乙', '丙'].map((name) => hub.gql('civilCounty', UPDATE, { input: { id: childId, version, name } })),
    );
    const won = results.filter((r) => r.data?.updateChild);
    expect(won).toHaveLength(1);
    for (const r of results.filter((x) => !x.data?.updateChild)) expect(r.errors![0].extensions!.code).toBe('CONFLICT');
    expect((await hub.gql('civilCounty', `{ child(id: "${childId}") { version name } }`)).data!.child).toEqual({
      version: version + 1,
      name: won[0].data!.updateChild.name,
    });
  });

  test.each([
    ['name', { name: '' }],
    ['residenceRegionCode', { residenceRegionCode: '000000000000' }],
    ['categories', { categories: ['LEFT_BEHIND', 'LEFT_BEHIND'] }],
    ['idNumber', { idNumber: '630121201601011230' }],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    const { version } = (await hub.gql('civilCounty', `{ child(id: "${childId}") { version } }`)).data!.child;
    await expectBadInput('civilCounty', UPDATE, { id: childId, version, ...change }, field);
  });

  test('an unknown id is NOT_FOUND', async () => {
    const res = await hub.gql('civilCounty', UPDATE, { input: { id: 'not-a-uuid', version: 1, name: 'x' } });
    expect(res.errors![0].extensions!.code).toBe('NOT_FOUND');
  });
});

describe('addGuardian and setGuardianship', () => {
  let grandmother: string;

  test('adds a migrant parent and a grandparent', async () => {
    const father = await hub.gql('civilCounty', ADD_GUARDIAN, {
      input: {
        childId,
        relation: 'FATHER',
        name: '王父',
        workingAway: true,
        workRegionCode: '3205',
        awaySince: '2022-02-01',
        employer: '苏州电子厂',
      },
    });
    expect(father.data!.addGuardian).toMatchObject({
      relation: 'FATHER',
      workingAway: true,
      workRegion: { name: '苏州市' },
    });
    const grandma = await hub.gql('civilCounty', ADD_GUARDIAN, {
      input: { childId, relation: 'GRANDPARENT', name: '王奶奶', custodian: true },
    });
    grandmother = grandma.data!.addGuardian.id;
  });

  test.each([
    ['idNumber', { idNumber: '123456789012345678' }],
    ['phone', { phone: 'call me' }],
    ['workRegionCode', { workingAway: true, workRegionCode: '9999' }],
    ['workingAway', { workingAway: false, workRegionCode: '3205' }],
    ['name', { name: '' }],
    ['awaySince', { workingAway: true, awaySince: '2999-01-01' }],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    await expectBadInput('civilCounty', ADD_GUARDIAN, { childId, relation: 'MOTHER', name: '王母', ...change }, field);
  });

  test('sets an entrusted guardianship, then government temporary guardianship', async () => {
    const entrusted = await hub.gql('civilCounty', SET_GUARDIANSHIP, {
      input: {
        childId,
        kind: 'ENTRUSTED',
        since: '2024-01-01',
        entrustedGuardianId: grandmother,
        agreementDate: '2023-12-20',
        contactObligations: 'Weekly call',
      },
    });
    expect(entrusted.data!.setGuardianship).toEqual({
      kind: 'ENTRUSTED',
      since: '2024-01-01',
      agency: null,
      entrustedGuardian: { name: '王奶奶' },
    });
    const temporary = await hub.gql('civilCounty', SET_GUARDIANSHIP, {
      input: { childId, kind: 'GOVERNMENT_TEMPORARY', since: '2025-05-01', agency: '大通县民政局' },
    });
    expect(temporary.data!.setGuardianship).toEqual({
      kind: 'GOVERNMENT_TEMPORARY',
      since: '2025-05-01',
      agency: '大通县民政局',
      entrustedGuardian: null,
    });
    expect(await hub.count('registry.guardianship', `child_id = '${childId}'`)).toBe(1);
  });

  test.each([
    ['agreementDate', { kind: 'ENTRUSTED', entrustedGuardianId: 'g', contactObligations: 'x' }],
    ['agency', { kind: 'GOVERNMENT_TEMPORARY' }],
    ['agency', { kind: 'PARENTS', agency: '某机构' }],
    [
      'entrustedGuardianId',
      {
        kind: 'ENTRUSTED',
        entrustedGuardianId: '00000000-0000-4000-8000-000000000000',
        agreementDate: '2024-01-01',
        contactObligations: 'x',
      },
    ],
    ['since', { kind: 'PARENTS', since: '2999-01-01' }],
  ])('rejects a missing or misplaced %s and changes nothing', async (field, change) => {
    await expectBadInput('civilCounty', SET_GUARDIANSHIP, { childId, since: '2024-01-01', ...change }, field);
  });
});

describe('recordEnrolment (education)', () => {
  test('education records and replaces the enrolment', async () => {
    const first = await hub.gql('educationCounty', ENROL, {
      input: { childId, schoolCode, grade: 3, status: 'ENROLLED' },
    });
    expect(first.data!.recordEnrolment).toEqual({
      grade: 3,
      status: 'ENROLLED',
      schoolRegion: { code: REGIONS.townshipA },
      child: { id: childId },
    });
    const second = await hub.gql('educationCounty', ENROL, {
      input: { childId, schoolCode, grade: 3, status: 'DROPPED_OUT' },
    });
    expect(second.data!.recordEnrolment.status).toBe('DROPPED_OUT');
    expect(await hub.count('education.enrolment')).toBe(1);
    expect(await hub.count('education.enrolment_history')).toBe(1);
  });

  test.each([
    ['grade', { grade: 13 }],
    ['grade', { grade: 7 }],
    ['schoolCode', { schoolCode: '2630121999' }],
    ['schoolCode', { schoolCode: '63' }],
    ['boarding', { boarding: true }],
    ['since', { since: '2999-09-01' }],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    await expectBadInput(
      'educationCounty',
      ENROL,
      { childId, schoolCode, grade: 1, status: 'ENROLLED', ...change },
      field,
    );
  });

  test.each<PersonaName>(['civilCounty', 'policeCounty'])('%s may not record enrolments', async (persona) => {
    const res = await hub.gql(persona, ENROL, { input: { childId, schoolCode, grade: 1, status: 'ENROLLED' } });
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});

describe('registerHousehold (public security)', () => {
  test('public security registers the household', async () => {
    const res = await hub.gql('policeCounty', HOUSEHOLD, {
      input: { childId, hukouNumber: '630121888', policeStation: '城关派出所' },
    });
    expect(res.data!.registerHousehold).toEqual({ registered: true, hukouNumber: '630121888', child: { id: childId } });
  });

  test('rejects a bad hukou number and writes nothing', async () => {
    await expectBadInput(
      'policeCounty',
      HOUSEHOLD,
      { childId, hukouNumber: 'no', policeStation: '城关派出所' },
      'hukouNumber',
    );
  });

  test.each<PersonaName>(['educationCounty', 'civilCounty'])('%s may not register households', async (persona) => {
    const res = await hub.gql(persona, HOUSEHOLD, {
      input: { childId, hukouNumber: '630121999', policeStation: '城关派出所' },
    });
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
