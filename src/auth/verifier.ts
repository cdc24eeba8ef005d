import { createPublicKey } from 'node:crypto';
import fs from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, importSPKI, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';
import { HubError, unauthenticated } from '../errors';
import { loadOrCreateDevKey } from './keys';
import { Claims, type Principal } from './principal';

/** Only asymmetric algorithms: a shared secret would let any verifier mint tokens. */
const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

export type VerifyToken = (token: string) => Promise<Principal>;

export function createVerifier(getKey: JWTVerifyGetKey, issuer: string, audience: string): VerifyToken {
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        algorithms: ALGORITHMS,
        issuer,
        audience,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      throw unauthenticated(`Invalid token: ${(err as { code?: string }).code ?? 'verification failed'}`);
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      throw unauthenticated(`Invalid token claim ${issue.path.join('.')}: ${issue.message}`);
    }
    const { sub, dept, region, roles, enterprise } = claims.data;
    return { sub, dept, region, roles, ...(enterprise ? { enterprise } : {}) };
  };
}

/**
 * The caller of an `Authorization: Bearer <token>` header, or why it is refused. The hub and
 * the router both answer a refusal with 401 before any other work.
 */
export async function authenticateBearer(
  verifyToken: VerifyToken,
  header: string | null | undefined,
): Promise<{ principal: Principal; token: string } | { refused: string }> {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) return { refused: 'A bearer token is required (Authorization: Bearer <token>)' };
  try {
    return { principal: await verifyToken(match[1]), token: match[1] };
  } catch (err) {
    if (err instanceof HubError) return { refused: err.message };
    throw err;
  }
}

/** The key source from configuration: a JWKS URL, a PEM public key, or the development key. */
export async function verifierFromConfig(config: Config): Promise<VerifyToken> {
  const { jwksUrl, publicKeyFile, issuer, audience } = config.auth;
  if (jwksUrl) return createVerifier(createRemoteJWKSet(new URL(jwksUrl)), issuer, audience);
  if (publicKeyFile) {
    const pem = await fs.readFile(publicKeyFile, 'utf8');
    const key = await importSPKI(pem, algorithmFor(pem));
    return createVerifier(async () => key, issuer, audience);
  }
  const dev = await loadOrCreateDevKey(config.dataDir);
  return createVerifier(createLocalJWKSet({ keys: [dev.publicJwk] }), issuer, audience);
}

const ALGORITHM_BY_CURVE: Record<string, string> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** A PEM does not say which JWS algorithm it is for; take the one its key type and curve imply. */
function algorithmFor(pem: string): string {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  const alg =
    key.asymmetricKeyType === 'ec' ? ALGORITHM_BY_CURVE[key.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  if (!alg) throw new Error(`JWT_PUBLIC_KEY_FILE: unsupported key type ${key.asymmetricKeyType}`);
  return alg;
}
