import { EntitySchema } from '@mikro-orm/core';

export type SchoolKind =
  | 'KINDERGARTEN'
  | 'PRIMARY'
  | 'TEACHING_POINT'
  | 'JUNIOR_SECONDARY'
  | 'SENIOR_SECONDARY'
  | 'COMPLETE_SECONDARY'
  | 'NINE_YEAR'
  | 'TWELVE_YEAR'
  | 'VOCATIONAL_SECONDARY'
  | 'SPECIAL_EDUCATION';

/** The grades (0 kindergarten, 1 to 12) each kind of school teaches. */
export const GRADES_OF_KIND: Record<SchoolKind, readonly [number, number]> = {
  KINDERGARTEN: [0, 0],
  PRIMARY: [1, 6],
  TEACHING_POINT: [1, 6],
  JUNIOR_SECONDARY: [7, 9],
  SENIOR_SECONDARY: [10, 12],
  COMPLETE_SECONDARY: [7, 12],
  NINE_YEAR: [1, 9],
  TWELVE_YEAR: [1, 12],
  VOCATIONAL_SECONDARY: [10, 12],
  SPECIAL_EDUCATION: [0, 12],
};

/** The national school identification code (学校标识码). */
export const SCHOOL_CODE_PATTERN = /^\d{10}$/;

/**
 * A school. Public institutions, not personal data: rows carry no jurisdiction filter, so a
 * child's school is shown whichever region it lies in; lists of schools are narrowed to the
 * caller's jurisdiction by the service.
 */
export interface School {
  code: string;
  name: string;
  kind: SchoolKind;
  /** The township or village (a county for county-level schools) the school is in. */
  regionCode: string;
  boarding: boolean;
}

export const SchoolSchema = new EntitySchema<School>({
  name: 'School',
  tableName: 'school',
  schema: 'education',
  indexes: [{ name: 'school_region_code_idx', properties: ['regionCode'] }],
  properties: {
    code: { type: 'string', columnType: 'varchar(10)', primary: true },
    name: { type: 'string' },
    kind: { type: 'string', length: 24 },
    regionCode: { type: 'string', columnType: 'varchar(12) collate "C"' },
    boarding: { type: 'boolean', default: false },
  },
});
