import { parseIdNumber } from '../registry/id-number';
import { isIsoDate } from '../scalars';
import type { RowError, Schooling } from './supervision.entity';

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
  'residence_region',
  'household_region',
  'father_name',
  'father_id_number',
  'father_phone',
  'father_working_away',
  'father_work_region',
  'father_employer',
  'mother_name',
  'mother_id_number',
  'mother_phone',
  'mother_working_away',
  'mother_work_region',
  'mother_employer',
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
}

/** A row that passed every check, in the registry's terms. */
export interface LedgerRow {
  row: number;
  name: string;
  idNumber: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  categories: string[];
  residenceRegion: string;
  householdRegion: string;
  father: LedgerGuardian | null;
  mother: LedgerGuardian | null;
  guardianship: 'PARENTS' | 'ENTRUSTED' | 'GOVERNMENT_TEMPORARY';
  guardianshipSince: string;
  entrusted: (Omit<LedgerGuardian, 'workingAway' | 'workRegion' | 'employer'> & { relation: string }) | null;
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

/**
 * Checks one row and returns it in the registry's terms, or every problem it has. Duplicates in
 * the file and against the registry are checked by the caller, across rows.
 */
export function checkLedgerRow(
  record: LedgerRecord,
  row: number,
  ctx: LedgerCheckContext,
): { row: LedgerRow } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const bad = (column: LedgerColumn, reason: string) => errors.push({ row, column, reason });
  const text = (column: LedgerColumn) => (record[column] ?? '').trim();
  const opt = (column: LedgerColumn, max = 200) => {
    const value = text(column);
    if (value.length > max) bad(column, `must be at most ${max} characters`);
    return value || null;
  };
  const req = (column: LedgerColumn, max = 100) => {
    const value = text(column);
    if (!value) bad(column, 'must not be empty');
    else if (value.length > max) bad(column, `must be at most ${max} characters`);
    return value;
  };
  const oneOf = <T extends string>(column: LedgerColumn, allowed: readonly T[]) => {
    const value = text(column).toUpperCase();
    if (!allowed.includes(value as T)) bad(column, `must be one of ${allowed.join(', ')}`);
    return value as T;
  };
  const pastDate = (column: LedgerColumn) => {
    const value = text(column);
    if (!isIsoDate(value)) bad(column, `"${value}" is not a date (YYYY-MM-DD)`);
    else if (value > ctx.today) bad(column, 'must not be in the future');
    return value;
  };
  const region = (column: LedgerColumn, value: string) => {
    if (!ctx.regionExists(value)) bad(column, `region ${value} does not exist`);
  };
  const phone = (column: LedgerColumn) => {
    const value = opt(column, 20);
    if (value && !PHONE.test(value)) bad(column, 'must be digits, optionally with + and -');
    return value;
  };
  const guardianId = (column: LedgerColumn) => {
    const value = opt(column, 18)?.toUpperCase() ?? null;
    if (value) {
      const facts = parseIdNumber(value);
      if ('error' in facts) bad(column, facts.error);
    }
    return value;
  };
  const yesNo = (column: LedgerColumn) => {
    const value = text(column).toUpperCase();
    if (value !== '' && value !== 'Y' && value !== 'N') bad(column, 'must be Y or N');
    return value === 'Y';
  };

  const name = req('name', 50);
  const idNumber = text('id_number').toUpperCase();
  const gender = oneOf('gender', GENDERS as ('MALE' | 'FEMALE')[]);
  const birthDate = pastDate('birth_date');
  const facts = parseIdNumber(idNumber);
  if ('error' in facts) bad('id_number', facts.error);
  else {
    if (!ctx.regionExists(facts.regionCode)) bad('id_number', `issuing region ${facts.regionCode} does not exist`);
    if (isIsoDate(birthDate) && facts.birthDate !== birthDate)
      bad('birth_date', `does not match the identity number (${facts.birthDate})`);
    if (GENDERS.includes(gender) && facts.gender !== gender) bad('gender', 'does not match the identity number');
  }
  if (isIsoDate(birthDate)) {
    const adult = `${Number(birthDate.slice(0, 4)) + 18}${birthDate.slice(4)}`;
    if (adult <= ctx.today) bad('birth_date', 'the registry holds minors only');
  }
  const categories = text('categories')
    .split(';')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  if (categories.length === 0) bad('categories', 'at least one category is required');
  else if (categories.some((c) => !CATEGORIES.includes(c)))
    bad('categories', `must be among ${CATEGORIES.join(', ')}, separated by ;`);
  else if (new Set(categories).size !== categories.length) bad('categories', 'must not repeat a category');
  const residenceRegion = text('residence_region');
  if (!/^\d{12}$/.test(residenceRegion)) bad('residence_region', 'must be a 12-digit village code');
  else if (!residenceRegion.startsWith(ctx.scope)) bad('residence_region', `is outside region ${ctx.scope}`);
  else region('residence_region', residenceRegion);
  const householdRegion = text('household_region');
  if (!/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(householdRegion))
    bad('household_region', 'must be a GB/T 2260 region code');
  else region('household_region', householdRegion);

