import { DEADLINE_COLUMNS, dueAt, type Deadline } from '../src/subgraphs/casework/deadlines';
import type { Step } from '../src/subgraphs/casework/casework-records.entity';
import { bulkInsert } from './bulk';
import type { DepartmentSeed } from './departments';
import { Random } from './random';

interface SeedChild {
  id: string;
  region_code: string;
  village: string;
}

/** Where each live demo case stands on the demo's reference date. */
type Stage = 'REPORTED' | 'HANDED_OVER' | 'REFERRED';
const STAGES: readonly Stage[] = ['REPORTED', 'REPORTED', 'HANDED_OVER', 'HANDED_OVER', 'REFERRED', 'REFERRED'];
const HOUR = 3_600_000;

/**
 * Live protection cases in the demo counties, on the deadlines the policy gives: reports the
 * police have not yet accepted, cases handed to the township awaiting assessment, and assessed
 * high-risk cases with referrals awaiting an answer. Their steps fall due soon after the demo's
 * reference date, so `overdueTasks` and the inboxes have something to show.
 */
export const seedCasework: DepartmentSeed = async (db, { seed, today }) => {
  const rnd = new Random(seed + 4109);
  const { rows: children } = await db.query<SeedChild>(
    `select c.id, c.region_code, r.name as village from registry.child c
       join reference.region r on r.code = c.region_code
      order by c.id limit 400`,
  );
  if (!children.length) return;
  const policy = await db.query<Deadline>(
    `select ${DEADLINE_COLUMNS} from casework.deadline_policy where region_prefix = ''`,
  );
  const deadline = (step: Step, variant: string) =>
    policy.rows.find((p) => p.step === step && p.variant === variant) ??
    policy.rows.find((p) => p.step === step && p.variant === '')!;
  const morning = new Date(`${today}T00:30:00Z`); // 08:30 in China

  const cases: unknown[][] = [];
  const events: unknown[][] = [];
  const tasks: unknown[][] = [];
  const referrals: unknown[][] = [];
  const outbox: unknown[][] = [];
  const assessments: unknown[][] = [];
  STAGES.forEach((stage, i) => {
    const child = children[rnd.int(0, children.length - 1)];
    const id = rnd.uuid();
    const township = child.region_code.slice(0, 9);
    const daysAgo = stage === 'REPORTED' ? 0 : stage === 'HANDED_OVER' ? 3 : 20;
    const received = new Date(morning.getTime() - daysAgo * 24 * HOUR + i * HOUR);
    const urgency = stage === 'REFERRED' ? 'IMMEDIATE_DANGER' : rnd.pick(['URGENT', 'ROUTINE']);
    const handedOver = stage === 'REPORTED' ? null : new Date(received.getTime() + 20 * HOUR);
    // The police accept a report within minutes when a child is in danger, within hours otherwise.
    const accepted = new Date(
      received.getTime() + (urgency === 'IMMEDIATE_DANGER' ? rnd.int(5, 20) : rnd.int(20, 150)) * 60_000,
    );
    const risk = stage === 'REFERRED' ? 'HIGH' : stage === 'HANDED_OVER' ? 'MEDIUM' : null;
    cases.push([
      id,
      `BG${received.toISOString().slice(0, 10).replaceAll('-', '')}-${id.slice(0, 8).toUpperCase()}`,
      child.id,
      child.region_code,
      child.village,
      rnd.pick(['UNATTENDED', 'INJURY', 'OUT_OF_SCHOOL']),
      urgency,
      `${child.village}村民委员会`,
      '0971-5550100',
      'demo-reporter',
      'CIVIL_AFFAIRS',
      '儿童主任入户发现儿童独自在家，无人照料',
      stage === 'REPORTED' ? 'RECEIVED' : 'HANDED_TO_TOWNSHIP',
      received,
      handedOver ?? received,
      handedOver && accepted,
      handedOver && new Date(accepted.getTime() + HOUR),
      handedOver && new Date(received.getTime() + 6 * HOUR),
      handedOver,
      handedOver && 'RELATIVES',
      handedOver && child.village,
      handedOver && new Date(received.getTime() + 6 * HOUR),
      risk,
    ]);
    const event = (n: number, at: Date, kind: string, dept: string) =>
      events.push([`${id.slice(0, -1)}${n}`, id, child.region_code, at, kind, dept, `demo-${dept.toLowerCase()}`]);
    const task = (
      n: number,
      step: Step,
      dept: string,
      from: Date,
      variant: string,
      referralId: string | null = null,
    ) => {
      const rule = deadline(step, variant);
      tasks.push([
        `${id.slice(0, -2)}${n}0`,
        id,
        referralId,
        child.region_code,
        step,
        dept,
        from,
        dueAt(rule, from),
        rule.escalateSeconds,
      ]);
    };
    const tell = (n: number, kind: string, dept: string, at: Date, region: string, subject: string | null = null) =>
      outbox.push([`${id.slice(0, -2)}${n}1`, kind, id, subject, dept, region, at]);
    event(0, received, 'REPORTED', 'CIVIL_AFFAIRS');
    tell(0, 'CASE_REPORTED', 'PUBLIC_SECURITY', received, child.region_code);
    tell(1, 'CASE_REPORTED', 'CIVIL_AFFAIRS', received, township);
    if (!handedOver) {
      task(0, 'ACCEPT', 'PUBLIC_SECURITY', received, urgency);
      return;
    }
    event(1, handedOver, 'HANDED_TO_TOWNSHIP', 'PUBLIC_SECURITY');
    tell(2, 'CASE_HANDED_TO_TOWNSHIP', 'CIVIL_AFFAIRS', handedOver, township);
    if (stage === 'HANDED_OVER') {
      task(1, 'ASSESS', 'CIVIL_AFFAIRS', handedOver, risk!);
      return;
    }
    const assessed = new Date(handedOver.getTime() + 20 * HOUR);
    event(2, assessed, 'ASSESSED', 'CIVIL_AFFAIRS');
    assessments.push([
      rnd.uuid(),
      id,
      child.region_code,
      JSON.stringify(
        ['SAFETY', 'GUARDIANSHIP_AND_CARE', 'PHYSICAL_HEALTH', 'MENTAL_HEALTH', 'SCHOOLING'].map((domain) => ({
          domain,
          findings: domain === 'GUARDIANSHIP_AND_CARE' ? '祖父母年迈，无力照料' : '无明显异常',
          level: domain === 'GUARDIANSHIP_AND_CARE' ? 'HIGH' : 'LOW',
        })),
      ),
      'HIGH',
      '委托照护，法律援助，定期探访',
      assessed,
      `${child.village}儿童主任`,
    ]);
    task(2, 'VISIT', 'CIVIL_AFFAIRS', assessed, 'HIGH');
    task(3, 'REVIEW', 'CIVIL_AFFAIRS', assessed, 'HIGH');
    const referralId = rnd.uuid();
    const sent = new Date(morning.getTime() - 2 * 24 * HOUR);
    referrals.push([referralId, id, child.region_code, 'LEGAL_AID', 'JUSTICE', 'SENT', sent]);
    event(3, sent, 'REFERRAL_SENT', 'CIVIL_AFFAIRS');
    task(4, 'ANSWER_REFERRAL', 'JUSTICE', sent, 'HIGH', referralId);
    tell(3, 'REFERRAL_SENT', 'JUSTICE', sent, child.region_code, referralId);
  });

  await bulkInsert(
    db,
    'casework.protection_case',
    [
      'id',
      'receipt_number',
      'child_id',
      'region_code',
      'address',
      'concern_type',
      'urgency',
      'reporting_unit',
      'reporter_contact',
      'reporter_account',
      'reporter_dept',
      'narrative',
      'status',
      'received_at',
      'updated_at',
      'accepted_at',
      'dispatched_at',
      'child_safe_at',
      'handed_over_at',
      'placement_kind',
      'placement_address',
      'placement_since',
      'risk_level',
    ],
    [
      'uuid',
      'text',
      'uuid',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'timestamptz',
      'timestamptz',
      'timestamptz',
      'timestamptz',
      'timestamptz',
      'timestamptz',
      'text',
      'text',
      'timestamptz',
      'text',
    ],
    cases,
  );
  await bulkInsert(
    db,
    'casework.case_event',
    ['id', 'case_id', 'region_code', 'at', 'kind', 'actor_dept', 'actor_account'],
    ['uuid', 'uuid', 'text', 'timestamptz', 'text', 'text', 'text'],
    events,
  );
  await bulkInsert(
    db,
    'casework.assessment',
    ['id', 'case_id', 'region_code', 'domains', 'overall_risk', 'care_plan', 'assessed_at', 'assessor'],
    ['uuid', 'uuid', 'text', 'jsonb', 'text', 'text', 'timestamptz', 'text'],
    assessments,
  );
  await bulkInsert(
    db,
    'casework.referral',
    ['id', 'case_id', 'region_code', 'service', 'to_department', 'status', 'sent_at'],
    ['uuid', 'uuid', 'text', 'text', 'text', 'text', 'timestamptz'],
    referrals,
  );
  await bulkInsert(
    db,
    'casework.task',
    ['id', 'case_id', 'referral_id', 'region_code', 'step', 'department', 'started_at', 'due_at', 'escalate_seconds'],
    ['uuid', 'uuid', 'uuid', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'int'],
    tasks,
  );
  await bulkInsert(
    db,
    'casework.outbox_event',
    ['id', 'kind', 'case_id', 'subject_id', 'department', 'region_code', 'occurred_at'],
    ['uuid', 'text', 'uuid', 'uuid', 'text', 'text', 'timestamptz'],
    outbox,
  );
};
