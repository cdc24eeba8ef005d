import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { makeCreditCode } from '../src/subgraphs/enterprise/credit-code';
import { makeIdNumber } from '../src/domain/id-number';
import { startTestHub, type TestHub } from './helpers/hub';
import { ENTERPRISES, PERSONAS, REGIONS, type Persona, type PersonaName } from './helpers/personas';

/**
 * Enterprises' assistance files: `POST /enterprise/assistance` and `hub import assistance` send
 * a file's rows through `reportAssistanceBatch`, so they are checked, scoped, deduplicated and
 * audited as the mutation's rows are; what they add is reading the file and speaking its terms.
 */
let hub: TestHub;
const root = path.join(__dirname, '..');
const TABLES = ['enterprise.worker', 'enterprise.worker_link', 'enterprise.assistance_report'];
const snapshot = () => Promise.all(TABLES.map((t) => hub.count(t)));
const unregistered: Persona = { ...PERSONAS.enterprise, enterprise: makeCreditCode(REGIONS.county, 998) };
const enterpriseReader: Persona = { ...PERSONAS.enterprise, roles: ['reader'] };

let sequence = 0;
function workerId(): string {
  sequence += 1;
  return makeIdNumber('411302', `19${80 + (sequence % 20)}-0${1 + (sequence % 9)}-1${sequence % 10}`, sequence, 'MALE');
}
const key = () => `file-${++sequence}`;
const csv = (rows: string[][]) => rows.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\r\n');
const ZH = ['报告编号', '帮扶类型', '日期', '职工身份证号', '金额', '备注'];

async function upload(
  who: PersonaName | Persona | null,
  name: string,
  body: Buffer | string,
  purpose = 'ASSISTANCE_REPORTING',
) {
  const req = request(hub.http.app).post('/enterprise/assistance').set('x-purpose', purpose);
  if (who) req.set('authorization', `Bearer ${await hub.token(who)}`);
  return req.attach('file', Buffer.from(body), name);
}

