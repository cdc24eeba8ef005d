import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEMO_TODAY, seedDemo } from '../seeds/demo';
import { identityHash, identityHashFromConfig } from '../src/auth/identity-hash';
import { loadConfig } from '../src/config';
import { totals } from '../src/subgraphs/enterprise/assistance-read.service';
import { AssistanceReportSchema } from '../src/subgraphs/enterprise/assistance-report.entity';
import { creditCodeError, makeCreditCode } from '../src/subgraphs/enterprise/credit-code';
import { enterpriseLoaders } from '../src/subgraphs/enterprise/enterprise.loaders';
import { makeIdNumber } from '../src/domain/id-number';
import { registerChild, startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub';
import { ENTERPRISES, PERSONAS, REGIONS, type Persona, type PersonaName } from './helpers/personas';

let hub: TestHub;

const rw: Persona['roles'] = ['reader', 'writer'];
/** A Suzhou enterprise, where the Datong children's parents work, and the accounts around it. */
const SUZHOU = '320505';
const SUZHOU_CODE = makeCreditCode(SUZHOU, 4_711);
const civilSuzhou: Persona = { dept: 'CIVIL_AFFAIRS', region: '3205', roles: rw };
const suzhouEnterprise: Persona = { dept: 'ENTERPRISE', region: SUZHOU, roles: rw, enterprise: SUZHOU_CODE };
const supervisionJiangsu: Persona = { dept: 'SUPERVISION', region: '32', roles: ['reader'] };
const unregistered: Persona = { ...PERSONAS.enterprise, enterprise: makeCreditCode(REGIONS.county, 999) };

const REGISTER_ENTERPRISE = `mutation($input: RegisterEnterpriseInput!) {
  registerEnterprise(input: $input) { creditCode name region { code } labourIntensive contactName contactPhone }
}`;
const REPORT = `mutation($input: AssistanceReportInput!) {
  reportAssistance(input: $input) { clientKey reportId receivedAt duplicate }
}`;
const BATCH = `mutation($rows: [AssistanceReportInput!]!) {
  reportAssistanceBatch(rows: $rows) {
    __typename
    ... on AssistanceBatchAccepted { written duplicates receipts { clientKey reportId receivedAt duplicate } }
    ... on AssistanceBatchRejected { rowErrors { row field reason } }
  }
}`;
const REPORTS = `query($first: Int, $after: String) {
  assistanceReports(first: $first, after: $after) {
    edges { cursor node { id clientKey kind date workerIdNumbers workersCovered amount notes receivedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SUMS = '{ reports workersCovered amount }';
const TOTALS = `query($from: Date!, $to: Date!) {
  assistanceTotals(from: $from, to: $to) { all ${SUMS} byKind { kind sums ${SUMS} } }
}`;
const AGGREGATES = `query($region: ID!, $from: Date!, $to: Date!) {
  assistanceAggregates(regionCode: $region, from: $from, to: $to) {
    region { code name }
    all ${SUMS}
    byKind { kind sums ${SUMS} }
    byEnterprise { creditCode name region { code } labourIntensive sums ${SUMS} }
    byCounty { county { code name } enterprises sums ${SUMS} }
  }
}`;
const FAMILY = `query($id: ID!) { child(id: $id) { id familyAssistance { enterpriseName kind date amount notes } } }`;
const ADD_GUARDIAN = `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id name idNumber } }`;

let sequence = 0;
/** A valid identity number of a worker from Henan, new on every call. */
function workerId(): string {
  sequence += 1;
  return makeIdNumber('411302', `19${80 + (sequence % 20)}-0${1 + (sequence % 9)}-1${sequence % 10}`, sequence, 'MALE');
}

function row(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    clientKey: `key-${sequence}`,
    kind: 'SITE_LECTURE',
    date: '2026-03-01',
    workerIdNumbers: [workerId()],
    notes: null,
    amount: null,
    ...overrides,
  };
}

const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const forbiddenAt = (res: GraphQLResponse) =>
  (res.errors ?? []).map((e) => {
    expect(e.extensions?.code).toBe('FORBIDDEN');
    return e.path!.filter((p) => typeof p === 'string').join('.');
  });

const TABLES = ['enterprise.enterprise', 'enterprise.worker', 'enterprise.worker_link', 'enterprise.assistance_report'];
const snapshot = () => Promise.all(TABLES.map((t) => hub.count(t)));

async function registerEnterprise(who: PersonaName | Persona, creditCode: string, regionCode: string, name: string) {
  const res = await hub.gql(who, REGISTER_ENTERPRISE, {
    input: { creditCode, name, regionCode, labourIntensive: true, contactName: '王经理', contactPhone: '0971-6123456' },
  });
  if (!res.data?.registerEnterprise) throw new Error(`registration failed: ${JSON.stringify(res.errors)}`);
  return res.data.registerEnterprise;
}

async function report(who: PersonaName | Persona, input: Record<string, unknown>) {
  const res = await hub.gql(who, REPORT, { input });
  if (!res.data?.reportAssistance) throw new Error(`report failed: ${JSON.stringify(res.errors)}`);
  return res.data.reportAssistance;
}

/** A child of `village` with a father working away, registered by the county's civil affairs. */
async function childWithFather(village: string, fatherId: string) {
  const child = await registerChild(hub, {}, village);
  const res = await hub.gql('civilCounty', ADD_GUARDIAN, {
    input: { childId: child.id, relation: 'FATHER', name: '马父', idNumber: fatherId, workingAway: true },
  });
  if (!res.data?.addGuardian) throw new Error(JSON.stringify(res.errors));
  return child.id;
}

/** Parents of registered children, and numbers nobody registered. */
const FATHER_A = makeIdNumber('630121', '1986-04-12', 31, 'MALE');
const FATHER_B = makeIdNumber('630121', '1984-07-02', 41, 'MALE');
const LATE_FATHER = makeIdNumber('630121', '1983-01-20', 51, 'MALE');
let childA: string;
let childB: string;
let childLate: string;

beforeAll(async () => {
  hub = await startTestHub();
  await registerEnterprise('civilCounty', ENTERPRISES.a, REGIONS.townshipA, '大通县毛纺织有限公司');
  await registerEnterprise('civilCounty', ENTERPRISES.b, REGIONS.county, '大通县农产品加工厂');
  await registerEnterprise(civilSuzhou, SUZHOU_CODE, SUZHOU, '苏州精密电子有限公司');
  childA = await childWithFather(REGIONS.villageA, FATHER_A);
  childB = await childWithFather(REGIONS.villageB, FATHER_B);
  childLate = (await registerChild(hub, {}, REGIONS.villageA)).id;
});

afterAll(() => hub.close());

describe('unified social credit codes (GB 32100)', () => {
  test.each(['91440300708461136T', '9144030071526726XG', '91350100M000100Y43', ENTERPRISES.a, ENTERPRISES.b])(
    '%s is valid',
    (code) => expect(creditCodeError(code)).toBeNull(),
  );

  test.each([
    ['91440300708461136A', /check character/],
    ['91630121MA7XYZ1234', /except I, O, S, V and Z/],
    ['9144030070846113', /18 characters/],
    ['91AB0300708461136T', /region code/],
    ['91440300708461136t', /capital letters/],
  ])('%s is not', (code, reason) => expect(creditCodeError(code)).toMatch(reason));

  test('registering an enterprise checks the code and writes nothing when it is wrong', async () => {
    const before = await snapshot();
    const res = await hub.gql('civilCounty', REGISTER_ENTERPRISE, {
      input: {
        creditCode: `${ENTERPRISES.a.slice(0, 17)}0`,
        name: '某厂',
        regionCode: REGIONS.county,
        labourIntensive: true,
        contactName: '王',
        contactPhone: '0971-6123456',
      },
    });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'creditCode' });
    expect(await snapshot()).toEqual(before);
  });

  test('a token whose enterprise claim is not a valid code is refused', async () => {
    const res = await hub.gql(
      { ...PERSONAS.enterprise, enterprise: '91630121MA7XYW1230' },
      '{ myEnterprise { name } }',
    );
    expect(res.status).toBe(401);
    expect(res.errors![0].message).toMatch(/enterprise/);
  });
});

describe('registering enterprises', () => {
  test('an enterprise account reads its own record, and only its own', async () => {
    const a = await hub.gql('enterprise', '{ myEnterprise { creditCode name region { code name } labourIntensive } }');
    expect(a.data!.myEnterprise).toEqual({
      creditCode: ENTERPRISES.a,
      name: '大通县毛纺织有限公司',
      region: { code: REGIONS.townshipA, name: '城关镇' },
      labourIntensive: true,
    });
    const b = await hub.gql('enterpriseB', '{ myEnterprise { creditCode } }');
    expect(b.data!.myEnterprise).toEqual({ creditCode: ENTERPRISES.b });
    expect((await hub.gql(unregistered, '{ myEnterprise { creditCode } }')).data!.myEnterprise).toBeNull();
  });

  test('a code registered already is a CONFLICT, even from another jurisdiction, without saying where', async () => {
    const before = await snapshot();
    const input = {
      creditCode: SUZHOU_CODE,
      name: '重名',
      labourIntensive: false,
      contactName: '李',
      contactPhone: '0971-1234567',
    };
    const res = await hub.gql('civilCounty', REGISTER_ENTERPRISE, { input: { ...input, regionCode: REGIONS.county } });
    expect(res.errors![0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(res.errors![0].message).not.toContain(SUZHOU);
    expect(await snapshot()).toEqual(before);
  });

  test('civil affairs registers only in its own jurisdiction', async () => {
    const before = await snapshot();
    const res = await hub.gql('civilOtherCounty', REGISTER_ENTERPRISE, {
      input: {
        creditCode: makeCreditCode(REGIONS.county, 77),
        name: '越界厂',
        regionCode: REGIONS.county,
        labourIntensive: true,
        contactName: '李',
        contactPhone: '0971-1234567',
      },
    });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(await snapshot()).toEqual(before);
  });

  test.each([
    ['regionCode', { regionCode: '63' }],
    ['regionCode', { regionCode: '630121999' }],
    ['name', { name: ' ' }],
    ['contactPhone', { contactPhone: 'call me' }],
  ])('rejects a bad %s', async (field, change) => {
    const res = await hub.gql('civilCounty', REGISTER_ENTERPRISE, {
      input: {
        creditCode: makeCreditCode(REGIONS.county, 78),
        name: '某厂',
        regionCode: REGIONS.county,
        labourIntensive: true,
        contactName: '李',
        contactPhone: '0971-1234567',
        ...change,
      },
    });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  test.each<PersonaName>(['enterprise', 'educationCounty', 'supervisionProvince', 'youthCounty'])(
    '%s may not register enterprises',
    async (persona) => {
      const res = await hub.gql(persona, REGISTER_ENTERPRISE, {
        input: {
          creditCode: makeCreditCode(REGIONS.county, 79),
          name: '某厂',
          regionCode: REGIONS.county,
          labourIntensive: true,
          contactName: '李',
          contactPhone: '0971-1234567',
        },
      });
      expect(forbiddenAt(res)).toEqual(['registerEnterprise']);
    },
  );
});

describe('reportAssistance', () => {
  test('records a report; a retry returns the original receipt and writes nothing', async () => {
    const input = row({ kind: 'HARDSHIP_AID', amount: '1200.5', notes: '子女助学？' });
    const first = await report('enterprise', input);
    expect(first).toMatchObject({ clientKey: input.clientKey, duplicate: false });
    const before = await snapshot();
    const again = await report('enterprise', { ...input, amount: '1200.50', notes: ' 子女助学？ ' });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await snapshot()).toEqual(before);

    const listed = (await hub.gql('enterprise', REPORTS, { first: 100 })).data!.assistanceReports.edges.map(
      (e: { node: Record<string, unknown> }) => e.node,
    );
    const worker = input.workerIdNumbers[0];
    expect(listed.find((r: { id: string }) => r.id === first.reportId)).toEqual({
      id: first.reportId,
      clientKey: input.clientKey,
      kind: 'HARDSHIP_AID',
      date: '2026-03-01',
      workerIdNumbers: [`${worker.slice(0, 6)}********${worker.slice(14)}`],
      workersCovered: 1,
      amount: '1200.50',
      notes: '子女助学？',
      receivedAt: first.receivedAt,
    });
  });

  test('the same key with other content is a CONFLICT and changes nothing', async () => {
    const input = row();
    await report('enterprise', input);
    const before = await snapshot();
    const res = await hub.gql('enterprise', REPORT, { input: { ...input, date: '2026-03-02' } });
    expect(res.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'clientKey' });
    expect(await snapshot()).toEqual(before);
  });

  test.each([
    ['amount', { kind: 'HARDSHIP_AID' }],
    ['amount', { kind: 'SITE_LECTURE', amount: '100' }],
    ['amount', { kind: 'REUNION_TRAVEL', amount: '-5' }],
    ['amount', { kind: 'REUNION_TRAVEL', amount: '0.00' }],
    ['amount', { kind: 'REUNION_TRAVEL', amount: '12.345' }],
    ['date', { date: '2026-02-30' }],
    ['date', { date: '2999-01-01' }],
    ['workerIdNumbers[0]', { workerIdNumbers: ['411302198001011234'] }],
    ['workerIdNumbers', { workerIdNumbers: [] }],
    ['clientKey', { clientKey: 'has space' }],
    ['notes', { notes: '长'.repeat(501) }],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    const before = await snapshot();
    const res = await hub.gql('enterprise', REPORT, { input: row(change) });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await snapshot()).toEqual(before);
  });

  test('an enterprise civil affairs has not registered cannot report', async () => {
    const res = await hub.gql(unregistered, REPORT, { input: row() });
    expect(codes(res)).toEqual(['NOT_FOUND']);
  });

  test.each<PersonaName>(['civilCounty', 'educationCounty', 'youthCounty', 'supervisionProvince'])(
    '%s may neither report nor read enterprises’ reports',
    async (persona) => {
      expect(forbiddenAt(await hub.gql(persona, REPORT, { input: row() }))).toEqual(['reportAssistance']);
      expect(forbiddenAt(await hub.gql(persona, REPORTS, {}))).toEqual(['assistanceReports']);
      const totals = await hub.gql(persona, TOTALS, { from: '2026-01-01', to: '2026-12-31' });
      expect(forbiddenAt(totals)).toEqual(['assistanceTotals']);
    },
  );

  test('an enterprise token without the writer role cannot report', async () => {
    const res = await hub.gql({ ...PERSONAS.enterprise, roles: ['reader'] }, REPORT, { input: row() });
    expect(forbiddenAt(res)).toEqual(['reportAssistance']);
  });
});

describe('isolation between enterprises', () => {
  test('each enterprise reads only its own reports and totals, even in the same region', async () => {
    const mine = await report('enterprise', row({ kind: 'FLEXIBLE_LEAVE', date: '2025-06-01' }));
    const theirs = await report('enterpriseB', row({ kind: 'FLEXIBLE_LEAVE', date: '2025-06-01' }));
    const idsOf = async (who: PersonaName) =>
      (await hub.gql(who, REPORTS, { first: 100 })).data!.assistanceReports.edges.map(
        (e: { node: { id: string } }) => e.node.id,
      );
    expect(await idsOf('enterprise')).toContain(mine.reportId);
    expect(await idsOf('enterprise')).not.toContain(theirs.reportId);
    expect(await idsOf('enterpriseB')).toEqual([theirs.reportId]);
    const totals = async (who: PersonaName) =>
      (await hub.gql(who, TOTALS, { from: '2025-06-01', to: '2025-06-01' })).data!.assistanceTotals;
    expect(await totals('enterpriseB')).toEqual({
      all: { reports: 1, workersCovered: 1, amount: '0.00' },
      byKind: [{ kind: 'FLEXIBLE_LEAVE', sums: { reports: 1, workersCovered: 1, amount: '0.00' } }],
    });
    expect((await totals('enterprise')).all.reports).toBe(1);
  });

  test('reusing another enterprise’s client key records a report of one’s own and leaves theirs alone', async () => {
    const theirs = row({ kind: 'PARENT_SCHOOL', date: '2025-07-01' });
    const b = await report('enterpriseB', theirs);
    const a = await report('enterprise', { ...theirs, date: '2025-07-02' });
    expect(a).toMatchObject({ clientKey: theirs.clientKey, duplicate: false });
    expect(a.reportId).not.toBe(b.reportId);
    const again = await report('enterpriseB', theirs);
    expect(again).toEqual({ ...b, duplicate: true });
  });

  test('in the data layer: A’s entity manager finds none of B’s rows and cannot write one', async () => {
    const facts = { token: '', requestId: 'test', purpose: null };
    const ctxA = hub.runtimes
      .get('enterprise')!
      .contextFor({ ...facts, principal: { ...PERSONAS.enterprise, sub: 'a' } });
    expect(await ctxA.em.find(AssistanceReportSchema, { enterpriseCode: ENTERPRISES.b })).toEqual([]);
    expect(await ctxA.em.count(AssistanceReportSchema, {})).toBe(
      await hub.count('enterprise.assistance_report', `enterprise_code = '${ENTERPRISES.a}'`),
    );
    const before = await snapshot();
    ctxA.em.create(AssistanceReportSchema, {
      enterpriseCode: ENTERPRISES.b,
      regionCode: REGIONS.county,
      clientKey: 'forged',
      contentHash: '0'.repeat(64),
      kind: 'SITE_LECTURE',
      date: '2025-01-01',
      workerIds: [],
      amount: null,
      notes: null,
    } as never);
    await expect(ctxA.em.flush()).rejects.toMatchObject({
      message: 'Records of another enterprise cannot be written',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await snapshot()).toEqual(before);
  });

  test('in the data layer: sums are taken through the caller’s filters too', async () => {
    const facts = { token: '', requestId: 'test', purpose: null };
    const as = (persona: Persona) =>
      hub.runtimes.get('enterprise')!.contextFor({ ...facts, principal: { ...persona, sub: 's' } });
    const reports = async (persona: Persona) => (await totals(as(persona), '2000-01-01', '2026-12-31')).all.reports;
    expect(await reports(PERSONAS.civilOtherCounty)).toBe(0);
    expect(await reports(PERSONAS.enterpriseB)).toBe(
      await hub.count('enterprise.assistance_report', `enterprise_code = '${ENTERPRISES.b}'`),
    );
    expect(await reports(PERSONAS.civilCounty)).toBe(
      await hub.count('enterprise.assistance_report', `region_code like '${REGIONS.county}%'`),
    );
  });

  test('enterprises cannot read children at all', async () => {
    const res = await hub.gql('enterprise', FAMILY, { id: childA });
    expect(forbiddenAt(res)).toEqual(['child']);
  });
});

describe('links between workers and registered parents', () => {
  /** A receipt with the values that differ on every call replaced by their types. */
  const shape = (r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'duplicate' ? v : typeof v]));

  test('an enterprise cannot tell whether a worker is a registered child’s parent', async () => {
    const links = await hub.count('enterprise.worker_link');
    const statements = async (work: () => Promise<unknown>) => {
      const before = hub.sqlStatements();
      const result = await work();
      return { result, statements: hub.sqlStatements() - before };
    };
    const linked = await statements(() => report(suzhouEnterprise, row({ workerIdNumbers: [FATHER_A] })));
    expect(await hub.count('enterprise.worker_link')).toBe(links + 1);
    const unlinked = await statements(() => report(suzhouEnterprise, row({ workerIdNumbers: [workerId()] })));
    expect(await hub.count('enterprise.worker_link')).toBe(links + 1);
    expect(shape(linked.result as Record<string, unknown>)).toEqual(shape(unlinked.result as Record<string, unknown>));
    expect(linked.statements).toBe(unlinked.statements);

    const listed = (await hub.gql(suzhouEnterprise, REPORTS, { first: 2 })).data!.assistanceReports.edges.map(
      (e: { node: Record<string, unknown> }) => Object.keys(e.node),
    );
    expect(listed[0]).toEqual(listed[1]);
  });

  test('the hub keeps no worker’s full identity number, only its keyed hash and masked form', async () => {
    for (const table of ['worker', 'worker_link', 'assistance_report']) {
      expect(await hub.count(`enterprise.${table}`, `${table}::text like '%${FATHER_A}%'`)).toBe(0);
    }
    const [worker] = await hub.on('enterprise')(`select id_hash, id_masked from enterprise.worker where id_hash = ?`, [
      hub.identityHash(FATHER_A),
    ]);
    expect(worker).toEqual({ id_hash: hub.identityHash(FATHER_A), id_masked: `630121********${FATHER_A.slice(14)}` });
  });

  test('a guardian registered after the worker is linked too, without the registry saying so', async () => {
    const receipt = await report(
      suzhouEnterprise,
      row({ kind: 'REUNION_TRAVEL', date: '2026-01-20', amount: '650', workerIdNumbers: [LATE_FATHER] }),
    );
    expect((await hub.gql('civilCounty', FAMILY, { id: childLate })).data!.child.familyAssistance).toEqual([]);
    const links = await hub.count('enterprise.worker_link');
    const res = await hub.gql('civilCounty', ADD_GUARDIAN, {
      input: { childId: childLate, relation: 'FATHER', name: '晚父', idNumber: LATE_FATHER, workingAway: true },
    });
    expect(Object.keys(res.data!.addGuardian)).toEqual(['id', 'name', 'idNumber']);
    await hub.settle(); // the enterprise links its worker from the registry's GuardianAdded event
    expect(await hub.count('enterprise.worker_link')).toBe(links + 1);
    const family = (await hub.gql('civilCounty', FAMILY, { id: childLate })).data!.child.familyAssistance;
    expect(family).toEqual([
      {
        enterpriseName: '苏州精密电子有限公司',
        kind: 'REUNION_TRAVEL',
        date: '2026-01-20',
        amount: '650.00',
        notes: null,
      },
    ]);
    expect(receipt.duplicate).toBe(false);
  });
});

describe('Child.familyAssistance', () => {
  beforeAll(async () => {
    await report(
      suzhouEnterprise,
      row({ kind: 'HARDSHIP_AID', date: '2026-02-10', amount: '3000', notes: '春节慰问', workerIdNumbers: [FATHER_B] }),
    );
    await report(
      suzhouEnterprise,
      row({ kind: 'SITE_LECTURE', date: '2026-04-01', workerIdNumbers: [FATHER_A, FATHER_B, workerId()] }),
    );
  });

  test('civil affairs sees what employers in other provinces did for the parents, latest first', async () => {
    const res = await hub.gql('civilCounty', FAMILY, { id: childB });
    expect(res.errors).toBeUndefined();
    expect(res.data!.child.familyAssistance).toEqual([
      { enterpriseName: '苏州精密电子有限公司', kind: 'SITE_LECTURE', date: '2026-04-01', amount: null, notes: null },
      {
        enterpriseName: '苏州精密电子有限公司',
        kind: 'HARDSHIP_AID',
        date: '2026-02-10',
        amount: '3000.00',
        notes: '春节慰问',
      },
    ]);
    const a = (await hub.gql('civilTownshipA', FAMILY, { id: childA })).data!.child.familyAssistance;
    expect(a.map((f: { kind: string }) => f.kind)).toEqual(['SITE_LECTURE', 'SITE_LECTURE']);
  });

  test('outside its jurisdiction civil affairs sees nothing, in the gateway and in the data layer', async () => {
    expect((await hub.gql('civilTownshipA', FAMILY, { id: childB })).data).toEqual({ child: null });
    const facts = { token: '', requestId: 'test', purpose: null };
    const principal = { ...PERSONAS.civilTownshipA, sub: 'a' };
    const ctx = hub.runtimes.get('enterprise')!.contextFor({ ...facts, principal });
    expect(await enterpriseLoaders(ctx).familyAssistanceOfChild.load(childB)).toEqual([]);
    const county = hub.runtimes
      .get('enterprise')!
      .contextFor({ ...facts, principal: { ...PERSONAS.civilCounty, sub: 'c' } });
    expect(await enterpriseLoaders(county).familyAssistanceOfChild.load(childB)).toHaveLength(2);
  });

  test.each<PersonaName>(['educationCounty', 'policeCounty'])('%s reads the child but not this field', async (who) => {
    const res = await hub.gql(who, FAMILY, { id: childB });
    expect(res.data!.child).toEqual({ id: childB, familyAssistance: null });
    expect(forbiddenAt(res)).toEqual(['child.familyAssistance']);
  });
});

describe('supervision aggregates', () => {
  test('sums per enterprise and county of the supervised region, without personal data', async () => {
    const from = '2020-01-01';
    const to = '2026-12-31';
    const res = await hub.gql(supervisionJiangsu, AGGREGATES, { region: '32', from, to });
    expect(res.errors).toBeUndefined();
    const aggregates = res.data!.assistanceAggregates;
    const [expected] = (await hub.on('enterprise')(
      `select count(*)::int as reports, sum(cardinality(worker_ids))::int as workers, coalesce(sum(amount), 0)::text as amount
           from enterprise.assistance_report where enterprise_code = ?`,
      [SUZHOU_CODE],
    )) as { reports: number; workers: number; amount: string }[];
    const sums = { reports: expected.reports, workersCovered: expected.workers, amount: expected.amount };
    expect(aggregates.all).toEqual(sums);
    expect(aggregates.byEnterprise).toEqual([
      { creditCode: SUZHOU_CODE, name: '苏州精密电子有限公司', region: { code: SUZHOU }, labourIntensive: true, sums },
    ]);
    expect(aggregates.byCounty).toEqual([{ county: { code: SUZHOU, name: '虎丘区' }, enterprises: 1, sums }]);
    expect(aggregates.region).toEqual({ code: '32', name: '江苏省' });
    expect(JSON.stringify(aggregates)).not.toMatch(/\d{6}\*{8}/);
  });

  test('Qinghai’s supervision sees the Datong enterprises and not Suzhou’s', async () => {
    const res = await hub.gql('supervisionProvince', AGGREGATES, {
      region: '63',
      from: '2020-01-01',
      to: '2026-12-31',
    });
    const byEnterprise = res.data!.assistanceAggregates.byEnterprise.map((e: { creditCode: string }) => e.creditCode);
    expect(byEnterprise.sort()).toEqual([ENTERPRISES.a, ENTERPRISES.b].sort());
    expect(res.data!.assistanceAggregates.byCounty).toEqual([
      expect.objectContaining({ county: { code: REGIONS.county, name: '大通回族土族自治县' }, enterprises: 2 }),
    ]);
  });

  test('another jurisdiction is FORBIDDEN; a reversed period is bad input', async () => {
    const outside = await hub.gql('supervisionProvince', AGGREGATES, {
      region: '32',
      from: '2020-01-01',
      to: '2026-12-31',
    });
    expect(codes(outside)).toEqual(['FORBIDDEN']);
    const reversed = await hub.gql('supervisionProvince', AGGREGATES, {
      region: '63',
      from: '2026-01-01',
      to: '2025-01-01',
    });
    expect(reversed.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  test.each<PersonaName>(['enterprise', 'civilCounty', 'youthCounty', 'educationCounty'])(
    '%s may not read aggregates',
    async (persona) => {
      const res = await hub.gql(persona, AGGREGATES, { region: '63', from: '2020-01-01', to: '2026-12-31' });
      expect(forbiddenAt(res)).toEqual(['assistanceAggregates']);
    },
  );
});

describe('reportAssistanceBatch', () => {
  test('a good batch is written at once; receipts follow the rows', async () => {
    const rows = Array.from({ length: 50 }, () => row());
    const res = await hub.gql('enterpriseB', BATCH, { rows });
    const result = res.data!.reportAssistanceBatch;
    expect(result).toMatchObject({ __typename: 'AssistanceBatchAccepted', written: 50, duplicates: 0 });
    expect(result.receipts.map((r: { clientKey: string }) => r.clientKey)).toEqual(rows.map((r) => r.clientKey));
  });

  test('a bad batch lists every bad row and writes nothing', async () => {
    const before = await snapshot();
    const id = workerId();
    const rows = [
      row(),
      row({ clientKey: '' }),
      row({ kind: 'HARDSHIP_AID' }),
      row(),
      row({ date: '2026-13-01', workerIdNumbers: ['123', id, id] }),
      row(),
    ];
    rows[3].clientKey = rows[0].clientKey;
    const res = await hub.gql('enterpriseB', BATCH, { rows });
    expect(res.data!.reportAssistanceBatch).toEqual({
      __typename: 'AssistanceBatchRejected',
      rowErrors: [
        { row: 2, field: 'clientKey', reason: expect.stringMatching(/1 to 64/) },
        { row: 3, field: 'amount', reason: 'is required for HARDSHIP_AID' },
        { row: 4, field: 'clientKey', reason: 'repeats the key of row 1' },
        { row: 5, field: 'date', reason: expect.stringMatching(/not a date/) },
        { row: 5, field: 'workerIdNumbers[0]', reason: expect.stringMatching(/17 digits/) },
        { row: 5, field: 'workerIdNumbers[2]', reason: 'repeats workerIdNumbers[1]' },
      ],
    });
    expect(await snapshot()).toEqual(before);
  });

  test('a row reusing a key for other content rejects the batch, and nothing of it is written', async () => {
    const recorded = row();
    await report('enterpriseB', recorded);
    const before = await snapshot();
    const res = await hub.gql('enterpriseB', BATCH, { rows: [row(), { ...recorded, date: '2026-01-01' }, row()] });
    expect(res.data!.reportAssistanceBatch).toEqual({
      __typename: 'AssistanceBatchRejected',
      rowErrors: [{ row: 2, field: 'clientKey', reason: 'was already used for a different report' }],
    });
    expect(await snapshot()).toEqual(before);
  });

  test('resent, a batch returns the original receipts; overlapping rows are written once', async () => {
    const rows = Array.from({ length: 20 }, () => row());
    const first = (await hub.gql('enterpriseB', BATCH, { rows })).data!.reportAssistanceBatch;
    const before = await snapshot();
    const again = (await hub.gql('enterpriseB', BATCH, { rows })).data!.reportAssistanceBatch;
    expect(again).toEqual({
      ...first,
      written: 0,
      duplicates: 20,
      receipts: first.receipts.map((r: object) => ({ ...r, duplicate: true })),
    });
    expect(await snapshot()).toEqual(before);

    const more = [...rows.slice(10), row(), row()];
    const overlap = (await hub.gql('enterpriseB', BATCH, { rows: more })).data!.reportAssistanceBatch;
    expect(overlap).toMatchObject({ written: 2, duplicates: 10 });
    expect(overlap.receipts.slice(0, 10)).toEqual(
      first.receipts.slice(10).map((r: object) => ({ ...r, duplicate: true })),
    );
  });

  test('a batch replayed after a dropped connection, even concurrently, writes each row once', async () => {
    const server = hub.http.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    try {
      const token = await hub.token('enterpriseB');
      const rows = Array.from({ length: 300 }, () => row());
      const send = (signal?: AbortSignal) =>
        fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'x-purpose': 'ASSISTANCE_REPORTING',
          },
          body: JSON.stringify({ query: BATCH, variables: { rows } }),
          signal,
        });
      const dropped = new AbortController();
      const lost = send(dropped.signal).catch((err: Error) => err);
      setTimeout(() => dropped.abort(), 5);
      expect(await lost).toMatchObject({ name: 'AbortError' });
      const replays = await Promise.all([send(), send()].map(async (p) => ((await (await p).json()) as any).data));
      const ids = replays.map((d) => d.reportAssistanceBatch.receipts.map((r: { reportId: string }) => r.reportId));
      expect(ids[1]).toEqual(ids[0]);
      const keys = rows.map((r) => `'${r.clientKey}'`).join(',');
      expect(await hub.count('enterprise.assistance_report', `client_key in (${keys})`)).toBe(300);
    } finally {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    }
  });

  test('5,000 rows are one batch; more, or none, is a malformed request', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => ({ ...row(), clientKey: `big-${i}` }));
    const res = await hub.gql('enterpriseB', BATCH, { rows });
    expect(res.data!.reportAssistanceBatch).toMatchObject({ written: 5_000 });
    const tooMany = await hub.gql('enterpriseB', BATCH, { rows: [...rows, row()] });
    expect(tooMany.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rows' });
    const none = await hub.gql('enterpriseB', BATCH, { rows: [] });
    expect(none.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rows' });
    const badKind = await hub.gql('enterpriseB', BATCH, { rows: [row({ kind: 'PICNIC' })] });
    expect(codes(badKind)).toEqual(['BAD_USER_INPUT']);
  });

  test('pages of reports follow each other without gaps', async () => {
    const all: string[] = [];
    let after: string | null = null;
    do {
      const page: GraphQLResponse = await hub.gql('enterprise', REPORTS, { first: 3, after });
      const connection = page.data!.assistanceReports;
      all.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
    expect(all).toHaveLength(await hub.count('enterprise.assistance_report', `enterprise_code = '${ENTERPRISES.a}'`));
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('the key of the identity-number hash', () => {
  test('in development it is made once under the data directory and kept; a configured key replaces it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-key-'));
    try {
      const first = await identityHashFromConfig(loadConfig({ HUB_DATA_DIR: dataDir }));
      const again = await identityHashFromConfig(loadConfig({ HUB_DATA_DIR: dataDir }));
      expect(again(FATHER_A)).toBe(first(FATHER_A));
      expect(fs.statSync(path.join(dataDir, 'keys', 'identity-hash-key')).mode & 0o777).toBe(0o600);
      const key = Buffer.alloc(32, 9).toString('base64');
      const configured = await identityHashFromConfig(loadConfig({ HUB_DATA_DIR: dataDir, IDENTITY_HASH_KEY: key }));
      expect(configured(FATHER_A)).toBe(identityHash(Buffer.from(key, 'base64'))(FATHER_A));
      expect(configured(FATHER_A)).not.toBe(first(FATHER_A));
      expect(configured(FATHER_A.toLowerCase())).toBe(configured(FATHER_A));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the demo seed', () => {
  let demo: TestHub;

  beforeAll(async () => {
    demo = await startTestHub();
    const pool = demo.seedDatabases();
    await seedDemo(pool, { children: 300, identityHash: demo.identityHash }, ['630121']);
    await pool.end();
  });

  afterAll(() => demo.close());

  test('fourteen enterprises where the parents work, whose workers include linked parents and others', async () => {
    expect(await demo.count('enterprise.enterprise')).toBe(14);
    // Most where parents go to work in other provinces; two in Xining.
    expect(await demo.count('enterprise.enterprise', `region_code like '63%'`)).toBe(2);
    expect(await demo.count('enterprise.worker_link')).toBeGreaterThan(50);
    const unlinked = 'not exists (select 1 from enterprise.worker_link l where l.worker_id = worker.id)';
    expect(await demo.count('enterprise.worker', unlinked)).toBeGreaterThan(50);
    expect(await demo.count('enterprise.assistance_report')).toBeGreaterThan(50);
    // Hashed under the hub's key: a linked worker's hash is that of its guardian's number.
    const [linked] = await demo.on('enterprise')(
      `select l.guardian_id, w.id_hash from enterprise.worker_link l join enterprise.worker w on w.id = l.worker_id limit 1`,
    );
    const [guardian] = await demo.on('registry')(`select id_number from registry.guardian where id = ?`, [
      linked.guardian_id,
    ]);
    expect(linked.id_hash).toBe(demo.identityHash(guardian.id_number));
  });

  test('civil affairs sees employers’ assistance on demo children; supervision sees the sums', async () => {
    const [{ child_id: childId }] = await demo.on('enterprise')(`select child_id from enterprise.worker_link limit 1`);
    const family = await demo.gql('civilCounty', FAMILY, { id: childId });
    expect(family.data!.child.familyAssistance.length).toBeGreaterThan(0);
    const sums = await demo.gql({ dept: 'SUPERVISION', region: '44', roles: ['reader'] }, AGGREGATES, {
      region: '44',
      from: '2025-09-02',
      to: DEMO_TODAY,
    });
    expect(sums.data!.assistanceAggregates.byEnterprise.length).toBeGreaterThanOrEqual(3);
  });
});
