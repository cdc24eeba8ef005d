import { seedDemo } from '../seeds/demo';
import { registerChild, startTestHub, type GraphQLResponse, type TestHub, IN_DISTRESS } from './helpers/hub';
import { REGIONS, type Persona, type PersonaName } from './helpers/personas';

let hub: TestHub;
/** A child with guardians and an entrusted guardianship; justice opens and closes cases for it. */
let child: { id: string; idNumber: string };
/** A child of the same village justice never has a case for. */
let neighbour: { id: string; idNumber: string };
let fatherId: string;
let neighbourFatherId: string;

const justiceOtherCounty: Persona = { dept: 'JUSTICE', region: REGIONS.otherCounty, roles: ['reader', 'writer'] };
const justiceReadOnly: Persona = { dept: 'JUSTICE', region: REGIONS.county, roles: ['reader'] };

const ADD_GUARDIAN = `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id } }`;

async function addFather(childId: string, name: string) {
  const res = await hub.gql<{ addGuardian: { id: string } }>('civilCounty', ADD_GUARDIAN, {
    input: {
      childId,
      relation: 'FATHER',
      name,
      idNumber: '11010519491231002X',
      phone: '13800001111',
      workingAway: true,
      workRegionCode: '4403',
      employer: '深圳华强电子厂',
    },
  });
  return res.data!.addGuardian.id;
}

beforeAll(async () => {
  hub = await startTestHub();
  // In distress: registered without guardians; the father the tests add is the only one.
  child = await registerChild(hub, { ...IN_DISTRESS, name: '马小花' });
  neighbour = await registerChild(hub, { ...IN_DISTRESS, name: '韩小龙' });
  fatherId = await addFather(child.id, '马成');
  neighbourFatherId = await addFather(neighbour.id, '韩军');
  const grandmother = await hub.gql<{ addGuardian: { id: string } }>('civilCounty', ADD_GUARDIAN, {
    input: { childId: child.id, relation: 'GRANDPARENT', name: '马奶奶', phone: '13912345678', custodian: true },
  });
  await hub.gql('civilCounty', `mutation($input: SetGuardianshipInput!) { setGuardianship(input: $input) { kind } }`, {
    input: {
      childId: child.id,
      kind: 'ENTRUSTED',
      since: '2024-03-01',
      entrustedGuardianId: grandmother.data!.addGuardian.id,
      agreementDate: '2024-02-20',
      contactObligations: 'Weekly video call',
    },
  });
});

afterAll(() => hub.close());

const OPEN = `mutation($input: OpenLegalAidCaseInput!) {
  openLegalAidCase(input: $input) { id status caseType provider outcome openedAt closedAt version child { id } }
}`;
const UPDATE = `mutation($input: UpdateLegalAidCaseInput!) {
  updateLegalAidCase(input: $input) { id status outcome provider closedAt version }
}`;
const FILE = `mutation($input: FileGuardianshipProceedingInput!) {
  fileGuardianshipProceeding(input: $input) { id kind status petitioner court filedOn version child { id } }
}`;
const DECIDE = `mutation($input: RecordProceedingDecisionInput!) {
  recordProceedingDecision(input: $input) { id status decisionDate decision version }
}`;
const ACCOUNT = `mutation($input: RecordAccountabilityInput!) {
  recordAccountability(input: $input) { id measure issuingDepartment issuedOn notes guardian { id name } child { id } }
}`;
const JUSTICE_OF_CHILD = `query($id: ID!) { child(id: $id) {
  legalAidCases { id status } guardianshipProceedings { id status } accountabilityRecords { id measure }
} }`;
/** What justice may see of a child in full only while it has a case open for it. */
const identityOf = async (childId: string, who: PersonaName | Persona = 'justiceCounty') => {
  const res = await hub.gql(
    who,
    `query($id: ID!) { child(id: $id) {
      name birthDate idNumber residenceRegion { code } householdRegion { code }
      guardians { relation name idNumber phone employer }
      guardianship { kind agreementDate contactObligations }
    } }`,
    { id: childId },
  );
  return { child: res.data!.child, forbidden: (res.errors ?? []).map((e) => e.path!.join('.')) };
};

