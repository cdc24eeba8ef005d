import { MASKS } from '../src/policy/masks';
import { contentHash } from '../src/subgraphs/enterprise/assistance-input';
import type { AssistanceKind } from '../src/subgraphs/enterprise/assistance-report.entity';
import { makeCreditCode } from '../src/subgraphs/enterprise/credit-code';
import { makeIdNumber } from '../src/domain/id-number';
import { bulkInsert } from './bulk';
import { daysBefore } from './demo-places';
import type { DepartmentSeed } from './departments';
import { Random } from './random';

/**
 * Where the demo parents work (seeds/demo.ts WORKPLACES: other provinces, and Xining, so that
 * Qinghai's own figures show its enterprises' assistance too), and three more labour-intensive
 * enterprises whose workers come from elsewhere, so that some workers are linked to registered
 * children and some are not.
 */
const ENTERPRISES = [
  { name: '苏州精密电子有限公司', region: '320505', labourIntensive: true },
  { name: '昆山纺织制衣厂', region: '320583', labourIntensive: true },
  { name: '深圳华强电子厂', region: '440304', labourIntensive: true },
  { name: '深圳宝安物流有限公司', region: '440306', labourIntensive: false },
  { name: '东莞玩具制造有限公司', region: '441900', labourIntensive: true },
  { name: '东莞鞋业有限公司', region: '441900', labourIntensive: true },
  { name: '杭州服装有限公司', region: '330105', labourIntensive: true },
  { name: '杭州建工集团', region: '330106', labourIntensive: true },
  { name: '乌鲁木齐建筑工程公司', region: '650104', labourIntensive: true },
  { name: '西宁市餐饮服务公司', region: '630104', labourIntensive: false },
  { name: '青海盐湖工业股份有限公司', region: '630105', labourIntensive: true },
  { name: '苏州工业园区电子装配有限公司', region: '320576', labourIntensive: true },
  { name: '深圳龙岗食品加工有限公司', region: '440307', labourIntensive: true },
  { name: '杭州萧山纺织有限公司', region: '330109', labourIntensive: true },
];
/** Counties the other enterprises' workers come from (Henan, Sichuan, Guizhou). */
const OTHER_HOMES = ['411302', '511623', '520324'];
const CONTACTS = ['王经理', '李主任', '陈科长', '张主管'];

/** The events of a year at one enterprise: kind, share of its workers covered, amount per worker. */
const EVENTS: { kind: AssistanceKind; share: number; yuan?: [number, number]; notes?: string }[] = [
  { kind: 'SITE_LECTURE', share: 0.6, notes: '宿舍区亲情关爱讲座：监护责任与留守儿童心理' },
  { kind: 'SITE_LECTURE', share: 0.5, notes: '工地讲堂：未成年人保护法宣讲' },
  { kind: 'PARENT_SCHOOL', share: 0.3, notes: '家长学校：如何与留守子女保持联系' },
  { kind: 'PARENT_SCHOOL', share: 0.25 },
  { kind: 'REUNION_TRAVEL', share: 0.4, yuan: [300, 800], notes: '春节返乡车票' },
  { kind: 'REUNION_TRAVEL', share: 0.1, notes: '暑期“小候鸟”来厂探亲' },
  { kind: 'FLEXIBLE_LEAVE', share: 0.05 },
];

type Worker = { id: string; hash: string; masked: string };

/**
 * Fourteen enterprises where the demo parents work, their workers, and their reports of the
 * year up to the demo date (so that every month of the statistics' trend has some).
 */
