import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The newcomer's path, end to end: `hub start` on an empty data directory starts the embedded
 * database, migrates, seeds and serves; `hub token` signs with the key it created; SIGTERM
 * stops the server and the database.
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
