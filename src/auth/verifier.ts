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

/** How long a verified token is trusted without checking its signature again. */
const VERIFIED_FOR_MS = 60_000;
const MAX_VERIFIED = 10_000;

/**
 * Verifies tokens, and remembers the ones that passed for up to a minute (never past their
 * `exp`): a departmental system sends the same token with every request, and checking its
 * signature again each time is a good part of a small read's cost. Failures are not
 * remembered, and a key removed from the key set stops being trusted within the minute.
 */
export function createVerifier(getKey: JWTVerifyGetKey, issuer: string, audience: string): VerifyToken {
  const verify = verifierOf(getKey, issuer, audience);
  const verified = new Map<string, { principal: Principal; until: number }>();
  return async (token) => {
    const now = Date.now();
    const known = verified.get(token);
    if (known && known.until > now) return known.principal;
    verified.delete(token);
    const { principal, exp } = await verify(token);
    if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
    verified.set(token, { principal, until: Math.min(now + VERIFIED_FOR_MS, exp * 1000) });
    return principal;
  };
}

function verifierOf(getKey: JWTVerifyGetKey, issuer: string, audience: string) {
  return async (token: string): Promise<{ principal: Principal; exp: number }> => {
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
    return { principal: { sub, dept, region, roles, ...(enterprise ? { enterprise } : {}) }, exp: payload.exp! };
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
