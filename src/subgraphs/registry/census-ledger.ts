import { parseIdNumber } from '../../domain/id-number';
import { isIsoDate } from '../scalars';
import type { RowError, Schooling } from './census.entity';
import {
  CAPACITIES,
  capacityBreach,
  categoryBreaches,
  DISTRESS_REASONS,
  HOUSEHOLD_TYPES,
  INCAPACITY_REASONS,
  type DistressReason,
  type GuardianshipCapacity,
  type HouseholdType,
  type IncapacityReason,
} from '../../domain/categories';

/**
 * The township census ledger (摸排台账): one row per child, the same columns on import and
 * export. Values are text as a spreadsheet holds them; enumerations in English upper case,
 * yes/no as Y or N, several categories separated by `;`.
 */
export const LEDGER_COLUMNS = [
  'name',
  'id_number',
  'gender',
  'birth_date',
  'categories',
  'distress_reasons',
  'residence_region',
  'household_region',
  'household_type',
  'father_name',
  'father_id_number',
  'father_phone',
  'father_working_away',
  'father_work_region',
  'father_employer',
  'father_capacity',
  'father_incapacity_reason',
  'mother_name',
  'mother_id_number',
  'mother_phone',
  'mother_working_away',
  'mother_work_region',
  'mother_employer',
  'mother_capacity',
  'mother_incapacity_reason',
  'guardianship',
  'guardianship_since',
  'entrusted_name',
  'entrusted_relation',
  'entrusted_id_number',
  'entrusted_phone',
  'agency',
  'schooling',
  'school_name',
] as const;
export type LedgerColumn = (typeof LEDGER_COLUMNS)[number];
/** Columns a file from before the category rules may lack: empty (RURAL, none, FULL) when absent. */
export const OPTIONAL_LEDGER_COLUMNS: readonly LedgerColumn[] = [
  'distress_reasons',
  'household_type',
  'father_capacity',
  'father_incapacity_reason',
  'mother_capacity',
  'mother_incapacity_reason',
];
export type LedgerRecord = Partial<Record<LedgerColumn, string>>;

const CATEGORIES = ['LEFT_BEHIND', 'IN_DISTRESS'];
const GENDERS = ['MALE', 'FEMALE'];
const ARRANGEMENTS = ['PARENTS', 'ENTRUSTED', 'GOVERNMENT_TEMPORARY'];
const ENTRUSTED_RELATIONS = ['GRANDPARENT', 'OTHER_RELATIVE', 'ENTRUSTED_PERSON'];
const SCHOOLING: Schooling[] = ['IN_SCHOOL', 'NOT_IN_SCHOOL', 'PRESCHOOL'];
const PHONE = /^\+?[\d-]{7,20}$/;

export interface LedgerGuardian {
  name: string;
  idNumber: string | null;
  phone: string | null;
  workingAway: boolean;
  workRegion: string | null;
  employer: string | null;
  guardianshipCapacity: GuardianshipCapacity;
  incapacityReason: IncapacityReason | null;
}

/** A row that passed every check, in the registry's terms. */
export interface LedgerRow {
  row: number;
  name: string;
  idNumber: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  categories: string[];
  distressReasons: DistressReason[];
  residenceRegion: string;
  householdRegion: string;
  householdType: HouseholdType;
  father: LedgerGuardian | null;
  mother: LedgerGuardian | null;
  guardianship: 'PARENTS' | 'ENTRUSTED' | 'GOVERNMENT_TEMPORARY';
  guardianshipSince: string;
  entrusted:
    | (Omit<LedgerGuardian, 'workingAway' | 'workRegion' | 'employer' | 'guardianshipCapacity' | 'incapacityReason'> & {
        relation: string;
      })
    | null;
  agency: string | null;
  schooling: Schooling;
  schoolName: string | null;
}

