import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { developmentKey } from './development-key';

/**
 * The keyed hash (HMAC-SHA256, hex) under which the hub keeps identity numbers it must match
 * but need not show, such as enterprises' workers. Identity numbers are too few to survive an
 * unkeyed hash (every one can be tried), so the key lives outside the database.
 */
export type IdentityHash = (idNumber: string) => string;

export function identityHash(key: Buffer): IdentityHash {
  // A key object, made once: handed a Buffer, every createHmac checks and imports it again,
  // which costs several times the hash itself (imports hash thousands of numbers per batch).
  const secret = createSecretKey(key);
  return (idNumber) => createHmac('sha256', secret).update(idNumber.toUpperCase()).digest('hex');
}

/** A hash under a fresh key: for tests and benchmarks, whose data outlives no process. */
export const randomIdentityHash = (): IdentityHash => identityHash(randomBytes(32));

/**
 * The configured key (IDENTITY_HASH_KEY, required in production) or, in development, one
 * generated on first start under the data directory and reused afterwards, so hashes stored
 * yesterday still match today.
 */
export async function identityHashFromConfig(config: Config): Promise<IdentityHash> {
  if (config.identityHashKey) return identityHash(config.identityHashKey);
  if (config.env === 'production') throw new Error('IDENTITY_HASH_KEY is required in production');
  return identityHash(await developmentKey(config.dataDir, 'identity-hash-key'));
}
