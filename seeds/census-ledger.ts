import { makeIdNumber } from '../src/domain/id-number';
import { LEDGER_COLUMNS, type LedgerRecord } from '../src/subgraphs/registry/census-ledger';
import { Random } from './random';
import { categoriesOf } from '../src/domain/categories';

const SURNAMES = ['马', '李', '张', '王', '韩', '祁', '赵', '刘', '陈', '杨'];
const GIVEN = { MALE: ['文', '华', '明', '永', '国', '海'], FEMALE: ['玉', '花', '英', '秀', '春', '梅'] };
const WORK_CITIES = ['3205', '4403', '4419', '3301', '6201'];
const DAY = 86_400_000;

/**
 * A synthetic township (or county) census ledger: `count` children spread over `villages`,
 * with parents, some working away, entrusted guardians and schooling. Child `index` has the
 * same identity number in every ledger, so a later ledger updates an earlier one. Categories follow
 * the rules (src/domain/categories.ts) as of `today`.
 */
export function* generateLedger(
  villages: readonly string[],
  count: number,
  seed = 7,
  first = 0,
  today = new Date().toISOString().slice(0, 10),
) {
  const random = new Random(seed);
  // Born over the ten years from fourteen years before `today`'s year: every child is 3 to 14,
  // under 16 whatever the year (in 2026, born 2012 to 2021).
  const year = Number(today.slice(0, 4));
  const base = Date.UTC(year - 14, 0, 1);
  for (let i = first; i < first + count; i++) {
    const village = villages[i % villages.length];
    const birthDate = new Date(base + (i % 3650) * DAY).toISOString().slice(0, 10);
    const gender = i % 2 ? 'MALE' : 'FEMALE';
    const idNumber = makeIdNumber(village.slice(0, 6), birthDate, Math.floor(i / 3650), gender);
    const surname = random.pick(SURNAMES);
    const fatherAway = random.chance(0.9);
    const motherAway = random.chance(fatherAway ? 0.85 : 0.1);
    const entrusted = fatherAway && motherAway;
    // The ledger lists only children in a category: one whose parents are not both away is in distress.
    const inDistress = !entrusted || random.chance(0.15);
    const distressReasons = inDistress ? ([random.chance(0.7) ? 'FAMILY_POVERTY' : 'OWN_DISABILITY'] as const) : [];
    const categories = categoriesOf(
      {
        birthDate,
        householdType: 'RURAL',
        distressReasons,
        guardians: [
          { relation: 'FATHER', workingAway: fatherAway, guardianshipCapacity: 'FULL' },
          { relation: 'MOTHER', workingAway: motherAway, guardianshipCapacity: 'FULL' },
        ],
      },
      today,
    );
    const given = (g: 'MALE' | 'FEMALE') => random.pick(GIVEN[g]);
    const age = year - Number(birthDate.slice(0, 4));
    const schooling = age < 6 ? 'PRESCHOOL' : random.chance(0.97) ? 'IN_SCHOOL' : 'NOT_IN_SCHOOL';
    const parentSeq = 400 + (i % 100);
    const record: LedgerRecord = {
      name: `${surname}${given(gender)}${given(gender)}`,
      id_number: idNumber,
      gender,
      birth_date: birthDate,
      categories: categories.join(';'),
      distress_reasons: distressReasons.join(';'),
      residence_region: village,
      household_region: village.slice(0, 9),
      household_type: 'RURAL',
      father_name: `${surname}${given('MALE')}`,
      // Fathers born 27 to 37 years before their children (in 1985 for a ledger of 2026).
      father_id_number: makeIdNumber(village.slice(0, 6), `${year - 41}-0${1 + (i % 9)}-1${i % 10}`, parentSeq, 'MALE'),
      father_phone: `139${String(10_000_000 + i).slice(-8)}`,
      father_working_away: fatherAway ? 'Y' : 'N',
      father_work_region: fatherAway ? random.pick(WORK_CITIES) : '',
      father_employer: fatherAway ? '某制造有限公司' : '',
      father_capacity: 'FULL',
      father_incapacity_reason: '',
      mother_name: `${random.pick(SURNAMES)}${given('FEMALE')}`,
      mother_id_number: '',
      mother_phone: '',
      mother_working_away: motherAway ? 'Y' : 'N',
      mother_work_region: motherAway ? random.pick(WORK_CITIES) : '',
      mother_employer: '',
      mother_capacity: 'FULL',
      mother_incapacity_reason: '',
      guardianship: entrusted ? 'ENTRUSTED' : 'PARENTS',
      guardianship_since: `${year - 2}-09-01`,
      entrusted_name: entrusted ? `${surname}${given(i % 3 ? 'FEMALE' : 'MALE')}` : '',
      entrusted_relation: entrusted ? 'GRANDPARENT' : '',
      entrusted_id_number: '',
      entrusted_phone: entrusted ? `138${String(20_000_000 + i).slice(-8)}` : '',
      agency: '',
      schooling,
      school_name: schooling === 'IN_SCHOOL' ? `${village.slice(0, 9)}中心学校` : '',
    };
    yield record;
  }
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** CSV text of ledger records, header first. */
export function* ledgerCsv(records: Iterable<LedgerRecord>): Generator<string> {
  yield LEDGER_COLUMNS.join(',') + '\n';
  let chunk = '';
  for (const r of records) {
    chunk += LEDGER_COLUMNS.map((c) => csvCell(r[c] ?? '')).join(',') + '\n';
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
