import { OptimisticLockError, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
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