async function xlsx(header: string[], rows: ExcelJS.CellValue[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('reports');
  sheet.addRow(header);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

beforeAll(async () => {
  hub = await startTestHub();
  for (const [creditCode, regionCode, name] of [
    [ENTERPRISES.a, REGIONS.townshipA, '大通县毛纺织有限公司'],
    [ENTERPRISES.b, REGIONS.county, '大通县农产品加工厂'],
  ]) {
    const res = await hub.gql(
      'civilCounty',
      `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }`,
      {
        input: {
          creditCode,
          name,
          regionCode,
          labourIntensive: true,
          contactName: '王经理',
          contactPhone: '0971-6123456',
        },
      },
    );
    if (!res.data?.registerEnterprise) throw new Error(JSON.stringify(res.errors));
  }
});

afterAll(() => hub.close());

describe('POST /enterprise/assistance', () => {
  test('a CSV headed in Chinese is recorded; sent again, each row gets its original receipt and nothing is written', async () => {
    const rows = [
      [key(), '家长学校', '2026-03-01', `${workerId()}；${workerId()}\n${workerId()}`, '', '周末家长课堂'],
      [key(), 'HARDSHIP_AID', '2026-03-02', workerId(), '1200.5', ''],
      [key(), '探亲团聚', '2026-02-10', `${workerId()}, ${workerId()}`, '', ''],
    ];
    const file = csv([ZH, ...rows]);
    const res = await upload('enterprise', 'roster.csv', file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ written: 3, duplicates: 0 });
    expect(res.body.receipts.map((r: { row: number; clientKey: string }) => [r.row, r.clientKey])).toEqual(
      rows.map((r, i) => [i + 2, r[0]]),
    );
    const reports = await hub.gql(
      'enterprise',
      `{ assistanceReports(first: 10) { edges { node { clientKey kind workersCovered amount notes } } } }`,
    );
    const byKey = Object.fromEntries(
      reports.data!.assistanceReports.edges.map((e: { node: { clientKey: string } }) => [e.node.clientKey, e.node]),
    );
    expect(byKey[rows[0][0]]).toMatchObject({ kind: 'PARENT_SCHOOL', workersCovered: 3, notes: '周末家长课堂' });
    expect(byKey[rows[1][0]]).toMatchObject({ kind: 'HARDSHIP_AID', amount: '1200.50', notes: null });
    // Audited as the mutation is, under the caller's enterprise and purpose, in the enterprise's chain.
    await hub.settle();
    expect(
      await hub.count(
        'audit.event',
        `source = 'enterprise' and operation = 'mutation ReportAssistanceFile' and purpose = 'ASSISTANCE_REPORTING' and payload::jsonb -> 'actor' ->> 'enterprise' = '${ENTERPRISES.a}'`,
      ),
    ).toBe(1);

    const before = await hub.count('enterprise.assistance_report');
    const again = await upload('enterprise', 'roster.csv', file);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      written: 0,
      duplicates: 3,
      receipts: res.body.receipts.map((r: object) => ({ ...r, duplicate: true })),
    });
    expect(await hub.count('enterprise.assistance_report')).toBe(before);

    // Another enterprise's keys are its own: the same file records three reports of enterprise B.
    const other = await upload('enterpriseB', 'roster.csv', file);
    expect(other.body).toMatchObject({ written: 3, duplicates: 0 });
  });

  test('an XLSX headed in English, with dates and amounts as Excel stores them, is recorded', async () => {
    const keys = [key(), key()];
    const file = await xlsx(
      ['clientKey', 'kind', 'date', 'workerIdNumbers', 'amount', 'notes'],
      [
        [keys[0], 'long_term_assistance', new Date(Date.UTC(2026, 0, 15)), workerId(), 300, null],
        [keys[1], '弹性工作休假', '2026-01-16', workerId(), null, '育儿假'],
      ],
    );
    const res = await upload('enterpriseB', 'roster.xlsx', file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      written: 2,
      receipts: [
        { row: 2, clientKey: keys[0] },
        { row: 3, clientKey: keys[1] },
      ],
    });
    const stored = await hub.on('enterprise')(
      `select kind, date::text, amount::text from enterprise.assistance_report where client_key = ?`,
      [keys[0]],
    );
    expect(stored).toEqual([{ kind: 'LONG_TERM_ASSISTANCE', date: '2026-01-15', amount: '300.00' }]);
  });

  test('a file with bad rows lists each by row, column and problem, in the file’s terms, and writes nothing', async () => {
    const id = workerId();
    const repeated = key();
    const rows = [
      [repeated, '现场宣讲', '2026-03-01', workerId(), '', ''],
      ['', '现场宣讲', '2026-03-01', workerId(), '', ''],
      [key(), '困难帮扶', '2026-03-01', workerId(), '', ''],
      [repeated, '现场宣讲', '2026-03-01', workerId(), '', ''],
      [key(), '现场宣讲', '2026-13-01', `${workerId()};123;${id};${id}`, '', ''],
    ];
    const before = await snapshot();
    const res = await upload('enterprise', 'bad.csv', csv([ZH, ...rows]));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      rowErrors: [
        { row: 3, column: '报告编号', problem: expect.stringMatching(/1 to 64/) },
        { row: 4, column: '金额', problem: 'is required for HARDSHIP_AID' },
        { row: 5, column: '报告编号', problem: 'repeats the key of row 2' },
        { row: 6, column: '日期', problem: expect.stringMatching(/not a date/) },
        { row: 6, column: '职工身份证号', problem: expect.stringMatching(/^number 2 in the cell: .*17 digits/) },
        { row: 6, column: '职工身份证号', problem: 'number 4 in the cell: repeats number 3 in the cell' },
      ],
    });

    const kinds = await upload('enterprise', 'kinds.csv', csv([ZH, [key(), '野餐', '2026-03-01', workerId(), '', '']]));
    expect(kinds.status).toBe(422);
    expect(kinds.body.rowErrors).toEqual([
      {
        row: 2,
        column: '帮扶类型',
        problem: expect.stringMatching(/"野餐" is not a kind.*家长学校 \(PARENT_SCHOOL\)/),
      },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  test('a file whose columns are not the template’s, or that is no CSV or XLSX, is refused as a whole', async () => {
    const res = await upload(
      'enterprise',
      'names.csv',
      csv([
        ['报告编号', '帮扶类型', '姓名', '职工身份证号'],
        [key(), '家长学校', '张三', workerId()],
      ]),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/unknown column "姓名".*missing columns: 日期 \/ date/);
    const text = await upload('enterprise', 'roster.txt', 'hello');
    expect(text.status).toBe(400);
    expect(text.body.errors[0].message).toMatch(/\.csv or \.xlsx/);
    const rows = Array.from({ length: 5_001 }, (_, i) => [`many-${i}`, '家长学校', '2026-03-01', workerId(), '', '']);
    const many = await upload('enterprise', 'many.csv', csv([ZH, ...rows]));
    expect(many.status).toBe(400);
    expect(many.body.errors[0].message).toBe('file: at most 5,000 rows per file, got 5,001: split it');
    const broken = await upload('enterprise', 'roster.xlsx', 'not a zip file');
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].message).toMatch(/the file cannot be read/);
  });

  test('only an enterprise’s writer records, and only for a registered enterprise with a declared purpose', async () => {
    const file = csv([ZH, [key(), '家长学校', '2026-03-01', workerId(), '', '']]);
    const before = await snapshot();
    const anonymous = await upload(null, 'roster.csv', file);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const who of ['civilCounty', 'supervisionProvince', enterpriseReader] as const) {
      const res = await upload(who, 'roster.csv', file);
      expect(res.status).toBe(403);
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const stranger = await upload(unregistered, 'roster.csv', file);
    expect(stranger.status).toBe(404);
    expect(stranger.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const noPurpose = await request(hub.http.app)
      .post('/enterprise/assistance')
      .set('authorization', `Bearer ${await hub.token('enterprise')}`)
      .attach('file', Buffer.from(file), 'roster.csv');
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.errors[0].message).toMatch(/purpose/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the template', () => {
  test('downloads without a token, headed in Chinese and English, and comes back filled in as a file that records', async () => {
    const res = await request(hub.http.app)
      .get('/enterprise/assistance/template.xlsx')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/assistance-template\.xlsx/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual([
      '报告编号 / clientKey',
      '帮扶类型 / kind',
      '日期 / date',
      '职工身份证号 / workerIdNumbers',
      '金额 / amount',
      '备注 / notes',
    ]);
    expect(workbook.worksheets[1].name).toBe('说明 Notes');

    const keys = [key(), key()];
    sheet.addRow([keys[0], '家长学校', '2026-04-01', `${workerId()}、${workerId()}`]);
    sheet.addRow([keys[1], '困难帮扶', '2026-04-02', workerId(), '800']);
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const sent = await upload('enterprise', 'template.xlsx', filled);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      written: 2,
      receipts: [
        { row: 2, clientKey: keys[0] },
        { row: 3, clientKey: keys[1] },
      ],
    });
  });
});

