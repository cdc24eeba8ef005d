import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runRetention } from '../src/audit/retention';
import { registerChild, startTestHub, type TestHub } from './helpers/hub';

let hub: TestHub;
let adult: string;
let minor: string;
afterAll(() => hub.close());
beforeAll(async () => {
  hub = await startTestHub();
  adult = (await registerChild(hub)).id;
  minor = (await registerChild(hub)).id;
  await hub.on('registry')(`update registry.child set birth_date = '2008-03-01' where id = ?`, [adult]);
  await hub.on('casework')(
    `insert into casework.protection_case (receipt_number, child_id, region_code, address, concern_type, urgency,
       reporting_unit, reporter_contact, reporter_account, reporter_dept, narrative, status, received_at, updated_at)
     select 'T-' || n, ?, '630121101200', '西关村', concern, urgency, '西关村委会', '0971-5550100', 'test', 'CIVIL_AFFAIRS',
            '…', status, received::timestamptz, received::timestamptz
       from (values (1, 'UNATTENDED', 'ROUTINE', 'CLOSED', '2019-05-01'), (2, 'UNATTENDED', 'ROUTINE', 'CLOSED', '2025-05-01'),
                    (3, 'INJURY', 'URGENT', 'ACCEPTED', '2019-05-01')) as v(n, concern, urgency, status, received)`,
    [minor],
  );
  // Census files staged and never imported: one left three days before the run, one the day before.
  await hub.on('registry')(
    `insert into registry.census_upload (id, account, dept, format, file_name, bytes, created_at)
     values (gen_random_uuid(), 'test', 'CIVIL_AFFAIRS', 'CSV', 'stale.csv', 0, '2026-11-20T08:00:00Z'),
            (gen_random_uuid(), 'test', 'CIVIL_AFFAIRS', 'CSV', 'fresh.csv', 0, '2026-11-22T08:00:00Z')`,
  );
});

const run = (dryRun: boolean) => runRetention(hub.subgraphs.values(), { today: '2026-11-23', dryRun });

test('a dry run counts what each rule would change and changes nothing, but is audited', async () => {
  const cli = spawnSync(
    process.execPath,
    [path.join(__dirname, '../bin/hub.js'), 'retention', 'run', '--dry-run', '--today', '2026-11-23'],
    {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, ...hub.cliEnv(), LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    },
  );
  expect(cli.status).toBe(0);
  expect(cli.stdout).toContain('archive-adults: 1 would change');
  expect(cli.stdout).toContain('pseudonymise-closed-reports: 1 would change');
  expect(await hub.count('registry.child', `status = 'ARCHIVED'`)).toBe(0);
  // Each subgraph with rules records its dry run in its own chain.
  expect(await hub.count('registry.audit_event', `operation = 'retention dry-run'`)).toBe(1);
  expect(await hub.count('casework.audit_event', `operation = 'retention dry-run'`)).toBe(1);
});

test('a run archives adults and unlinks old closed reports, in one audited transaction per subgraph', async () => {
  const results = await run(false);
  expect(results.map((r) => [r.rule, r.affected])).toEqual([
    ['archive-adults', 1],
    // The adult was still recorded LEFT_BEHIND: past 16, not any more.
    ['leave-left-behind-at-16', 1],
    ['remove-stale-census-uploads', 1],
    ['pseudonymise-closed-reports', 1],
  ]);
  expect(await hub.count('registry.census_upload')).toBe(1);
  expect(await hub.count('registry.child', `status = 'ARCHIVED'`)).toBe(1);
  expect(await hub.count('registry.child', `id = '${adult}' and status = 'ARCHIVED'`)).toBe(1);
  expect(await hub.count('casework.protection_case', `child_id is null`)).toBe(1);
  expect(await hub.count('casework.protection_case', `child_id = '${minor}'`)).toBe(2);
  await hub.settle();
  const events = await hub.on('audit')(
    `select source, account, dept, child_ids::text[] as children, payload from audit.event where operation = 'retention run' order by source`,
  );
  expect(events.map((e) => [e.source, e.account, e.dept])).toEqual([
    ['casework', 'hub retention', 'SYSTEM'],
    ['registry', 'hub retention', 'SYSTEM'],
  ]);
  const [cases, event] = events;
  expect(cases.children).toEqual([minor]);
  expect(event.children).toEqual([adult]);
  expect(JSON.parse(event.payload).changes).toContainEqual({
    entity: 'Child',
    id: adult,
    op: 'update',
    before: { status: 'ACTIVE' },
    after: { status: 'ARCHIVED' },
  });
  expect((await run(false)).every((r) => r.affected === 0)).toBe(true);
});