const TABLES = ['justice.legal_aid_case', 'justice.guardianship_proceeding', 'justice.accountability_record'];
const snapshot = () => Promise.all(TABLES.map((t) => hub.count(t)));

function expectCode(res: GraphQLResponse, code: string, field?: string) {
  expect(res.errors?.[0]?.extensions).toMatchObject(field ? { code, field } : { code });
  expect(res.errors![0].message).not.toMatch(/\bat .*\.ts:\d+/);
}

async function openCase(childId = child.id, caseType = 'MAINTENANCE') {
  const res = await hub.gql('justiceCounty', OPEN, {
    input: { childId, caseType, provider: '大通县法律援助中心' },
  });
  expect(res.errors).toBeUndefined();
  await hub.settle(); // the registry learns of the open case from justice's feed
  return res.data!.openLegalAidCase as { id: string; version: number; status: string };
}

describe('conditional masking: justice sees a child in full only while it has an open case', () => {
  const masked = (idNumber: string) => `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`;

  function expectMasked(view: Awaited<ReturnType<typeof identityOf>>, idNumber: string, surname: string) {
    expect(view.child).toMatchObject({
      idNumber: masked(idNumber),
      residenceRegion: { code: REGIONS.townshipA },
      householdRegion: { code: REGIONS.townshipA },
    });
    expect(view.child.name).toBe(`${surname}**`);
    const father = view.child.guardians.find((g: { relation: string }) => g.relation === 'FATHER');
    expect(father).toEqual({
      relation: 'FATHER',
      name: `${surname}**`,
      idNumber: '110105********002X',
      phone: '138****1111',
      employer: null,
    });
    expect(view.forbidden).toContain('child.guardians.0.employer');
    // The birth date is what the masked identity number leaves out.
    expect(view.child.birthDate).toBeNull();
    expect(view.forbidden).toContain('child.birthDate');
  }

  test('masked before a case, full while one is open, masked again once it is closed', async () => {
    const before = await identityOf(child.id);
    expectMasked(before, child.idNumber, '马');
    expect(before.child.guardianship).toEqual({ kind: 'ENTRUSTED', agreementDate: null, contactObligations: null });
    expect(new Set(before.forbidden)).toEqual(
      new Set([
        'child.birthDate',
        'child.guardians.1.employer',
        'child.guardians.0.employer',
        'child.guardianship.agreementDate',
        'child.guardianship.contactObligations',
      ]),
    );

    const opened = await openCase();
    const during = await identityOf(child.id);
    expect(during.forbidden).toEqual([]);
    expect(during.child).toMatchObject({
      name: '马小花',
      birthDate: `${child.idNumber.slice(6, 10)}-${child.idNumber.slice(10, 12)}-${child.idNumber.slice(12, 14)}`,
      idNumber: child.idNumber,
      residenceRegion: { code: REGIONS.villageA },
      householdRegion: { code: REGIONS.townshipA },
      guardianship: { kind: 'ENTRUSTED', agreementDate: '2024-02-20', contactObligations: 'Weekly video call' },
    });
    expect(during.child.guardians).toContainEqual({
      relation: 'FATHER',
      name: '马成',
      idNumber: '11010519491231002X',
      phone: '13800001111',
      employer: '深圳华强电子厂',
    });
    // The neighbour has no case: still masked in the same request shape.
    expectMasked(await identityOf(neighbour.id), neighbour.idNumber, '韩');

    const closed = await hub.gql('justiceCounty', UPDATE, {
      input: { id: opened.id, version: opened.version, status: 'CLOSED', outcome: 'Maintenance agreed by mediation' },
    });
    expect(closed.data!.updateLegalAidCase).toMatchObject({ status: 'CLOSED', version: opened.version + 1 });
    await hub.settle();
    expectMasked(await identityOf(child.id), child.idNumber, '马');
  });

  test('a pending guardianship proceeding opens the record too, until the court decides', async () => {
    const filed = await hub.gql('justiceCounty', FILE, {
      input: {
        childId: child.id,
        kind: 'CHANGE',
        petitioner: '大通县民政局',
        court: '大通县人民法院',
        filedOn: '2026-01-05',
      },
    });
    const proceeding = filed.data!.fileGuardianshipProceeding;
    await hub.settle(); // the registry learns of the open case from justice's feed
    expect((await identityOf(child.id)).child.idNumber).toBe(child.idNumber);
    const hearing = await hub.gql('justiceCounty', DECIDE, {
      input: { id: proceeding.id, version: proceeding.version, status: 'HEARING' },
    });
    expect(hearing.data!.recordProceedingDecision).toMatchObject({ status: 'HEARING' });
    expect((await identityOf(child.id)).child.idNumber).toBe(child.idNumber);
    const decided = await hub.gql('justiceCounty', DECIDE, {
      input: {
        id: proceeding.id,
        version: hearing.data!.recordProceedingDecision.version,
        status: 'DECIDED',
        decisionDate: '2026-03-01',
        decision: 'Guardianship moves to the grandmother',
      },
    });
    expect(decided.data!.recordProceedingDecision).toMatchObject({ status: 'DECIDED', decisionDate: '2026-03-01' });
    await hub.settle();
    expectMasked(await identityOf(child.id), child.idNumber, '马');
  });

  test('the same child reached through justice’s work list is masked or full by the same rule', async () => {
    const open = await openCase(neighbour.id, 'CRIMINAL_VICTIM');
    const res = await hub.gql(
      'justiceCounty',
      `{ legalAidCases(first: 10) { edges { node { id status child { id name idNumber } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.legalAidCases.edges.map((e: { node: unknown }) => e.node);
    expect(nodes[0]).toEqual({
      id: open.id,
      status: 'OPEN',
      child: { id: neighbour.id, name: '韩小龙', idNumber: neighbour.idNumber },
    });
    const closedOne = nodes.find((n: { child: { id: string } }) => n.child.id === child.id);
    expect(closedOne.child).toEqual({ id: child.id, name: '马**', idNumber: masked(child.idNumber) });
    await hub.gql('justiceCounty', UPDATE, {
      input: { id: open.id, version: open.version, status: 'CLOSED', outcome: 'Offender convicted' },
    });
  });

  test('other departments are not affected by justice’s cases', async () => {
    const open = await openCase(neighbour.id, 'OTHER');
    const education = await identityOf(neighbour.id, 'educationCounty');
    expect(education.child.idNumber).toBe(masked(neighbour.idNumber));
    expect(education.child.name).toBe('韩小龙');
    await hub.gql('justiceCounty', UPDATE, {
      input: { id: open.id, version: open.version, status: 'CLOSED', outcome: 'Advice given' },
    });
  });

  test('justice cannot search children by name or identity number, which it sees masked', async () => {
    const res = await hub.gql('justiceCounty', `{ children(first: 5, filter: { search: "马" }) { totalCount } }`);
    expectCode(res, 'FORBIDDEN');
    const list = await hub.gql('justiceCounty', `{ children(first: 5) { totalCount edges { node { name } } } }`);
    expect(list.data!.children.totalCount).toBeGreaterThanOrEqual(2);
  });
});

describe('legal-aid cases', () => {
  test('open, move on and close a case; civil affairs follows it; the child lists it', async () => {
    const opened = await openCase(child.id, 'CIVIL_CLAIM');
    expect(opened).toMatchObject({
      status: 'OPEN',
      caseType: 'CIVIL_CLAIM',
      outcome: null,
      closedAt: null,
      version: 1,
    });
    const moved = await hub.gql('justiceCounty', UPDATE, {
      input: { id: opened.id, version: 1, status: 'IN_PROGRESS', provider: '青海昆仑律师事务所' },
    });
    expect(moved.data!.updateLegalAidCase).toMatchObject({
      status: 'IN_PROGRESS',
      provider: '青海昆仑律师事务所',
      version: 2,
    });
    const closed = await hub.gql('justiceCounty', UPDATE, {
      input: { id: opened.id, version: 2, status: 'CLOSED', outcome: 'Judgment for the child' },
    });
    expect(closed.data!.updateLegalAidCase).toMatchObject({ status: 'CLOSED', outcome: 'Judgment for the child' });
    expect(closed.data!.updateLegalAidCase.closedAt).toEqual(expect.any(String));

    for (const who of ['justiceCounty', 'civilCounty'] as const) {
      const res = await hub.gql(who, JUSTICE_OF_CHILD, { id: child.id });
      expect(res.errors).toBeUndefined();
      expect(res.data!.child.legalAidCases).toContainEqual({ id: opened.id, status: 'CLOSED' });
    }
  });

  test('the work list pages newest first, filters by status and region, and counts', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total: number;
    do {
      const res: GraphQLResponse = await hub.gql(
        'justiceCounty',
        `query($after: String) { legalAidCases(first: 2, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { id openedAt } } } }`,
        { after },
      );
      const conn = res.data!.legalAidCases;
      total = conn.totalCount;
      for (const e of conn.edges) seen.push(`${e.node.openedAt}|${e.node.id}`);
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    expect(total).toBeGreaterThanOrEqual(4);
    expect(seen).toHaveLength(total);
    expect(seen).toEqual([...seen].sort().reverse());

    const closed = await hub.gql(
      'civilCounty',
      `{ legalAidCases(status: CLOSED, regionCode: "${REGIONS.townshipA}") { totalCount } }`,
    );
    expect(closed.data!.legalAidCases.totalCount).toBe(await hub.count('justice.legal_aid_case', "status = 'CLOSED'"));
    const elsewhere = await hub.gql(
      'justiceCounty',
      `{ legalAidCases(regionCode: "${REGIONS.townshipB}") { totalCount } }`,
    );
    expect(elsewhere.data!.legalAidCases.totalCount).toBe(0);
  });

  test('reopening a closed case, going back, or a stale version is a CONFLICT and changes nothing', async () => {
    const opened = await openCase(child.id, 'OTHER');
    const moved = await hub.gql('justiceCounty', UPDATE, {
      input: { id: opened.id, version: 1, status: 'IN_PROGRESS' },
    });
    expect(moved.errors).toBeUndefined();
    const back = await hub.gql('justiceCounty', UPDATE, { input: { id: opened.id, version: 2, status: 'OPEN' } });
    expectCode(back, 'CONFLICT', 'status');
    const stale = await hub.gql('justiceCounty', UPDATE, {
      input: { id: opened.id, version: 1, status: 'CLOSED', outcome: 'x' },
    });
    expectCode(stale, 'CONFLICT', 'version');
    await hub.gql('justiceCounty', UPDATE, { input: { id: opened.id, version: 2, status: 'CLOSED', outcome: 'Done' } });
    const before = await snapshot();
    for (const status of ['OPEN', 'IN_PROGRESS', 'CLOSED']) {
      const reopen = await hub.gql('justiceCounty', UPDATE, { input: { id: opened.id, version: 3, status } });
      expectCode(reopen, 'CONFLICT', 'status');
    }
    expect(await snapshot()).toEqual(before);
    expect(await hub.count('justice.legal_aid_case', `id = '${opened.id}' and version = 3 and outcome = 'Done'`)).toBe(
      1,
    );
  });

  test.each([
    ['provider', OPEN, () => ({ childId: child.id, caseType: 'OTHER', provider: '  ' })],
    ['caseType', OPEN, () => ({ childId: child.id, caseType: 'DIVORCE', provider: 'x' })],
    ['outcome', UPDATE, (id: string) => ({ id, version: 1, status: 'CLOSED' })],
    ['outcome', UPDATE, (id: string) => ({ id, version: 1, status: 'CLOSED', outcome: 'x'.repeat(2001) })],
  ])('a bad %s is BAD_USER_INPUT and writes nothing', async (field, mutation, input) => {
    const opened = await openCase(child.id, 'OTHER');
    const before = await snapshot();
    const res = await hub.gql('justiceCounty', mutation, { input: input(opened.id) });
    expect(res.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(JSON.stringify(res.errors)).toContain(field);
    expect(await snapshot()).toEqual(before);
    await hub.gql('justiceCounty', UPDATE, { input: { id: opened.id, version: 1, status: 'CLOSED', outcome: 'x' } });
  });

  test.each([
    ['first', '{ legalAidCases(first: 500) { totalCount } }'],
    ['after', '{ legalAidCases(after: "bm90LWEtY3Vyc29y") { totalCount } }'],
    ['regionCode', '{ legalAidCases(regionCode: "63x") { totalCount } }'],
  ])('a bad %s of the work list is BAD_USER_INPUT', async (field, query) => {
    expectCode(await hub.gql('justiceCounty', query), 'BAD_USER_INPUT', field);
  });
});

describe('guardianship proceedings', () => {
  test('a second pending petition of the same kind is a CONFLICT; a decided one is final', async () => {
    const input = {
      childId: neighbour.id,
      kind: 'REVOKE',
      petitioner: '大通县民政局',
      court: '大通县人民法院',
      filedOn: '2026-02-01',
    };
    const filed = (await hub.gql('justiceCounty', FILE, { input })).data!.fileGuardianshipProceeding;
    expect(filed).toMatchObject({ status: 'FILED', kind: 'REVOKE', filedOn: '2026-02-01', version: 1 });
    const before = await snapshot();
    expectCode(await hub.gql('justiceCounty', FILE, { input }), 'CONFLICT');
    expect(await snapshot()).toEqual(before);

    const withdrawn = await hub.gql('justiceCounty', DECIDE, {
      input: { id: filed.id, version: 1, status: 'WITHDRAWN', decisionDate: '2026-02-10' },
    });
    expect(withdrawn.data!.recordProceedingDecision).toMatchObject({ status: 'WITHDRAWN', decision: null });
    for (const status of ['HEARING', 'DECIDED', 'WITHDRAWN']) {
      const again = await hub.gql('justiceCounty', DECIDE, {
        input: { id: filed.id, version: 2, status, decisionDate: '2026-02-11', decision: 'x' },
      });
      expectCode(again, 'CONFLICT', 'status');
    }
    // Withdrawn, the child may be petitioned for again.
    expect((await hub.gql('justiceCounty', FILE, { input })).errors).toBeUndefined();
    const list = await hub.gql(
      'civilCounty',
      `{ guardianshipProceedings(status: FILED) { totalCount edges { node { child { id } } } } }`,
    );
    expect(list.data!.guardianshipProceedings.edges).toContainEqual({ node: { child: { id: neighbour.id } } });
  });

  test.each([
    [
      'filedOn',
      FILE,
      () => ({ childId: child.id, kind: 'REVOKE', petitioner: 'p', court: 'c', filedOn: '2999-01-01' }),
    ],
    ['court', FILE, () => ({ childId: child.id, kind: 'REVOKE', petitioner: 'p', court: '', filedOn: '2026-01-01' })],
    ['status', DECIDE, (id: string) => ({ id, version: 1, status: 'FILED' })],
    ['decisionDate', DECIDE, (id: string) => ({ id, version: 1, status: 'HEARING', decisionDate: '2026-01-02' })],
    ['decisionDate', DECIDE, (id: string) => ({ id, version: 1, status: 'DECIDED', decision: 'x' })],
    [
      'decisionDate',
      DECIDE,
      (id: string) => ({ id, version: 1, status: 'DECIDED', decisionDate: '2025-12-31', decision: 'x' }),
    ],
    ['decision', DECIDE, (id: string) => ({ id, version: 1, status: 'DECIDED', decisionDate: '2026-01-02' })],
  ])('a bad %s is BAD_USER_INPUT and writes nothing', async (field, mutation, input) => {
    const filed = await hub.gql('justiceCounty', FILE, {
      input: { childId: child.id, kind: 'RESTORE', petitioner: 'p', court: 'c', filedOn: '2026-01-01' },
    });
    const id = filed.data!.fileGuardianshipProceeding.id;
    const before = await snapshot();
    const res = await hub.gql('justiceCounty', mutation, { input: input(id) });
    expectCode(res, 'BAD_USER_INPUT', field);
    expect(await snapshot()).toEqual(before);
    await hub.gql('justiceCounty', DECIDE, {
      input: { id, version: 1, status: 'WITHDRAWN', decisionDate: '2026-01-01' },
    });
  });
});

describe('accountability records', () => {
  const measure = (overrides: Record<string, unknown> = {}) => ({
    childId: child.id,
    guardianId: fatherId,
    measure: 'WARNING',
    issuingDepartment: 'PUBLIC_SECURITY',
    issuedOn: '2026-04-01',
    notes: 'Left the child alone for two weeks',
    ...overrides,
  });

  test('public security records the warnings it issues and reads them; justice records any issuer’s', async () => {
    const police = await hub.gql('policeCounty', ACCOUNT, { input: measure() });
    expect(police.errors).toBeUndefined();
    expect(police.data!.recordAccountability).toMatchObject({
      measure: 'WARNING',
      issuingDepartment: 'PUBLIC_SECURITY',
      guardian: { id: fatherId, name: '马成' },
      child: { id: child.id },
    });
    const court = await hub.gql('justiceCounty', ACCOUNT, {
      input: measure({ measure: 'EDUCATION_ORDER', issuingDepartment: 'COURT', notes: null }),
    });
    expect(court.data!.recordAccountability).toMatchObject({ issuingDepartment: 'COURT', guardian: { name: '马**' } });

    const res = await hub.gql('policeCounty', JUSTICE_OF_CHILD, { id: child.id });
    expect(res.data!.child.accountabilityRecords.map((r: { measure: string }) => r.measure).sort()).toEqual([
      'EDUCATION_ORDER',
      'WARNING',
    ]);
    expect(res.data!.child.legalAidCases).toBeNull();
    expect(new Set(res.errors!.map((e) => `${e.path!.join('.')} ${e.extensions!.code}`))).toEqual(
      new Set(['child.legalAidCases FORBIDDEN', 'child.guardianshipProceedings FORBIDDEN']),
    );
  });

  test('public security may not record a measure another department issued', async () => {
    const before = await snapshot();
    expectCode(await hub.gql('policeCounty', ACCOUNT, { input: measure({ issuingDepartment: 'COURT' }) }), 'FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });

  test.each([
    ['guardianId', () => measure({ guardianId: neighbourFatherId })],
    ['guardianId', () => measure({ guardianId: 'not-a-uuid' })],
    ['issuedOn', () => measure({ issuedOn: '2999-01-01' })],
    ['notes', () => measure({ notes: 'x'.repeat(2001) })],
  ])('a bad %s is BAD_USER_INPUT and writes nothing', async (field, input) => {
    const before = await snapshot();
    expectCode(await hub.gql('justiceCounty', ACCOUNT, { input: input() }), 'BAD_USER_INPUT', field);
    expect(await snapshot()).toEqual(before);
  });
});

describe('who may', () => {
  test.each<PersonaName>(['educationCounty', 'youthCounty', 'womenCounty', 'enterprise', 'supervisionProvince'])(
    '%s may neither read nor write justice records',
    async (persona) => {
      const before = await snapshot();
      for (const res of [
        await hub.gql(persona, OPEN, { input: { childId: child.id, caseType: 'OTHER', provider: 'x' } }),
        await hub.gql(persona, ACCOUNT, {
          input: {
            childId: child.id,
            guardianId: fatherId,
            measure: 'WARNING',
            issuingDepartment: 'JUSTICE',
            issuedOn: '2026-01-01',
          },
        }),
        await hub.gql(persona, '{ legalAidCases { totalCount } }'),
        await hub.gql(persona, '{ guardianshipProceedings { totalCount } }'),
      ]) {
        expectCode(res, 'FORBIDDEN');
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  test('education reads the child but none of justice’s fields on it', async () => {
    const res = await hub.gql('educationCounty', JUSTICE_OF_CHILD, { id: child.id });
    expect(res.data!.child).toEqual({
      legalAidCases: null,
      guardianshipProceedings: null,
      accountabilityRecords: null,
    });
    expect(res.errors!.every((e) => e.extensions!.code === 'FORBIDDEN')).toBe(true);
  });

  test('civil affairs reads but does not write; a reader-only justice account does not write', async () => {
    for (const who of ['civilCounty', justiceReadOnly] as const) {
      expectCode(
        await hub.gql(who, OPEN, { input: { childId: child.id, caseType: 'OTHER', provider: 'x' } }),
        'FORBIDDEN',
      );
    }
    const res = await hub.gql(justiceReadOnly, '{ legalAidCases { totalCount } }');
    expect(res.data!.legalAidCases.totalCount).toBeGreaterThan(0);
  });
});

describe('jurisdiction', () => {
  test('justice of another county sees none of these cases and cannot open one for these children', async () => {
    const before = await snapshot();
    expectCode(
      await hub.gql(justiceOtherCounty, OPEN, { input: { childId: child.id, caseType: 'OTHER', provider: 'x' } }),
      'NOT_FOUND',
    );
    expect((await hub.gql(justiceOtherCounty, '{ legalAidCases { totalCount } }')).data!.legalAidCases.totalCount).toBe(
      0,
    );
    const opened = await openCase(child.id, 'OTHER');
    expectCode(
      await hub.gql(justiceOtherCounty, UPDATE, {
        input: { id: opened.id, version: 1, status: 'CLOSED', outcome: 'x' },
      }),
      'NOT_FOUND',
    );
    expect((await hub.gql(justiceOtherCounty, `{ child(id: "${child.id}") { id } }`)).data!.child).toBeNull();
    expect(await hub.count('justice.legal_aid_case')).toBe(before[0] + 1);
    await hub.gql('justiceCounty', UPDATE, { input: { id: opened.id, version: 1, status: 'CLOSED', outcome: 'x' } });
  });

  test('a township account of justice works only its own township', async () => {
    const townshipB: Persona = { dept: 'JUSTICE', region: REGIONS.townshipB, roles: ['reader', 'writer'] };
    expectCode(
      await hub.gql(townshipB, FILE, {
        input: { childId: child.id, kind: 'REVOKE', petitioner: 'p', court: 'c', filedOn: '2026-01-01' },
      }),
      'NOT_FOUND',
    );
    expect(
      (await hub.gql(townshipB, '{ guardianshipProceedings { totalCount } }')).data!.guardianshipProceedings.totalCount,
    ).toBe(0);
  });
});

test('with the registry and justice each served over HTTP, the registry still sees justice’s open cases', async () => {
  // The registry learns of justice's open cases from justice's feed, over HTTP here.
  const split = await startTestHub({ remote: ['registry', 'justice'] });
  try {
    const { id, idNumber } = await registerChild(split, { name: '祁小燕' });
    const view = async () => (await split.gql('justiceCounty', `{ child(id: "${id}") { name idNumber } }`)).data!.child;
    expect(await view()).toEqual({ name: '祁**', idNumber: expect.stringContaining('********') });
    const res = await split.gql('justiceCounty', OPEN, { input: { childId: id, caseType: 'OTHER', provider: 'x' } });
    await split.settle();
    expect(await view()).toEqual({ name: '祁小燕', idNumber });
    await split.gql('justiceCounty', UPDATE, {
      input: { id: res.data!.openLegalAidCase.id, version: 1, status: 'CLOSED', outcome: 'Advice given' },
    });
    await split.settle();
    expect((await view()).name).toBe('祁**');
  } finally {
    await split.close();
  }
});

describe('on the demo data', () => {
  /** A hub of its own, since the demo seeds only an empty registry. */
  let demo: TestHub;

  beforeAll(async () => {
    demo = await startTestHub();
    const pool = demo.seedDatabases();
    await seedDemo(pool, { children: 600, identityHash: demo.identityHash }, [REGIONS.county]);
    await pool.end();
    await demo.settle(); // the registry learns the open cases from justice's feed
  });

  afterAll(() => demo.close());

  test('the seed writes open and closed cases, proceedings and accountability for guardians of the child', async () => {
    const q = (table: string, where?: string) => demo.count(table, where);
    expect(await q('justice.legal_aid_case', "status <> 'CLOSED'")).toBeGreaterThan(0);
    expect(await q('justice.legal_aid_case', "status = 'CLOSED' and outcome is not null")).toBeGreaterThan(0);
    // Justice's rows name the registry's children and guardians (two databases when split).
    const children = new Map(
      (await demo.sql<{ id: string; region_code: string }>('select id, region_code from registry.child')).map((c) => [
        c.id,
        c.region_code,
      ]),
    );
    const temporary = new Set(
      (
        await demo.sql<{ child_id: string }>(
          "select child_id from registry.guardianship where kind = 'GOVERNMENT_TEMPORARY'",
        )
      ).map((g) => g.child_id),
    );
    const guardianOf = new Map(
      (await demo.sql<{ id: string; child_id: string }>('select id, child_id from registry.guardian')).map((g) => [
        g.id,
        g.child_id,
      ]),
    );
    const proceedings = await demo.sql<{ child_id: string }>('select child_id from justice.guardianship_proceeding');
    expect(proceedings.filter((p) => temporary.has(p.child_id)).length).toBeGreaterThan(0);
    expect(await q('justice.accountability_record')).toBeGreaterThan(0);
    const records = await demo.sql<{ guardian_id: string; child_id: string }>(
      'select guardian_id, child_id from justice.accountability_record',
    );
    expect(records.filter((r) => guardianOf.get(r.guardian_id) !== r.child_id)).toEqual([]);
    for (const table of TABLES) {
      const rows = await demo.sql<{ child_id: string; region_code: string }>(
        `select child_id, region_code from ${table}`,
      );
      expect(rows.filter((r) => children.get(r.child_id) !== r.region_code)).toEqual([]);
    }
  });

  const page = (first: number) => `{
    children(first: ${first}) { edges { node {
      id name idNumber residenceRegion { code }
      guardians { name idNumber phone }
      guardianship { kind agreementDate }
      legalAidCases { status }
      guardianshipProceedings { status }
    } } }
  }`;

  test('a page of children costs the same statements for 100 children as for 5, masked or full per child', async () => {
    const counts = [];
    for (const first of [5, 50, 100]) {
      // The first read of a page reads regions this process has not met yet.
      await demo.gql('justiceCounty', page(first));
      const before = ['registry', 'justice'].map((s) => demo.sqlStatements(s));
      const res = await demo.gql('justiceCounty', page(first));
      counts.push(['registry', 'justice'].map((s, i) => demo.sqlStatements(s) - before[i]));
      expect(res.data!.children.edges).toHaveLength(first);
      // Denials are per child: only where there is no open case.
      for (const e of res.errors ?? []) expect(e.extensions!.code).toBe('FORBIDDEN');
    }
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[2]).toEqual(counts[0]);
    // The registry: children, guardians with guardianship, the open cases it knows of (one check
    // for children, guardians and guardianship alike), its audit event; justice: legal-aid cases,
    // proceedings, its audit event.
    expect(counts[0]).toEqual([4, 3]);

    const res = await demo.gql('justiceCounty', page(100));
    type Node = {
      name: string;
      idNumber: string;
      legalAidCases: { status: string }[];
      guardianshipProceedings: { status: string }[];
    };
    const nodes: Node[] = res.data!.children.edges.map((e: { node: Node }) => e.node);
    const isOpen = (n: Node) =>
      n.legalAidCases.some((c) => c.status !== 'CLOSED') ||
      n.guardianshipProceedings.some((p) => p.status === 'FILED' || p.status === 'HEARING');
    const open = nodes.filter(isOpen);
    const closed = nodes.filter((n) => !isOpen(n));
    expect(open.length).toBeGreaterThan(0);
    expect(closed.length).toBeGreaterThan(0);
    for (const n of open) expect(n.idNumber).toMatch(/^\d{17}[\dX]$/);
    for (const n of closed)
      expect([n.idNumber, n.name]).toEqual([expect.stringContaining('********'), expect.stringMatching(/\*\*$/)]);
  });
});