/** What the checks need to know beyond the row: region codes, the scope and today's date. */
export interface LedgerCheckContext {
  /** Every region code of the reference (any level). */
  regionExists(code: string): boolean;
  /** The region the file is for: every child must live in it. */
  scope: string;
  today: string;
}

/** A row as the file gives it: the text of a column, '' when absent. */
export type RowValues = (column: LedgerColumn) => string;

/** The column values of a record (object form: tests, generators). */
export const valuesOf =
  (record: LedgerRecord): RowValues =>
  (column) =>
    record[column] ?? '';

/** One row's checks: helpers at module level, state passed in, so a county's file costs little. */
interface Check {
  values: RowValues;
  row: number;
  ctx: LedgerCheckContext;
  errors: RowError[];
}

const bad = (c: Check, column: LedgerColumn, reason: string) => {
  c.errors.push({ row: c.row, column, reason });
};
const text = (c: Check, column: LedgerColumn) => c.values(column).trim();
function opt(c: Check, column: LedgerColumn, max = 200) {
  const value = text(c, column);
  if (value.length > max) bad(c, column, `must be at most ${max} characters`);
  return value || null;
}
function req(c: Check, column: LedgerColumn, max = 100) {
  const value = text(c, column);
  if (!value) bad(c, column, 'must not be empty');
  else if (value.length > max) bad(c, column, `must be at most ${max} characters`);
  return value;
}
function oneOf<T extends string>(c: Check, column: LedgerColumn, allowed: readonly T[]) {
  const value = text(c, column).toUpperCase();
  if (!allowed.includes(value as T)) bad(c, column, `must be one of ${allowed.join(', ')}`);
  return value as T;
}
function pastDate(c: Check, column: LedgerColumn) {
  const value = text(c, column);
  if (!isIsoDate(value)) bad(c, column, `"${value}" is not a date (YYYY-MM-DD)`);
  else if (value > c.ctx.today) bad(c, column, 'must not be in the future');
  return value;
}
function region(c: Check, column: LedgerColumn, value: string) {
  if (!c.ctx.regionExists(value)) bad(c, column, `region ${value} does not exist`);
}
function phone(c: Check, column: LedgerColumn) {
  const value = opt(c, column, 20);
  if (value && !PHONE.test(value)) bad(c, column, 'must be digits, optionally with + and -');
  return value;
}
function idNumberOf(c: Check, column: LedgerColumn) {
  const value = opt(c, column, 18)?.toUpperCase() ?? null;
  if (value) {
    const facts = parseIdNumber(value);
    if ('error' in facts) bad(c, column, facts.error);
  }
  return value;
}
/** Values separated by `;`, each one of `allowed`, none twice. */
function list<T extends string>(c: Check, column: LedgerColumn, allowed: readonly T[]): T[] {
  const values = text(c, column)
    .split(';')
    .map((v) => v.trim().toUpperCase())
    .filter(Boolean);
  if (values.some((v) => !allowed.includes(v as T)))
    bad(c, column, `must be among ${allowed.join(', ')}, separated by ;`);
  else if (new Set(values).size !== values.length) bad(c, column, 'must not repeat a value');
  return values as T[];
}
function yesNo(c: Check, column: LedgerColumn) {
  const value = text(c, column).toUpperCase();
  if (value !== '' && value !== 'Y' && value !== 'N') bad(c, column, 'must be Y or N');
  return value === 'Y';
}

const PARENT_COLUMNS = {
  father: {
    name: 'father_name',
    id: 'father_id_number',
    phone: 'father_phone',
    away: 'father_working_away',
    region: 'father_work_region',
    employer: 'father_employer',
    capacity: 'father_capacity',
    reason: 'father_incapacity_reason',
  },
  mother: {
    name: 'mother_name',
    id: 'mother_id_number',
    phone: 'mother_phone',
    away: 'mother_working_away',
    region: 'mother_work_region',
    employer: 'mother_employer',
    capacity: 'mother_capacity',
    reason: 'mother_incapacity_reason',
  },
} as const;

