/**
 * What the departments publish for cross-department conflict detection, which supervision keeps
 * in its own tables (src/subgraphs/supervision/conflict-facts.ts): per child, only what a
 * conflict is made of, never a name or an identity number.
 */

/** The registry's facts of a child (`ChildFacts`, published as `{ children: ChildFacts[] }`). */
export interface ChildFacts {
  childId: string;
  /** The village the child lives in. */
  regionCode: string;
  /** The record is ACTIVE (not closed nor archived). */
  active: boolean;
  /** The child has custodians, every one works away, and nobody (nor the government) is entrusted with its care. */
  awayWithoutEntrusted: boolean;
  /** The custodians' identity numbers under the hub's keyed hash: the same person in two counties. */
  custodians: string[];
  /** What the census ledger records of the child's schooling; null when no ledger row was taken in. */
  schooling: string | null;
  /** The rules of src/domain/categories.ts the record's categories break (rule names); empty when none. */
  categoryBreaches: string[];
}

export const CHILD_FACTS = 'ChildFacts';

/** Education recorded a child's enrolment (`EnrolmentRecorded`). */
export interface EnrolmentRecorded {
  childId: string;
  regionCode: string;
  status: string;
}

export const ENROLMENT_RECORDED = 'EnrolmentRecorded';

/** Public security recorded a child's household registration (`HouseholdRecorded`). */
export interface HouseholdRecorded {
  childId: string;
  regionCode: string;
  registered: boolean;
}

export const HOUSEHOLD_RECORDED = 'HouseholdRecorded';

/** The registry took in a census ledger of a region (`CensusImported`), after the facts it changed. */
export interface CensusImported {
  importId: string;
  regionCode: string;
}

export const CENSUS_IMPORTED = 'CensusImported';
