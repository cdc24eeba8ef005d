import { SignJWT } from 'jose';
import type { Department, Role } from './principal';
import { SIGNING_ALG, type SigningKey } from './keys';

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