function parent(c: Check, who: 'father' | 'mother'): LedgerGuardian | null {
  const col = PARENT_COLUMNS[who];
  const guardianName = opt(c, col.name, 100);
  const idNo = idNumberOf(c, col.id);
  const tel = phone(c, col.phone);
  const away = yesNo(c, col.away);
  const workRegion = opt(c, col.region, 12);
  const employer = opt(c, col.employer, 200);
  const capacity = text(c, col.capacity) ? oneOf(c, col.capacity, CAPACITIES) : 'FULL';
  const reason = text(c, col.reason) ? oneOf(c, col.reason, INCAPACITY_REASONS) : null;
  const breach = capacityBreach(capacity, reason);
  if (breach) bad(c, col.reason, `${breach.rule}: ${breach.message}`);
  if (workRegion) {
    if (!away) bad(c, col.region, `is for a ${who} working away (${col.away} Y)`);
    else region(c, col.region, workRegion);
  }
  if (!guardianName) {
    if (idNo) bad(c, col.id, `needs ${col.name}`);
    if (tel) bad(c, col.phone, `needs ${col.name}`);
    if (away) bad(c, col.away, `needs ${col.name}`);
    if (employer) bad(c, col.employer, `needs ${col.name}`);
    if (text(c, col.capacity)) bad(c, col.capacity, `needs ${col.name}`);
    return null;
  }
  return {
    name: guardianName,
    idNumber: idNo,
    phone: tel,
    workingAway: away,
    workRegion,
    employer,
    guardianshipCapacity: capacity,
    incapacityReason: reason,
  };
}

const REGION_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;
const VILLAGE_CODE = /^\d{12}$/;

/**
 * Checks one row and returns it in the registry's terms, or every problem it has. Duplicates in
 * the file and against the registry are checked by the caller, across rows.
 */
