import { randomBytes } from 'node:crypto';
import { developmentKey } from '../auth/development-key';
import { KeyRing } from '../auth/key-ring';
import type { Config } from '../config';

/** How webhooks are kept from being turned against the network or read from a backup. */
export interface WebhookSettings {
  /** Seals webhook secrets in the database (AES-256-GCM). */
  keys: KeyRing;
  /** Whether a webhook may POST to `url`. */
  allows(url: URL): boolean;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * Targets under one of `allowedUrls` (same scheme, host and port, path under the prefix's, which
 * ends with /), and with `loopback`, any port of this machine.
 */
export function webhookSettings(keys: KeyRing, allowedUrls: readonly string[], loopback: boolean): WebhookSettings {
  const prefixes = allowedUrls.map((prefix) => new URL(prefix));
  return {
    keys,
    allows: (url) =>
      (loopback && LOOPBACK.test(url.hostname)) ||
      prefixes.some((p) => p.protocol === url.protocol && p.host === url.host && url.pathname.startsWith(p.pathname)),
  };
}

/**
 * From WEBHOOK_KEYS and WEBHOOK_ALLOWED_URLS. Production has no fallback: both are required.
 * In development the key is generated under the data directory (reused across restarts, so
 * subscriptions survive them) and webhooks may also call loopback.
 */
export async function webhookSettingsFromConfig(config: Config): Promise<WebhookSettings> {
  const production = config.env === 'production';
  const { keys, allowedUrls } = config.webhooks;
  if (production && (!keys || !allowedUrls.length)) {
    throw new Error('WEBHOOK_KEYS and WEBHOOK_ALLOWED_URLS are required in production');
  }
  const ring = new KeyRing(keys ?? [{ id: 'dev', key: await developmentKey(config.dataDir, 'webhook-key') }]);
  return webhookSettings(ring, allowedUrls, !production);
}

/** A fresh key and loopback targets: for tests and benchmarks, whose data outlives no process. */
export const developmentWebhookSettings = (): WebhookSettings =>
  webhookSettings(new KeyRing([{ id: 'dev', key: randomBytes(32) }]), [], true);
