import { bulkInsert, type Queryable } from './bulk';
import type { DepartmentSeed } from './departments';
import { Random } from './random';

interface SeedChild {
  id: string;
  region_code: string;
  kind: string | null;
  county: string;
}

interface SeedGuardian {
  id: string;
  child_id: string;
  relation: string;
}

const CASE_TYPES = ['CRIMINAL_VICTIM', 'CIVIL_CLAIM', 'GUARDIANSHIP', 'MAINTENANCE', 'MAINTENANCE', 'OTHER'];
const LAW_FIRMS = ['青海昆仑律师事务所', '青海河湟律师事务所', '青海正义律师事务所'];
const OUTCOMES: Record<string, string[]> = {
  CRIMINAL_VICTIM: [
    'Offender convicted; compensation for the child ordered',
    'Case closed after the trial; counselling arranged',
  ],
  CIVIL_CLAIM: ['Settled by mediation', 'Judgment for the child; damages paid'],
  GUARDIANSHIP: ['Guardianship arrangement confirmed by the court', 'Petition supported; new guardian appointed'],
  MAINTENANCE: ['Father ordered to pay maintenance monthly', 'Maintenance agreement reached by mediation'],
  OTHER: ['Legal advice given; no further action needed'],
};
const DECISIONS = {
  REVOKE: "The parents' guardianship is revoked; civil affairs takes over guardianship",
  CHANGE: 'Guardianship moves to the grandmother; the father keeps visiting rights',
  RESTORE: "The mother's guardianship is restored after a year of family-education guidance",
};
const NOTES = [
  'Left the child alone at home for weeks while working away',
  'Did not arrange care before leaving to work in another province',
  'Repeatedly missed the agreed contact with the child and the entrusted guardian',
  null,
];

/** Draws up to `n` different items. */
function sample<T>(rnd: Random, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(rnd.next() * pool.length), 1)[0]);
  return out;
}

async function childrenOf(db: Queryable): Promise<SeedChild[]> {
  // Enough children to draw from, whatever the demo's size; children in government temporary
  // guardianship all, since proceedings concern them most.
  const { rows } = await db.query<SeedChild>(
    `select c.id, c.region_code, g.kind, county.name as county
       from registry.child c
       left join registry.guardianship g on g.child_id = c.id
       join reference.region county on county.code = substr(c.region_code, 1, 6)
      where c.id in (select id from registry.child order by id limit 2000)
         or g.kind = 'GOVERNMENT_TEMPORARY'
      order by c.id`,
  );
  return rows;
}

/**
 * Justice's demo records in the demo counties: legal-aid cases (some open, some closed),
 * guardianship proceedings (most for children in government temporary guardianship) and
 * measures taken against parents, each scoped by its child's region.
 */