export function checkLedgerRow(
  values: RowValues,
  row: number,
  ctx: LedgerCheckContext,
): { row: LedgerRow } | { errors: RowError[] } {
  const c: Check = { values, row, ctx, errors: [] };
  const name = req(c, 'name', 50);
  const idNumber = text(c, 'id_number').toUpperCase();
  const gender = oneOf(c, 'gender', GENDERS as ('MALE' | 'FEMALE')[]);
  const birthDate = pastDate(c, 'birth_date');
  const facts = parseIdNumber(idNumber);
  if ('error' in facts) bad(c, 'id_number', facts.error);
  else {
    if (!ctx.regionExists(facts.regionCode)) bad(c, 'id_number', `issuing region ${facts.regionCode} does not exist`);
    if (isIsoDate(birthDate) && facts.birthDate !== birthDate)
      bad(c, 'birth_date', `does not match the identity number (${facts.birthDate})`);
    if (GENDERS.includes(gender) && facts.gender !== gender) bad(c, 'gender', 'does not match the identity number');
  }
  if (isIsoDate(birthDate)) {
    const adult = `${Number(birthDate.slice(0, 4)) + 18}${birthDate.slice(4)}`;
    if (adult <= ctx.today) bad(c, 'birth_date', 'the registry holds minors only');
  }
  const categories = text(c, 'categories')
    .split(';')
    .map((v) => v.trim().toUpperCase())
    .filter(Boolean);
  if (categories.length === 0) bad(c, 'categories', 'at least one category is required');
  else if (categories.some((v) => !CATEGORIES.includes(v)))
    bad(c, 'categories', `must be among ${CATEGORIES.join(', ')}, separated by ;`);
  else if (new Set(categories).size !== categories.length) bad(c, 'categories', 'must not repeat a category');
  const distressReasons = list(c, 'distress_reasons', DISTRESS_REASONS);
  const householdType = text(c, 'household_type') ? oneOf(c, 'household_type', HOUSEHOLD_TYPES) : 'RURAL';
  const residenceRegion = text(c, 'residence_region');
  if (!VILLAGE_CODE.test(residenceRegion)) bad(c, 'residence_region', 'must be a 12-digit village code');
  else if (!residenceRegion.startsWith(ctx.scope)) bad(c, 'residence_region', `is outside region ${ctx.scope}`);
  else region(c, 'residence_region', residenceRegion);
  const householdRegion = text(c, 'household_region');
  if (!REGION_CODE.test(householdRegion)) bad(c, 'household_region', 'must be a GB/T 2260 region code');
  else region(c, 'household_region', householdRegion);

  const father = parent(c, 'father');
  const mother = parent(c, 'mother');
  if (!c.errors.length) {
    // The same rules as the registry's mutations (src/domain/categories.ts), row by row.
    const guardians = [
      ...(father ? [{ relation: 'FATHER', ...father }] : []),
      ...(mother ? [{ relation: 'MOTHER', ...mother }] : []),
    ];
    for (const breach of categoryBreaches(
      categories,
      { birthDate, householdType, distressReasons, guardians },
      ctx.today,
    )) {
      bad(c, 'categories', `${breach.rule}: ${breach.message}`);
    }
  }

  const guardianship = oneOf(c, 'guardianship', ARRANGEMENTS as LedgerRow['guardianship'][]);
  const guardianshipSince = pastDate(c, 'guardianship_since');
  const entrustedName = opt(c, 'entrusted_name', 100);
  const entrustedRelation = text(c, 'entrusted_relation').toUpperCase();
  const entrustedId = idNumberOf(c, 'entrusted_id_number');
  const entrustedPhone = phone(c, 'entrusted_phone');
  const agency = opt(c, 'agency', 200);
  let entrusted: LedgerRow['entrusted'] = null;
  if (guardianship === 'ENTRUSTED') {
    if (!entrustedName) bad(c, 'entrusted_name', 'is required for ENTRUSTED');
    if (!ENTRUSTED_RELATIONS.includes(entrustedRelation))
      bad(c, 'entrusted_relation', `must be one of ${ENTRUSTED_RELATIONS.join(', ')} for ENTRUSTED`);
    entrusted = {
      name: entrustedName ?? '',
      relation: entrustedRelation,
      idNumber: entrustedId,
      phone: entrustedPhone,
    };
  } else {
    const notApplicable = `does not apply to ${guardianship || 'this guardianship'}`;
    if (entrustedName) bad(c, 'entrusted_name', notApplicable);
    if (entrustedRelation) bad(c, 'entrusted_relation', notApplicable);
    if (entrustedId) bad(c, 'entrusted_id_number', notApplicable);
    if (entrustedPhone) bad(c, 'entrusted_phone', notApplicable);
  }
  if (guardianship === 'GOVERNMENT_TEMPORARY' && !agency) bad(c, 'agency', 'is required for GOVERNMENT_TEMPORARY');
  if (guardianship !== 'GOVERNMENT_TEMPORARY' && agency) bad(c, 'agency', 'is for GOVERNMENT_TEMPORARY only');

  const schooling = oneOf(c, 'schooling', SCHOOLING);
  const schoolName = opt(c, 'school_name', 200);
  if (schooling === 'IN_SCHOOL' && !schoolName) bad(c, 'school_name', 'is required for IN_SCHOOL');
  if (schooling !== 'IN_SCHOOL' && schoolName) bad(c, 'school_name', 'is for IN_SCHOOL only');

  if (c.errors.length) return { errors: c.errors };
  return {
    row: {
      row,
      name,
      idNumber,
      gender,
      birthDate,
      categories,
      distressReasons,
      residenceRegion,
      householdRegion,
      householdType,
      father,
      mother,
      guardianship,
      guardianshipSince,
      entrusted,
      agency,
      schooling,
      schoolName,
    },
  };
}
