import fs from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export const SIGNING_ALG = 'ES256';

export interface SigningKey {
  kid: string;
  key: CryptoKey;
  publicJwk: JWK;
}

/**
 * The development key set: generated on first start under the data directory and reused
 * afterwards, so tokens printed by `hub token` stay valid across restarts.
 */
export async function loadOrCreateDevKey(dataDir: string): Promise<SigningKey> {
  const file = path.join(dataDir, 'keys', 'dev-signing-key.json');
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const generated = await generateSigningKey();
    privateJwk = generated.privateJwk;
    // Only the key folder is private: the data directory also holds the embedded database,
    // which runs as another user when the hub runs as root.
    await fs.mkdir(dataDir, { recursive: true });
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.writeFile(file, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  return fromPrivateJwk(privateJwk);
}

/** A signing key from a private JWK file (e.g. the key that signs exported audit heads). */
export async function loadSigningKeyFile(file: string): Promise<SigningKey> {
  return fromPrivateJwk(JSON.parse(await fs.readFile(file, 'utf8')) as JWK);
}

export async function generateSigningKey(): Promise<SigningKey & { privateJwk: JWK }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), alg: SIGNING_ALG, kid: crypto.randomUUID() };
  return { ...(await fromPrivateJwk(privateJwk)), privateJwk };
}

async function fromPrivateJwk(privateJwk: JWK): Promise<SigningKey> {
  const { d: _private, ...publicJwk } = privateJwk;
  void _private;
  return {
    kid: privateJwk.kid!,
    key: (await importJWK(privateJwk, SIGNING_ALG)) as CryptoKey,
    publicJwk: { ...publicJwk, use: 'sig' },
  };
}