  const parent = (prefix: 'father' | 'mother'): LedgerGuardian | null => {
    const col = (suffix: string) => `${prefix}_${suffix}` as LedgerColumn;
    const guardianName = opt(col('name'), 100);
    const idNo = guardianId(col('id_number'));
    const tel = phone(col('phone'));
    const away = yesNo(col('working_away'));
    const workRegion = opt(col('work_region'), 12);
    const employer = opt(col('employer'), 200);
    if (workRegion) {
      if (!away) bad(col('work_region'), `is for a ${prefix} working away (${prefix}_working_away Y)`);
      else region(col('work_region'), workRegion);
    }
    if (!guardianName) {
      for (const [c, v] of [
        ['id_number', idNo],
        ['phone', tel],
        ['working_away', away || null],
        ['employer', employer],
      ] as const)
        if (v) bad(col(c), `needs ${prefix}_name`);
      return null;
    }
    return { name: guardianName, idNumber: idNo, phone: tel, workingAway: away, workRegion, employer };
  };
  const father = parent('father');
  const mother = parent('mother');

  const guardianship = oneOf('guardianship', ARRANGEMENTS as LedgerRow['guardianship'][]);
  const guardianshipSince = pastDate('guardianship_since');
  const entrustedName = opt('entrusted_name', 100);
  const entrustedRelation = text('entrusted_relation').toUpperCase();
  const entrustedId = guardianId('entrusted_id_number');
  const entrustedPhone = phone('entrusted_phone');
  const agency = opt('agency', 200);
  let entrusted: LedgerRow['entrusted'] = null;
  if (guardianship === 'ENTRUSTED') {
    if (!entrustedName) bad('entrusted_name', 'is required for ENTRUSTED');
    if (!ENTRUSTED_RELATIONS.includes(entrustedRelation))
      bad('entrusted_relation', `must be one of ${ENTRUSTED_RELATIONS.join(', ')} for ENTRUSTED`);
    entrusted = {
      name: entrustedName ?? '',
      relation: entrustedRelation,
      idNumber: entrustedId,
      phone: entrustedPhone,
    };
  } else {
    for (const [c, v] of [
      ['entrusted_name', entrustedName],
      ['entrusted_relation', entrustedRelation],
      ['entrusted_id_number', entrustedId],
      ['entrusted_phone', entrustedPhone],
    ] as const)
      if (v) bad(c, `does not apply to ${guardianship || 'this guardianship'}`);
  }
  if (guardianship === 'GOVERNMENT_TEMPORARY' && !agency) bad('agency', 'is required for GOVERNMENT_TEMPORARY');
  if (guardianship !== 'GOVERNMENT_TEMPORARY' && agency) bad('agency', 'is for GOVERNMENT_TEMPORARY only');

  const schooling = oneOf('schooling', SCHOOLING);
  const schoolName = opt('school_name', 200);
  if (schooling === 'IN_SCHOOL' && !schoolName) bad('school_name', 'is required for IN_SCHOOL');
  if (schooling !== 'IN_SCHOOL' && schoolName) bad('school_name', 'is for IN_SCHOOL only');

  if (errors.length) return { errors };
  return {
    row: {
      row,
      name,
      idNumber,
      gender,
      birthDate,
      categories,
      residenceRegion,
      householdRegion,
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