describe('hub import assistance', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-assistance-cli-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  /** Runs the command without blocking this process, whose database connections keep their timers. */
  const hubCli = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const proc = spawn(process.execPath, [path.join(root, 'bin/hub.js'), 'import', 'assistance', ...args], {
        cwd: root,
        env: { ...process.env, ...hub.cliEnv(), HUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (d) => (stdout += d));
      proc.stderr.on('data', (d) => (stderr += d));
      proc.once('exit', (status) => resolve({ status, stdout, stderr }));
    });

  test('records a file for an enterprise, with progress; a bad file is rejected with its rows; an unknown enterprise is refused', async () => {
    const file = path.join(dataDir, 'roster.xlsx');
    const keys = [key(), key(), key()];
    fs.writeFileSync(
      file,
      await xlsx(ZH, [
        [keys[0], '家长学校', '2026-03-05', `${workerId()}\n${workerId()}`],
        [keys[1], '现场宣讲', '2026-03-06', workerId()],
        [keys[2], '困难帮扶', '2026-03-07', workerId(), '500'],
      ]),
    );
    const first = await hubCli(file, '--enterprise', ENTERPRISES.b);
    expect(first.stderr).toMatch(/reading +\[/);
    expect(first.stdout).toMatch(/^ACCEPTED: 3 reports, 3 recorded now, 0 already recorded/);
    expect(first.stdout).toContain(`row 4: ${keys[2]} `);
    expect(first.status).toBe(0);
    expect(await hub.count('enterprise.assistance_report', `client_key in ('${keys.join("','")}')`)).toBe(3);
    await hub.settle(); // the audit service's copy of the enterprise's chain
    expect(
      await hub.count(
        'audit.event',
        `source = 'enterprise' and operation = 'mutation ReportAssistanceFile' and account = 'hub-cli'`,
      ),
    ).toBe(1);

    const bad = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(bad, csv([ZH, [key(), '困难帮扶', '2026-03-07', workerId(), '', '']]));
    const before = await snapshot();
    const rejected = await hubCli(bad, '--enterprise', ENTERPRISES.b);
    expect(rejected.stdout).toMatch(/^REJECTED: nothing recorded/);
    expect(rejected.stdout).toContain('row 2, 金额: is required for HARDSHIP_AID');
    expect(rejected.status).toBe(1);

    const stranger = await hubCli(file, '--enterprise', unregistered.enterprise!);
    expect(stranger.stderr).toContain('Enterprise not found');
    expect(stranger.status).not.toBe(0);
    expect(await snapshot()).toEqual(before);
    // Three runs of the command, each loading the hub and opening the database.
  }, 180_000);
});
