import { SignJWT } from 'jose';
import type { Config } from '../config';
import type { Department, Role } from './principal';
import { loadOrCreateDevKey, SIGNING_ALG, type SigningKey } from './keys';

export interface TokenRequest {
  sub?: string;
  dept: Department;
  region: string;
  roles?: Role[];
  enterprise?: string;
  /** jose duration, e.g. "8h", "15m". */
  ttl?: string;
}

export function signToken(key: SigningKey, issuer: string, audience: string, req: TokenRequest): Promise<string> {
  const claims: Record<string, unknown> = { dept: req.dept, region: req.region, roles: req.roles ?? [] };
  if (req.enterprise) claims.enterprise = req.enterprise;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(req.sub ?? `${req.dept.toLowerCase()}-${req.region}`)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(req.ttl ?? '8h')
    .sign(key.key);
}

/** Signs a development token for a persona, with the key the hub verifies development tokens with. */
export type DevTokenSigner = (req: TokenRequest) => Promise<string>;

/**
 * The development signer, while the hub trusts its own development key: not in production, nor
 * once a key set is configured (JWKS_URL, JWT_PUBLIC_KEY_FILE), where its tokens would be refused.
 */
export async function devTokenSigner(config: Config): Promise<DevTokenSigner | undefined> {
  const { jwksUrl, publicKeyFile, issuer, audience } = config.auth;
  if (config.env === 'production' || jwksUrl || publicKeyFile) return undefined;
  const key = await loadOrCreateDevKey(config.dataDir);
  return (req) => signToken(key, issuer, audience, req);
}
