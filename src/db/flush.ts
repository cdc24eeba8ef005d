import {
  OptimisticLockError,
  UniqueConstraintViolationException,
  type EntityManager,
  type EntitySchema,
} from '@mikro-orm/core';
import { conflict } from '../errors';

/**
 * Flushes in one transaction and turns the database's refusals into CONFLICT: a unique key
 * taken in the meantime, or a row changed since it was read.
 */
export async function flushOrConflict(em: EntityManager, duplicate = 'A record with this key already exists') {
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict(duplicate);
    if (err instanceof OptimisticLockError) throw conflict('The record was changed by someone else; read it again');
    throw err;
  }
}

/**
 * The optimistic check of a write that names the version it read: a row changed since then is
 * CONFLICT, and the caller reads it again. `what` names the row in the message ("record", "case").
 */
export function checkVersion(row: { version: number }, version: number, what = 'record') {
  if (row.version !== version) {
    throw conflict(`Stale version ${version}: the ${what} is at version ${row.version}; read it again`, {
      field: 'version',
    });
  }
}

/**
 * Saves a row that exists at most once (a child's current enrolment, guardianship, hukou):
 * changes `existing` when there is one (a row as read, merged into the entity manager here),
 * creates it otherwise, and flushes.
 */
export async function saveSingleRow<T extends object>(
  em: EntityManager,
  schema: EntitySchema<T>,
  existing: T | null,
  values: Partial<T>,
): Promise<T> {
  const row = existing ? em.assign(em.merge(schema, existing), values as never) : em.create(schema, values as T);
  await flushOrConflict(em);
  return row as T;
}
