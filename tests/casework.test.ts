import { sweepDeadlines } from '../src/subgraphs/casework/casework-read.service';
import { NATIONAL_SCOPE, scopedEntityManager } from '../src/policy/jurisdiction';
import { registerChild, startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub';
import { REGIONS, type PersonaName } from './helpers/personas';

/**
 * The clock every deadline reads: the tests move it instead of waiting. A Monday, 10:00 in China,
 * early enough that every working-day clock below ends in a year the working calendar knows.
 */
let now = new Date('2026-11-02T02:00:00Z');
const clock = { now: () => now };
const advance = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));

let hub: TestHub;
let childId: string;
let guardianId: string;
afterAll(() => hub.close());
beforeAll(async () => {
  hub = await startTestHub({ clock });
  childId = (await registerChild(hub)).id;
  const guardian = await hub.gql(
    'civilCounty',
    `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id } }`,
    {
      input: { childId, relation: 'GRANDPARENT', name: '王祖父', custodian: true },
    },
  );
  guardianId = guardian.data!.addGuardian.id;
});

const sweep = () => sweepDeadlines(scopedEntityManager(hub.orm('casework').em, NATIONAL_SCOPE), now);

function codes(res: GraphQLResponse) {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

async function ok<T = Record<string, any>>(
  who: PersonaName,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const res = await hub.gql<T>(who, query, variables);
  if (res.errors) throw new Error(`${who}: ${JSON.stringify(res.errors)}`);
  return res.data!;
}

const REPORT = `mutation($input: ReportConcernInput!) {
  reportConcern(input: $input) { receiptNumber status receivedAt }
}`;
const reportInput = (more: Record<string, unknown> = {}) => ({
  childId,
  concernType: 'UNATTENDED',
  urgency: 'IMMEDIATE_DANGER',
  regionCode: REGIONS.villageA,
  address: '西关村三社12号',
  reportingUnit: '城关镇中心小学',
  reporterContact: '0971-5551234',
  narrative: '学生连续三日独自在家，家中无成人，身上有伤',
  ...more,
});

const CASE_FIELDS = `id status version riskLevel urgency narrative placement { kind address since }
  tasks { step department dueAt doneAt overdue escalatedTo }
  timeline { kind department detail }
  referrals { id service toDepartment status version declineReason outcome }
  assessment { overallRisk domains { domain level } }`;
const CASE = `query($id: ID!) { protectionCase(id: $id) { ${CASE_FIELDS} } }`;

const step = (name: string, input = 'CaseStepInput') => `mutation($input: ${input}!) {
  ${name}(input: $input) { id status version }
}`;

async function caseByReceipt(receipt: string) {
  const [row] = await hub.on('casework')(`select id from casework.protection_case where receipt_number = ?`, [receipt]);
  return row.id as string;
}

async function readCase(who: PersonaName, id: string) {
  return (await ok<{ protectionCase: any }>(who, CASE, { id })).protectionCase;
}

async function overdue(who: PersonaName, regionCode: string) {
  const data = await ok<{ overdueTasks: any }>(
    who,
    `query($r: ID!) { overdueTasks(regionCode: $r) { totalCount edges { node { step department escalatedTo } } } }`,
    { r: regionCode },
  );
  return data.overdueTasks.edges.map((e: any) => `${e.node.step}:${e.node.department}:${e.node.escalatedTo}`);
}

async function inbox(who: PersonaName) {
  const data = await ok<{ notifications: any }>(
    who,
    `{ notifications(first: 100) { unreadCount edges { node { id kind caseId subjectId region { code } read } } } }`,
  );
  return data.notifications;
}

const kindsFor = async (who: PersonaName, caseId: string) =>
  (await inbox(who)).edges.filter((e: any) => e.node.caseId === caseId).map((e: any) => e.node.kind);

describe('one child in danger, from the report to the closed case', () => {
  let receipt: string;
  let id: string;
  let version: number;
  const next = (res: { version: number }) => (version = res.version);

  test('a school reports; the reporter gets a receipt and sees nothing else', async () => {
    const { reportConcern } = await ok('schoolReporter', REPORT, { input: reportInput() });
    expect(reportConcern).toMatchObject({ status: 'RECEIVED', receivedAt: now.toISOString() });
    receipt = reportConcern.receiptNumber;
    id = await caseByReceipt(receipt);
    const followed = await ok('schoolReporter', `query($r: String!) { concernReceipt(receiptNumber: $r) { status } }`, {
      r: receipt,
    });
    expect(followed.concernReceipt).toEqual({ status: 'RECEIVED' });
    // Another account's receipt is nobody's business: null, as for a receipt that does not exist.
    const other = await ok('civilCounty', `{ concernReceipt(receiptNumber: "${receipt}") { status } }`).catch(
      (e: Error) => e.message,
    );
    expect(String(other)).toContain('FORBIDDEN');
    const peek = await hub.gql('schoolReporter', CASE, { id });
    expect(peek.data?.protectionCase ?? null).toBeNull();
    expect(codes(peek)).toEqual(['FORBIDDEN']);
  });

  test('it is routed to the police of the place and the township, each told once', async () => {
    expect(await kindsFor('policeCounty', id)).toEqual(['CASE_REPORTED']);
    expect(await kindsFor('civilTownshipA', id)).toEqual(['CASE_REPORTED']);
    expect(await kindsFor('civilTownshipB', id)).toEqual([]);
    expect(await kindsFor('policeOtherCounty', id)).toEqual([]);
    const c = await readCase('policeCounty', id);
    expect(c.tasks).toEqual([
      expect.objectContaining({ step: 'ACCEPT', department: 'PUBLIC_SECURITY', doneAt: null, overdue: false }),
    ]);
    // Immediate danger: accepted within 15 minutes.
    expect(new Date(c.tasks[0].dueAt).getTime() - now.getTime()).toBe(15 * 60_000);
    version = c.version;
  });

  test('an unanswered report escalates from the township to the county, and each level is told', async () => {
    advance(16);
    expect(await overdue('civilTownshipA', REGIONS.townshipA)).toEqual(['ACCEPT:PUBLIC_SECURITY:TOWNSHIP']);
    expect(await overdue('civilCounty', REGIONS.county)).toEqual([]);
    expect(await sweep()).toBe(1);
    advance(15);
    expect(await overdue('civilCounty', REGIONS.county)).toEqual(['ACCEPT:PUBLIC_SECURITY:COUNTY']);
    expect(await overdue('policeCounty', REGIONS.county)).toEqual(['ACCEPT:PUBLIC_SECURITY:COUNTY']);
    // Other departments see only their own overdue steps.
    expect(await overdue('educationCounty', REGIONS.county)).toEqual([]);
    expect(await sweep()).toBe(1);
    expect(await sweep()).toBe(0); // each level is told once
    const police = await kindsFor('policeCounty', id);
    expect(police.sort()).toEqual(['CASE_REPORTED', 'TASK_ESCALATED', 'TASK_OVERDUE']);
    // The township's civil affairs hears of the overdue step; the county's of the escalation too.
    expect((await kindsFor('civilTownshipA', id)).sort()).toEqual(['CASE_REPORTED', 'TASK_OVERDUE']);
    expect((await kindsFor('civilCounty', id)).sort()).toEqual(['CASE_REPORTED', 'TASK_ESCALATED', 'TASK_OVERDUE']);
  });

  test('only the police of the place accept, at the current version', async () => {
    const wrongDept = await hub.gql('civilCounty', step('acceptReport'), { input: { caseId: id, version } });
    expect(codes(wrongDept)).toEqual(['FORBIDDEN']);
    const elsewhere = await hub.gql('policeOtherCounty', step('acceptReport'), { input: { caseId: id, version } });
    expect(codes(elsewhere)).toEqual(['NOT_FOUND']);
    const stale = await hub.gql('policeCounty', step('acceptReport'), { input: { caseId: id, version: version - 1 } });
    expect(codes(stale)).toEqual(['CONFLICT']);
    const events = await hub.count('casework.outbox_event');
    next((await ok('policeCounty', step('acceptReport'), { input: { caseId: id, version } })).acceptReport);
    expect(await hub.count('casework.outbox_event')).toBe(events + 1);
    // The same step twice is an illegal transition: CONFLICT, and nothing written.
    const again = await hub.gql('policeCounty', step('acceptReport'), { input: { caseId: id, version } });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(await hub.count('casework.outbox_event')).toBe(events + 1);
    expect(await overdue('civilCounty', REGIONS.county)).toEqual([]);
  });

  test('the police dispatch, place the child and hand over; high risk shortens the assessment clock', async () => {
    advance(5);
    next((await ok('policeCounty', step('dispatchResponse'), { input: { caseId: id, version } })).dispatchResponse);
    advance(60);
    const safe = await ok('policeCounty', step('recordChildSafe', 'RecordChildSafeInput'), {
      input: { caseId: id, version, placementKind: 'RELATIVES', placementAddress: '城关镇东街5号（姑母家）' },
    });
    next(safe.recordChildSafe);
    const failure = await ok('policeCounty', step('recordGuardianFailure', 'RecordGuardianFailureInput'), {
      input: { caseId: id, version, guardianId, measure: 'WARNING', issuedOn: '2026-11-01', noGuardianCanCare: false },
    });
    next(failure.recordGuardianFailure);
    await hub.settle(); // justice writes the record from casework's event
    expect(await hub.count('justice.accountability_record', `guardian_id = '${guardianId}'`)).toBe(1);
    advance(120);
    const handed = await ok('policeCounty', step('handToTownship', 'HandToTownshipInput'), {
      input: { caseId: id, version },
    });
    next(handed.handToTownship);
    const c = await readCase('civilTownshipA', id);
    expect(c).toMatchObject({ status: 'HANDED_TO_TOWNSHIP', riskLevel: 'HIGH' });
    const assess = c.tasks.find((t: any) => t.step === 'ASSESS');
    expect(new Date(assess.dueAt).getTime() - now.getTime()).toBe(24 * 3_600_000);
    expect(c.timeline.map((e: any) => e.kind)).toEqual([
      'REPORTED',
      'ACCEPTED',
      'DISPATCHED',
      'CHILD_SAFE',
      'GUARDIAN_FAILURE_FOUND',
      'HANDED_TO_TOWNSHIP',
    ]);
    expect(await kindsFor('civilTownshipA', id)).toContain('CASE_HANDED_TO_TOWNSHIP');
  });

  test('schools and the youth league see the timeline without the narrative and the shelter address', async () => {
    const police = await readCase('policeCounty', id);
    expect(police.narrative).toContain('独自在家');
    expect(police.placement.address).toContain('姑母家');
    for (const who of ['educationCounty', 'youthCounty'] as const) {
      const c = await readCase(who, id);
      expect(c.narrative).toBe('[withheld]');
      expect(c.placement).toMatchObject({ kind: 'RELATIVES', address: '[withheld]' });
      expect(c.timeline).toHaveLength(6);
    }
    // Justice follows the case, but where the child is placed only through its own case for the child.
    expect((await readCase('justiceCounty', id)).placement.address).toBe('[withheld]');
    // The women's federation reaches only cases referred to it; out of jurisdiction, nobody.
    expect(codes(await hub.gql('womenCounty', CASE, { id }))).toEqual(['FORBIDDEN']);
    expect((await hub.gql('civilOtherCounty', CASE, { id })).data?.protectionCase).toBeNull();
  });

  test('the township assesses: one high-risk domain makes a high-risk case with monthly visits', async () => {
    const domains = [
      { domain: 'SAFETY', findings: '已安置于亲属家', level: 'MEDIUM' },
      { domain: 'GUARDIANSHIP_AND_CARE', findings: '祖父年迈，无力监护', level: 'HIGH' },
      { domain: 'PHYSICAL_HEALTH', findings: '轻微外伤', level: 'LOW' },
      { domain: 'MENTAL_HEALTH', findings: '情绪低落', level: 'MEDIUM' },
      { domain: 'SCHOOLING', findings: '缺课一周', level: 'MEDIUM' },
    ];
    const input = {
      caseId: id,
      version,
      domains,
      carePlan: '落实委托照护，法律援助，返校支持',
      assessor: '城关镇儿童督导员',
    };
    const missing = await hub.gql('civilTownshipA', step('assessCase', 'AssessCaseInput'), {
      input: { ...input, domains: domains.slice(1) },
    });
    expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await hub.gql('policeCounty', step('assessCase', 'AssessCaseInput'), { input }))).toEqual([
      'FORBIDDEN',
    ]);
    advance(60);
    next((await ok('civilTownshipA', step('assessCase', 'AssessCaseInput'), { input })).assessCase);
    const c = await readCase('civilTownshipA', id);
    expect(c.assessment.overallRisk).toBe('HIGH');
    const visit = c.tasks.find((t: any) => t.step === 'VISIT');
    expect(new Date(visit.dueAt).getTime() - now.getTime()).toBe(30 * 86_400_000);
    expect(c.tasks.find((t: any) => t.step === 'ASSESS').doneAt).toBe(now.toISOString());
  });

  let legalAid: { id: string; version: number };
  let schooling: { id: string; version: number };
  const REFER = step('referCase', 'ReferCaseInput').replace('id status version', 'id status version toDepartment');
  const ANSWER = `mutation($input: AnswerReferralInput!) { answerReferral(input: $input) { id status version } }`;

  test('two referrals: one declined and sent again, on a clock of working days', async () => {
    const a = await ok('civilTownshipA', REFER, { input: { caseId: id, version, service: 'LEGAL_AID' } });
    legalAid = a.referCase;
    expect(a.referCase).toMatchObject({ status: 'SENT', toDepartment: 'JUSTICE' });
    version = (await readCase('civilTownshipA', id)).version;
    const b = await ok('civilTownshipA', REFER, { input: { caseId: id, version, service: 'SCHOOLING_SUPPORT' } });
    schooling = b.referCase;
    version = (await readCase('civilTownshipA', id)).version;
    // Justice heard of the guardian's failure before it got the referral.
    expect(await kindsFor('justiceCounty', id)).toEqual(['REFERRAL_SENT', 'GUARDIAN_FAILURE_FOUND']);
    expect(await kindsFor('educationCounty', id)).toEqual(['REFERRAL_SENT']);

    // A department answers only its own referrals.
    const notMine = await hub.gql('educationCounty', ANSWER, {
      input: { id: legalAid.id, version: legalAid.version, status: 'ACCEPTED' },
    });
    expect(codes(notMine)).toEqual(['FORBIDDEN']);
    const noReason = await hub.gql('educationCounty', ANSWER, {
      input: { id: schooling.id, version: schooling.version, status: 'DECLINED' },
    });
    expect(codes(noReason)).toEqual(['BAD_USER_INPUT']);

    // High risk: one working day to answer. Sent on Monday, so overdue on Tuesday afternoon.
    advance(30 * 60);
    expect(await overdue('educationCounty', REGIONS.townshipA)).toEqual(['ANSWER_REFERRAL:EDUCATION:TOWNSHIP']);
    const declined = await ok('educationCounty', ANSWER, {
      input: { id: schooling.id, version: schooling.version, status: 'DECLINED', reason: '学位已满，请转县教育局协调' },
    });
    expect(declined.answerReferral.status).toBe('DECLINED');
    expect(await kindsFor('civilTownshipA', id)).toContain('REFERRAL_DECLINED');
    const resent = await ok(
      'civilTownshipA',
      `mutation($input: ResendReferralInput!) { resendReferral(input: $input) { id status version toDepartment } }`,
      { input: { id: schooling.id, version: declined.answerReferral.version, note: '县教育局已协调学位' } },
    );
    expect(resent.resendReferral).toMatchObject({ status: 'SENT', toDepartment: 'EDUCATION' });
    schooling = resent.resendReferral;
    version = (await readCase('civilTownshipA', id)).version;
  });

  test('a case does not close while a referral is open', async () => {
    const input = { caseId: id, version, outcome: '结案' };
    expect(codes(await hub.gql('civilTownshipA', step('closeCase', 'CloseCaseInput'), { input }))).toEqual([
      'CONFLICT',
    ]);
  });

  test('the referrals are worked to completion, the child visited, and the case closed', async () => {
    let answer = await ok('justiceCounty', ANSWER, {
      input: { id: legalAid.id, version: legalAid.version, status: 'ACCEPTED' },
    });
    answer = await ok('justiceCounty', ANSWER, {
      input: { id: legalAid.id, version: answer.answerReferral.version, status: 'IN_PROGRESS' },
    });
    const skip = await hub.gql('justiceCounty', ANSWER, {
      input: { id: legalAid.id, version: answer.answerReferral.version, status: 'DECLINED', reason: '太迟' },
    });
    expect(codes(skip)).toEqual(['CONFLICT']);
    await ok('justiceCounty', ANSWER, {
      input: {
        id: legalAid.id,
        version: answer.answerReferral.version,
        status: 'COMPLETED',
        outcome: '督促监护令已送达',
      },
    });
    answer = await ok('educationCounty', ANSWER, {
      input: { id: schooling.id, version: schooling.version, status: 'ACCEPTED' },
    });
    await ok('educationCounty', ANSWER, {
      input: { id: schooling.id, version: answer.answerReferral.version, status: 'COMPLETED', outcome: '已返校' },
    });
    expect(await kindsFor('civilTownshipA', id)).toEqual(expect.arrayContaining(['REFERRAL_COMPLETED']));

    version = (await readCase('civilTownshipA', id)).version;
    const visit = await ok(
      'civilTownshipA',
      `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id visitor } }`,
      { input: { caseId: id, version, visitor: '西关村儿童主任', findings: '孩子已返校，姑母照料良好' } },
    );
    expect(visit.recordVisit.visitor).toBe('西关村儿童主任');
    const c = await readCase('civilTownshipA', id);
    const visits = c.tasks.filter((t: any) => t.step === 'VISIT');
    expect(visits.map((t: any) => Boolean(t.doneAt))).toEqual([true, false]);
    expect(new Date(visits[1].dueAt).getTime() - now.getTime()).toBe(30 * 86_400_000);

    // A month and more without a visit: overdue at the township, escalated to the county after 3 days.
    advance(34 * 24 * 60);
    expect(await overdue('civilCounty', REGIONS.county)).toEqual(['VISIT:CIVIL_AFFAIRS:COUNTY']);

    const closed = await ok('civilTownshipA', step('closeCase', 'CloseCaseInput'), {
      input: { caseId: id, version: c.version, outcome: '监护落实，结案' },
    });
    expect(closed.closeCase.status).toBe('CLOSED');
    expect(await overdue('civilCounty', REGIONS.county)).toEqual([]);
    const final = await readCase('civilTownshipA', id);
    expect(final.tasks.every((t: any) => t.doneAt)).toBe(true);
    expect(final.referrals.map((r: any) => r.status)).toEqual(['COMPLETED', 'COMPLETED']);
    const receiptNow = await ok('schoolReporter', `{ concernReceipt(receiptNumber: "${receipt}") { status } }`);
    expect(receiptNow.concernReceipt.status).toBe('CLOSED');
  });

  test('the child’s record shows the case to civil affairs, every write is audited', async () => {
    const data = await ok(
      'civilCounty',
      `query($id: ID!) { child(id: $id) { protectionCases { status timeline { kind } } } }`,
      { id: childId },
    );
    expect(data.child.protectionCases).toHaveLength(1);
    expect(data.child.protectionCases[0].timeline.at(-1).kind).toBe('CLOSED');
    expect(await hub.count('audit.event', `kind = 'WRITE' and '${childId}' = any(child_ids)`)).toBeGreaterThan(10);
  });
});