export const seedEnterprises: DepartmentSeed = async (db, { seed, today, identityHash }) => {
  const rnd = new Random(seed + 32100);
  const year = Number(today.slice(0, 4));
  const enterprises = ENTERPRISES.map((e, i) => ({
    ...e,
    code: makeCreditCode(e.region, 10_000_000 + i * 7919 + rnd.int(0, 7000)),
    contact: rnd.pick(CONTACTS),
    phone: `0${rnd.int(10, 99)}-${rnd.int(60_000_000, 89_999_999)}`,
  }));
  await bulkInsert(
    db,
    'enterprise.enterprise',
    ['credit_code', 'name', 'region_code', 'labour_intensive', 'contact_name', 'contact_phone', 'created_at'],
    ['text', 'text', 'text', 'bool', 'text', 'text', 'timestamptz'],
    enterprises.map((e) => [
      e.code,
      e.name,
      e.region,
      e.labourIntensive,
      e.contact,
      e.phone,
      new Date(`${year - 2}-03-01`),
    ]),
  );

  const { rows: parents } = await db.query<{
    id: string;
    child_id: string;
    region_code: string;
    id_number: string;
    employer: string;
  }>(
    `select id, child_id, region_code, id_number, employer from registry.guardian
      where working_away and id_number is not null and employer = any($1) order by id`,
    [enterprises.map((e) => e.name)],
  );
  const workerRows: unknown[][] = [];
  const linkRows: unknown[][] = [];
  const reportRows: unknown[][] = [];
  const hire = (e: (typeof enterprises)[number], idNumber: string): Worker => {
    const worker = { id: rnd.uuid(), hash: identityHash(idNumber), masked: MASKS.idNumber(idNumber) as string };
    workerRows.push([worker.id, e.code, e.region, worker.hash, worker.masked, new Date(`${year - 1}-01-05`)]);
    return worker;
  };
  for (const e of enterprises) {
    const workers: Worker[] = [];
    for (const p of parents.filter((g) => g.employer === e.name)) {
      const worker = hire(e, p.id_number);
      linkRows.push([worker.id, p.id, p.child_id, e.code, p.region_code, new Date(`${year - 1}-01-05`)]);
      workers.push(worker);
    }
    if (workers.length === 0) {
      for (let n = rnd.int(20, 40); n > 0; n--) {
        const gender = rnd.chance(0.5) ? 'MALE' : 'FEMALE';
        workers.push(hire(e, makeIdNumber(rnd.pick(OTHER_HOMES), rnd.date(year - 50, year - 20), n, gender)));
      }
    }

    let key = 0;
    const report = (kind: AssistanceKind, covered: Worker[], amount: string | null, notes: string | null) => {
      const date = daysBefore(today, rnd.int(0, 364));
      const fields = { kind, date, amount, notes };
      reportRows.push([
        rnd.uuid(),
        e.code,
        e.region,
        `demo-${++key}`,
        contentHash(fields, covered),
        kind,
        date,
        covered.map((w) => w.id),
        amount,
        notes,
        new Date(`${date}T10:00:00Z`),
      ]);
    };
    const some = (share: number) => workers.filter(() => rnd.chance(share)).slice(0, 500);
    for (const event of EVENTS) {
      const covered = some(event.share);
      if (covered.length === 0) continue;
      const amount = event.yuan ? covered.length * rnd.int(...event.yuan) : null;
      report(event.kind, covered, amount === null ? null : `${amount}.00`, event.notes ?? null);
    }
    for (const worker of some(0.04)) report('HARDSHIP_AID', [worker], `${rnd.int(5, 50) * 100}.00`, '困难职工子女助学');
    for (const worker of some(0.02)) report('LONG_TERM_ASSISTANCE', [worker], `${rnd.int(3, 8) * 100}.00`, null);
  }
  await bulkInsert(
    db,
    'enterprise.worker',
    ['id', 'enterprise_code', 'region_code', 'id_hash', 'id_masked', 'created_at'],
    ['uuid', 'text', 'text', 'text', 'text', 'timestamptz'],
    workerRows,
  );
  await bulkInsert(
    db,
    'enterprise.worker_link',
    ['worker_id', 'guardian_id', 'child_id', 'enterprise_code', 'region_code', 'created_at'],
    ['uuid', 'uuid', 'uuid', 'text', 'text', 'timestamptz'],
    linkRows,
  );
  await bulkInsert(
    db,
    'enterprise.assistance_report',
    [
      'id',
      'enterprise_code',
      'region_code',
      'client_key',
      'content_hash',
      'kind',
      'date',
      'worker_ids',
      'amount',
      'notes',
      'received_at',
    ],
    ['uuid', 'text', 'text', 'text', 'text', 'text', 'date', 'uuid[]', 'numeric', 'text', 'timestamptz'],
    reportRows,
  );
};