export const seedJustice: DepartmentSeed = async (db, { seed, today }) => {
  const rnd = new Random(seed + 4104);
  const year = Number(today.slice(0, 4));
  const children = await childrenOf(db);
  if (!children.length) return;
  const at = (date: string) => new Date(`${date}T09:00:00Z`);
  /** A date from `date` to the end of last year. */
  const later = (date: string) => {
    const d = rnd.date(Number(date.slice(0, 4)), year - 1);
    return d < date ? date : d;
  };

  const legalAid: unknown[][] = [];
  for (const child of sample(rnd, children, Math.min(40, Math.ceil(children.length / 10)))) {
    const caseType = rnd.pick(CASE_TYPES);
    const openedOn = rnd.date(year - 2, year - 1);
    const roll = rnd.next();
    const status = roll < 0.3 ? 'OPEN' : roll < 0.55 ? 'IN_PROGRESS' : 'CLOSED';
    legalAid.push([
      rnd.uuid(),
      child.id,
      child.region_code,
      caseType,
      rnd.chance(0.6) ? `${child.county}法律援助中心` : rnd.pick(LAW_FIRMS),
      status,
      status === 'CLOSED' ? rnd.pick(OUTCOMES[caseType]) : null,
      at(openedOn),
      status === 'CLOSED' ? at(later(openedOn)) : null,
    ]);
  }
  await bulkInsert(
    db,
    'justice.legal_aid_case',
    ['id', 'child_id', 'region_code', 'case_type', 'provider', 'status', 'outcome', 'opened_at', 'closed_at'],
    ['uuid', 'uuid', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz'],
    legalAid,
  );

  const temporary = children.filter((c) => c.kind === 'GOVERNMENT_TEMPORARY');
  const others = children.filter((c) => c.kind !== 'GOVERNMENT_TEMPORARY');
  const petitioned = [...sample(rnd, temporary, 8), ...sample(rnd, others, 4)];
  const proceedings = petitioned.map((child) => {
    const underGovernment = child.kind === 'GOVERNMENT_TEMPORARY';
    const kind = underGovernment ? rnd.pick(['REVOKE', 'REVOKE', 'RESTORE'] as const) : 'CHANGE';
    const filedOn = rnd.date(year - 2, year - 1);
    const status = rnd.pick(['FILED', 'HEARING', 'DECIDED', 'DECIDED', 'WITHDRAWN']);
    const ended = status === 'DECIDED' || status === 'WITHDRAWN';
    const decisionDate = ended ? later(filedOn) : null;
    return [
      rnd.uuid(),
      child.id,
      child.region_code,
      kind,
      underGovernment ? `${child.county}民政局` : rnd.pick([`${child.county}人民检察院`, "The child's grandmother"]),
      `${child.county}人民法院`,
      status,
      filedOn,
      decisionDate,
      status === 'DECIDED'
        ? DECISIONS[kind]
        : status === 'WITHDRAWN'
          ? 'Withdrawn: the family agreed a care plan'
          : null,
      1,
      at(decisionDate ?? filedOn),
    ];
  });
  await bulkInsert(
    db,
    'justice.guardianship_proceeding',
    [
      'id',
      'child_id',
      'region_code',
      'kind',
      'petitioner',
      'court',
      'status',
      'filed_on',
      'decision_date',
      'decision',
      'version',
      'updated_at',
    ],
    ['uuid', 'uuid', 'text', 'text', 'text', 'text', 'text', 'date', 'date', 'text', 'int', 'timestamptz'],
    proceedings,
  );

  // The registry learns which cases are open from justice's feed, as it does when justice works them.
  const open = [
    ...legalAid.filter((c) => c[5] !== 'CLOSED'),
    ...proceedings.filter((p) => p[6] === 'FILED' || p[6] === 'HEARING'),
  ];
  await bulkInsert(
    db,
    'justice.outbox',
    ['kind', 'payload'],
    ['text', 'jsonb'],
    open.map(([caseId, childId]) => ['JusticeCase', JSON.stringify({ caseId, childId, open: true })]),
  );

  const held = sample(rnd, children, Math.min(30, Math.ceil(children.length / 15)));
  const { rows: parents } = await db.query<SeedGuardian>(
    `select id, child_id, relation from registry.guardian
      where child_id = any($1::uuid[]) and relation in ('FATHER', 'MOTHER') order by child_id, relation`,
    [held.map((c) => c.id)],
  );
  const records = held.flatMap((child) => {
    const parent = rnd.pick(parents.filter((p) => p.child_id === child.id));
    if (!parent) return [];
    const issuedOn = rnd.date(year - 2, year - 1);
    const measure = rnd.pick(['WARNING', 'WARNING', 'WARNING', 'EDUCATION_ORDER', 'EDUCATION_ORDER', 'FINE']);
    const issuer = measure === 'WARNING' ? 'PUBLIC_SECURITY' : rnd.pick(['PUBLIC_SECURITY', 'COURT']);
    return [
      [rnd.uuid(), child.id, child.region_code, parent.id, measure, issuer, issuedOn, rnd.pick(NOTES), at(issuedOn)],
    ];
  });
  await bulkInsert(
    db,
    'justice.accountability_record',
    [
      'id',
      'child_id',
      'region_code',
      'guardian_id',
      'measure',
      'issuing_department',
      'issued_on',
      'notes',
      'recorded_at',
    ],
    ['uuid', 'uuid', 'text', 'uuid', 'text', 'text', 'date', 'text', 'timestamptz'],
    records,
  );
};