describe('every step has a deadline that passes and escalates', () => {
  let policy: { step: string; variant: string | null; withinSeconds: number; escalateSeconds: number }[];
  beforeAll(async () => {
    const data = await ok(
      'civilCounty',
      `{ deadlinePolicy(regionCode: "${REGIONS.villageA}") { step variant withinSeconds escalateSeconds } }`,
    );
    policy = data.deadlinePolicy;
  });

  /** Moves the clock past the open step's deadline, and then past its first escalation. */
  async function passDeadline(id: string, stepName: string, variants: string[]) {
    const c = await readCase('civilCounty', id);
    const task = c.tasks.find((t: any) => t.step === stepName && !t.doneAt);
    expect(task).toBeDefined();
    const rule =
      policy.find((p) => p.step === stepName && p.variant !== null && variants.includes(p.variant)) ??
      policy.find((p) => p.step === stepName && p.variant === null)!;
    now = new Date(new Date(task.dueAt).getTime() + 1000);
    const township = await overdue('civilTownshipA', REGIONS.townshipA);
    expect(township).toContain(`${stepName}:${task.department}:TOWNSHIP`);
    expect(await overdue('civilCounty', REGIONS.county)).not.toContain(`${stepName}:${task.department}:COUNTY`);
    now = new Date(new Date(task.dueAt).getTime() + rule.escalateSeconds * 1000 + 1000);
    expect(await overdue('civilCounty', REGIONS.county)).toContain(`${stepName}:${task.department}:COUNTY`);
    expect(await sweep()).toBeGreaterThanOrEqual(1);
    return c.version as number;
  }

  test('report, response, hand-over, assessment, referral, visit and review, each late', async () => {
    const { reportConcern } = await ok('schoolReporter', REPORT, { input: reportInput({ urgency: 'URGENT' }) });
    const id = await caseByReceipt(reportConcern.receiptNumber);
    let version = await passDeadline(id, 'ACCEPT', ['URGENT']);
    const police = async (name: string, input: string, more: Record<string, unknown> = {}) =>
      (version = (await ok('policeCounty', step(name, input), { input: { caseId: id, version, ...more } }))[name]
        .version);
    await police('acceptReport', 'CaseStepInput');
    version = await passDeadline(id, 'DISPATCH', ['URGENT']);
    await police('dispatchResponse', 'CaseStepInput');
    version = await passDeadline(id, 'SECURE', ['URGENT']);
    await police('recordChildSafe', 'RecordChildSafeInput', { placementKind: 'OWN_HOME', placementAddress: '西关村' });
    version = await passDeadline(id, 'HAND_OVER', ['URGENT']);
    await police('handToTownship', 'HandToTownshipInput', { riskLevel: 'LOW' });
    version = await passDeadline(id, 'ASSESS', ['URGENT', 'LOW']);
    const domains = ['SAFETY', 'GUARDIANSHIP_AND_CARE', 'PHYSICAL_HEALTH', 'MENTAL_HEALTH', 'SCHOOLING'].map(
      (domain) => ({ domain, findings: '正常', level: 'LOW' }),
    );
    const assessed = await ok('civilTownshipA', step('assessCase', 'AssessCaseInput'), {
      input: { caseId: id, version, domains, carePlan: '定期探访', assessor: '督导员' },
    });
    version = assessed.assessCase.version;
    const referral = (
      await ok('civilTownshipA', step('referCase', 'ReferCaseInput'), {
        input: { caseId: id, version, service: 'VOLUNTEER_CARE' },
      })
    ).referCase;
    await passDeadline(id, 'ANSWER_REFERRAL', ['URGENT', 'LOW']);
    expect(await kindsFor('youthCounty', id)).toEqual(['TASK_ESCALATED', 'TASK_OVERDUE', 'REFERRAL_SENT']);
    await ok('youthCounty', `mutation($input: AnswerReferralInput!) { answerReferral(input: $input) { status } }`, {
      input: { id: referral.id, version: referral.version, status: 'ACCEPTED' },
    });
    // Low risk: a visit each quarter, a review each half year.
    await passDeadline(id, 'VISIT', ['URGENT', 'LOW']);
    await passDeadline(id, 'REVIEW', ['URGENT', 'LOW']);
  });
});

