import { ConfigError, loadConfig, type Role } from '../../src/config';

/** An environment that production accepts: every required setting present, and nothing else. */
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://hub:pw@db.internal:5432/hub',
  JWT_ISSUER: 'https://idp.example.gov.cn',
  JWT_AUDIENCE: 'urn:child-care-hub:prod',
  JWKS_URL: 'https://idp.example.gov.cn/.well-known/jwks.json',
  IDENTITY_HASH_KEY: Buffer.alloc(32, 7).toString('base64'),
  WEBHOOK_KEYS: `k2026:${Buffer.alloc(32, 9).toString('base64')}`,
  WEBHOOK_ALLOWED_URLS: 'https://hooks.qh.example.gov.cn/hub/',
};

/** What loadConfig says is wrong with `env` (for `role`); none when it accepts it. */
export function configProblems(env: NodeJS.ProcessEnv, role?: Role): string[] {
  try {
    loadConfig(env, role);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}
