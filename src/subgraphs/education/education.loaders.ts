import type { EntityManager } from '@mikro-orm/postgresql';
import { perRequest } from '../../context';
import { manyLoader, oneLoader } from '../../db/loaders';
import { scopedRead } from '../../db/scoped-read';
import { EnrolmentSchema, PastEnrolmentSchema } from './enrolment.entity';
import { SCHOOL_CODE_PATTERN, SchoolSchema, type School } from './school.entity';

const enrolmentsByChild = scopedRead(EnrolmentSchema, 'childId');

/** Schools kept per database; past the bound the oldest half is dropped. */
const KNOWN_SCHOOLS = 20_000;
const knownSchools = new WeakMap<object, Map<string, School>>();

/**
 * Schools by code. A school row never changes once registered (there is no update or delete),
 * so a school read once is kept for the life of the process and later requests read none;
 * a code not found is not kept, so a school registered later is found.
 */
async function schoolsByCode(em: EntityManager, codes: string[]): Promise<School[]> {
  let known = knownSchools.get(em.getDriver());
  if (!known) knownSchools.set(em.getDriver(), (known = new Map()));
  const missing = codes.filter((code) => !known.has(code));
  if (missing.length) {
    const found = await em.find(SchoolSchema, { code: { $in: missing } }, { disableIdentityMap: true });
    if (known.size + found.length > KNOWN_SCHOOLS) {
      for (const code of [...known.keys()].slice(0, known.size / 2)) known.delete(code);
    }
    for (const school of found) known.set(school.code, { ...school });
  }
  return codes.flatMap((code) => known.get(code) ?? []);
}

/** Education's loaders for one request; scoped rows are read through the request's `em`. */
export const educationLoaders = perRequest(({ em }) => ({
  enrolmentOfChild: oneLoader(
    (ids) => enrolmentsByChild(em, ids),
    (e) => e.childId,
  ),
  pastEnrolmentsOfChild: manyLoader(
    (ids) =>
      em.find(PastEnrolmentSchema, { childId: { $in: ids } }, { orderBy: { since: 'desc', recordedAt: 'desc' } }),
    (e) => e.childId,
  ),
  school: oneLoader(
    (codes) => schoolsByCode(em, codes),
    (s) => s.code,
    (code) => SCHOOL_CODE_PATTERN.test(code),
  ),
}));