describe('bad input, roles and findings of no substance', () => {
  test('a report needs the reporter role, a real place and a child to name or describe', async () => {
    const noRole = await hub.gql('civilCounty', REPORT, { input: reportInput() });
    expect(codes(noRole)).toEqual(['FORBIDDEN']);
    const nowhere = await hub.gql('schoolReporter', REPORT, { input: reportInput({ regionCode: '630121101999' }) });
    expect(codes(nowhere)).toEqual(['BAD_USER_INPUT']);
    const nobody = await hub.gql('schoolReporter', REPORT, { input: reportInput({ childId: null }) });
    expect(codes(nobody)).toEqual(['BAD_USER_INPUT']);
    const before = await hub.count('casework.protection_case');
    const unregistered = await hub.gql('schoolReporter', REPORT, {
      input: reportInput({ childId: null, childName: '小明', approximateAge: 7, urgency: 'ROUTINE' }),
    });
    expect(unregistered.data?.reportConcern.status).toBe('RECEIVED');
    expect(await hub.count('casework.protection_case')).toBe(before + 1);
  });

  test('the police find no substance; civil affairs objects and the case goes back to them', async () => {
    const { reportConcern } = await ok('schoolReporter', REPORT, { input: reportInput({ urgency: 'URGENT' }) });
    const id = await caseByReceipt(reportConcern.receiptNumber);
    let { version } = await readCase('policeCounty', id);
    const reason = await hub.gql('policeCounty', step('markNotSubstantiated', 'MarkNotSubstantiatedInput'), {
      input: { caseId: id, version, reason: ' ' },
    });
    expect(codes(reason)).toEqual(['BAD_USER_INPUT']);
    const done = await ok('policeCounty', step('markNotSubstantiated', 'MarkNotSubstantiatedInput'), {
      input: { caseId: id, version, reason: '经核实，儿童由祖母照看' },
    });
    version = done.markNotSubstantiated.version;
    expect(await kindsFor('civilTownshipA', id)).toContain('CASE_NOT_SUBSTANTIATED');
    // Reading is not writing: an account without the writer role may not object.
    const readOnly = await hub.gql('civilReadOnly', step('objectToFinding', 'ObjectToFindingInput'), {
      input: { caseId: id, version, objection: '…' },
    });
    expect(codes(readOnly)).toEqual(['FORBIDDEN']);
    const objected = await ok('civilCounty', step('objectToFinding', 'ObjectToFindingInput'), {
      input: { caseId: id, version, objection: '祖母长期住院，无人照看' },
    });
    expect(objected.objectToFinding.status).toBe('ACCEPTED');
    expect(await kindsFor('policeCounty', id)).toContain('FINDING_OBJECTED');
    const c = await readCase('policeCounty', id);
    expect(c.tasks.filter((t: any) => !t.doneAt).map((t: any) => t.step)).toEqual(['DISPATCH']);
  });

  test('a county sets its own deadline; a township may not', async () => {
    const SET = `mutation($input: SetDeadlineInput!) { setDeadline(input: $input) { step variant regionPrefix withinSeconds } }`;
    const input = { step: 'ACCEPT', variant: 'ROUTINE', withinSeconds: 7200, escalateSeconds: 3600 };
    expect(codes(await hub.gql('civilTownshipA', SET, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await hub.gql('policeCounty', SET, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await hub.gql('civilCounty', SET, { input: { ...input, variant: 'SOON' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    await ok('civilCounty', SET, { input });
    const policy = await ok(
      'policeCounty',
      `{ deadlinePolicy(regionCode: "${REGIONS.villageA}") { step variant regionPrefix withinSeconds } }`,
    );
    expect(policy.deadlinePolicy).toContainEqual({
      step: 'ACCEPT',
      variant: 'ROUTINE',
      regionPrefix: REGIONS.county,
      withinSeconds: 7200,
    });
    const { reportConcern } = await ok('schoolReporter', REPORT, {
      input: reportInput({ childId: null, childName: '小红', urgency: 'ROUTINE' }),
    });
    const c = await readCase('policeCounty', await caseByReceipt(reportConcern.receiptNumber));
    expect(new Date(c.tasks[0].dueAt).getTime() - now.getTime()).toBe(7200_000);
    // Elsewhere the national default still holds.
    const other = await ok(
      'policeOtherCounty',
      `{ deadlinePolicy(regionCode: "${REGIONS.otherCountyVillage}") { step variant regionPrefix withinSeconds } }`,
    );
    expect(other.deadlinePolicy).toContainEqual({
      step: 'ACCEPT',
      variant: null,
      regionPrefix: '',
      withinSeconds: 3600,
    });
  });

  test('supervision follows the clocks but never reaches a case', async () => {
    advance(24 * 60); // the reports above go unanswered long enough to reach the city
    const res = await hub.gql(
      'supervisionProvince',
      `{ overdueTasks(regionCode: "63") { totalCount edges { node { step case { id } } } } }`,
    );
    expect(res.data!.overdueTasks.totalCount).toBeGreaterThan(0);
    expect(new Set(codes(res))).toEqual(new Set(['FORBIDDEN']));
    expect(res.data!.overdueTasks.edges.every((e: any) => e.node.case === null)).toBe(true);
  });

  test('the inbox marks read per account', async () => {
    const before = await inbox('policeCounty');
    expect(before.unreadCount).toBeGreaterThan(0);
    const ids = before.edges.map((e: any) => e.node.id);
    const MARK = `mutation($ids: [ID!]!) { markRead(ids: $ids) }`;
    expect((await ok('policeCounty', MARK, { ids })).markRead).toBe(ids.length);
    expect((await ok('policeCounty', MARK, { ids })).markRead).toBe(0);
    // Someone else's events are not marked by naming them.
    expect((await ok('civilTownshipB', MARK, { ids })).markRead).toBe(0);
    expect((await inbox('policeCounty')).unreadCount).toBe(0);
    expect(codes(await hub.gql('policeCounty', MARK, { ids: ['nope'] }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('where a concern arose is shown as the registry shows where the child lives', () => {
  const WHERE = `query($id: ID!) { protectionCase(id: $id) { childName place { code } address } }`;
  let id: string;

  beforeAll(async () => {
    const { reportConcern } = await ok('schoolReporter', REPORT, {
      input: { ...reportInput({ childId: undefined, childName: '韩小明', urgency: 'ROUTINE' }) },
    });
    id = await caseByReceipt(reportConcern.receiptNumber);
  });

  test('education and justice see the township, not the village or the address; justice not the name', async () => {
    const where = async (who: PersonaName) => (await ok(who, WHERE, { id })).protectionCase;
    expect(await where('policeCounty')).toEqual({
      childName: '韩小明',
      place: { code: REGIONS.villageA },
      address: '西关村三社12号',
    });
    expect(await where('educationCounty')).toEqual({
      childName: '韩小明',
      place: { code: REGIONS.townshipA },
      address: '[withheld]',
    });
    expect(await where('justiceCounty')).toEqual({
      childName: '韩**',
      place: { code: REGIONS.townshipA },
      address: '[withheld]',
    });
  });

  test('nor can they list cases by village to find out', async () => {
    for (const who of ['educationCounty', 'justiceCounty'] as const) {
      for (const query of [
        `{ protectionCases(regionCode: "${REGIONS.villageA}") { totalCount } }`,
        `{ overdueTasks(regionCode: "${REGIONS.villageA}") { totalCount } }`,
      ]) {
        const res = await hub.gql(who, query);
        expect([who, codes(res)]).toEqual([who, ['FORBIDDEN']]);
        expect(res.errors![0].message).toMatch(/^regionCode: .*down to the township/);
      }
      const township = await hub.gql(who, `{ protectionCases(regionCode: "${REGIONS.townshipA}") { totalCount } }`);
      expect(township.data!.protectionCases.totalCount).toBeGreaterThan(0);
    }
    const police = await hub.gql(
      'policeCounty',
      `{ protectionCases(regionCode: "${REGIONS.villageA}") { totalCount } }`,
    );
    expect(police.data!.protectionCases.totalCount).toBeGreaterThan(0);
  });
});
