import ExcelJS from 'exceljs';
import request from 'supertest';
import { MASKS } from '../src/policy/masks';
import { makeIdNumber } from '../src/domain/id-number';
import { LEDGER_COLUMNS, type LedgerRecord } from '../src/subgraphs/registry/census-ledger';
import {
  bothParentsAwayWithoutEntrusted,
  csvOf,
  download,
  importAndWait,
  ledger,
  parseCsv,
  villagesOf,
  IMPORT,
} from './helpers/census';
import { childInput, REGISTER, registerChild, registerSchool, startTestHub, type TestHub } from './helpers/hub';
import { ENTERPRISES, REGIONS, type Persona } from './helpers/personas';

let hub: TestHub;
let villages: string[];
let rows: LedgerRecord[];

const supervisionCounty: Persona = { dept: 'SUPERVISION', region: REGIONS.county, roles: ['reader', 'writer'] };
const EXPORT = `query($region: ID!, $format: LedgerFormat!) {
  ledgerExport(regionCode: $region, format: $format) { url fileName contentType columns maskedColumns hiddenColumns }
}`;

beforeAll(async () => {
  hub = await startTestHub();
  villages = (await villagesOf(hub, REGIONS.townshipA)).slice(0, 3);
  rows = ledger(villages, 60);
});
afterAll(() => hub?.close());

const byId = (records: LedgerRecord[]) => new Map(records.map((r) => [r.id_number!, r]));

describe('census import', () => {
  test('a file with bad rows is rejected listing every bad row, and nothing is written', async () => {
    const bad = rows.map((r) => ({ ...r }));
    const wrongCheck = bad[2].id_number!.slice(0, 17) + (bad[2].id_number!.endsWith('0') ? '1' : '0');
    bad[2].id_number = wrongCheck; // row 3
    bad[4].residence_region = REGIONS.villageB; // row 5: another township
    bad[6].guardianship_since = '2024-02-30'; // row 7
    bad[8].guardianship = 'GRANDMA'; // row 9
    bad[10].id_number = bad[1].id_number; // row 11 repeats row 2
    bad[10].birth_date = bad[1].birth_date;
    bad[10].gender = bad[1].gender;
    bad[12].father_work_region = '9999'; // row 13: no such region
    bad[14].schooling = 'IN_SCHOOL';
    bad[14].school_name = ''; // row 15
    const outcome = await importAndWait(hub, 'civilTownshipA', {
      regionCode: REGIONS.townshipA,
      csv: csvOf(bad),
      fileName: 'townshipA-bad.csv',
    });
    expect(outcome.status).toBe('REJECTED');
    const found = outcome.rowErrors.map((e) => [e.row, e.column]);
    expect(found).toEqual(
      expect.arrayContaining([
        [3, 'id_number'],
        [5, 'residence_region'],
        [7, 'guardianship_since'],
        [9, 'guardianship'],
        [11, 'id_number'],
        [13, 'father_work_region'],
        [15, 'school_name'],
      ]),
    );
    expect(new Set(outcome.rowErrors.map((e) => e.row))).toEqual(new Set([3, 5, 7, 9, 11, 13, 15]));
    expect(outcome.rowErrors.find((e) => e.row === 11)!.reason).toBe('repeats row 2');
    expect(await hub.count('registry.child')).toBe(0);
    expect(await hub.count('registry.guardian')).toBe(0);
    expect(await hub.count('registry.census_change')).toBe(0);
  });

  test('the corrected file is applied in one go: children, parents, guardianship, ledger', async () => {
    const outcome = await importAndWait(hub, 'civilTownshipA', {
      regionCode: REGIONS.townshipA,
      csv: csvOf(rows),
      fileName: 'townshipA.csv',
    });
    expect(outcome).toMatchObject({ status: 'ACCEPTED', rowsTotal: 60, created: 60, updated: 0, unchanged: 0 });
    expect(outcome.percent).toBe(100);
    expect(outcome.rowsDone).toBe(60);
    expect(outcome.changes).toHaveLength(60);
    expect(outcome.changes.every((c) => c.op === 'CREATE')).toBe(true);
    expect(await hub.count('registry.child')).toBe(60);
    const parents = rows.length * 2;
    const entrusted = rows.filter((r) => r.guardianship === 'ENTRUSTED').length;
    expect(await hub.count('registry.guardian')).toBe(parents + entrusted);
    expect(await hub.count('registry.guardianship', `kind = 'ENTRUSTED' and entrusted_guardian_id is not null`)).toBe(
      entrusted,
    );
    expect(await hub.count('registry.ledger_entry')).toBe(60);
    // In the registry's audit chain, and (once the audit service has copied it) in the hub's audit log.
    expect(await hub.count('registry.audit_event', `operation = 'importCensus' and kind = 'WRITE'`)).toBe(1);
    await hub.settle();
    expect(await hub.count('audit.event', `operation = 'importCensus' and kind = 'WRITE'`)).toBe(1);
    // The import is in each child's access log, as the civil-affairs unit's write.
    const log = await hub.gql(
      'civilCounty',
      `query($id: ID!) { accessLog(childId: $id) { entries { kind department unit { code } } } }`,
      {
        id: outcome.changes[0].child.id,
      },
    );
    expect(log.data?.accessLog.entries).toContainEqual({
      kind: 'WRITE',
      department: 'CIVIL_AFFAIRS',
      unit: { code: REGIONS.townshipA },
    });
    // The child reads back through the graph as civil affairs registered it.
    const first = rows[0];
    const res = await hub.gql(
      'civilCounty',
      `query($n: String!) { childByIdNumber(idNumber: $n) { name guardians { relation name workingAway } guardianship { kind } } }`,
      { n: first.id_number },
    );
    expect(res.data?.childByIdNumber).toMatchObject({ name: first.name, guardianship: { kind: first.guardianship } });
  });

  test('the same file again changes nothing and says so', async () => {
    const revisions = await hub.count('registry.child_revision');
    const outcome = await importAndWait(hub, 'civilTownshipA', {
      regionCode: REGIONS.townshipA,
      csv: csvOf(rows),
    });
    expect(outcome).toMatchObject({ status: 'ACCEPTED', created: 0, updated: 0, unchanged: 60, noChange: true });
    expect(outcome.changes).toEqual([]);
    expect(await hub.count('registry.child_revision')).toBe(revisions);
    expect(await hub.count('registry.child')).toBe(60);
  });

  test('a changed row updates the child by identity number and records what changed', async () => {
    const changed = rows.map((r) => ({ ...r }));
    changed[4].name = '改名儿童';
    changed[7] = {
      ...changed[7],
      father_working_away: 'N',
      father_work_region: '',
      father_employer: '',
      schooling: 'NOT_IN_SCHOOL',
      school_name: '',
      // The father at home: the child is no longer left behind (src/domain/categories.ts).
      categories: 'IN_DISTRESS',
      distress_reasons: changed[7].distress_reasons || 'FAMILY_POVERTY',
    };
    // And one child new to the registry, in the same file.
    changed.push(ledger(villages, 1, 60)[0]);
    const outcome = await importAndWait(hub, 'civilTownshipA', { regionCode: REGIONS.townshipA, csv: csvOf(changed) });
    expect(outcome).toMatchObject({ status: 'ACCEPTED', created: 1, updated: 2, unchanged: 58 });
    const ids = await hub.on('registry')(`select id, id_number from registry.child where id_number in (?, ?)`, [
      changed[4].id_number,
      changed[7].id_number,
    ]);
    const idOf = new Map((ids as { id: string; id_number: string }[]).map((r) => [r.id_number, r.id]));
    expect(outcome.changes).toHaveLength(3);
    expect(outcome.changes).toEqual(
      expect.arrayContaining([
        { child: { id: expect.any(String) }, op: 'CREATE', fields: [] },
        { child: { id: idOf.get(changed[4].id_number!) }, op: 'UPDATE', fields: ['name'] },
        { child: { id: idOf.get(changed[7].id_number!) }, op: 'UPDATE', fields: ['categories', 'father', 'schooling'] },
      ]),
    );
    expect(await hub.count('registry.child_revision', `name = '${rows[4].name}'`)).toBe(1);
    rows = changed;
  });

  test('the same new file sent twice at once adds its children once', async () => {
    const fresh = ledger(villages, 5, 100);
    const input = { regionCode: REGIONS.townshipA, csv: csvOf(fresh) };
    const [a, b] = await Promise.all([
      importAndWait(hub, 'civilTownshipA', input),
      importAndWait(hub, 'civilCounty', input),
    ]);
    expect([a.status, b.status]).toEqual(['ACCEPTED', 'ACCEPTED']);
    expect(a.created + b.created).toBe(5);
    expect([a.noChange, b.noChange].sort()).toEqual([false, true]);
    const n = await hub.count('registry.child', `id_number in (${fresh.map((r) => `'${r.id_number}'`).join(',')})`);
    expect(n).toBe(5);
    rows = [...rows, ...fresh];
  });

  test('an uploaded XLSX file takes the same path (and is the same ledger: no change)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('ledger');
    sheet.addRow([...LEDGER_COLUMNS]);
    for (const r of rows) sheet.addRow(LEDGER_COLUMNS.map((c) => r[c] ?? ''));
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const upload = await request(hub.http.app)
      .post('/census/uploads?name=townshipA.xlsx')
      .set('authorization', `Bearer ${await hub.token('civilTownshipA')}`)
      .set('content-type', 'application/octet-stream')
      .send(buffer);
    expect(upload.status).toBe(201);
    const outcome = await importAndWait(hub, 'civilTownshipA', {
      regionCode: REGIONS.townshipA,
      uploadId: upload.body.uploadId,
    });
    expect(outcome).toMatchObject({ status: 'ACCEPTED', created: 0, updated: 0, noChange: true });
    // Another account cannot use that upload (nor this one twice: it is consumed).
    const again = await hub.gql('civilCounty', IMPORT, {
      input: { regionCode: REGIONS.townshipA, uploadId: upload.body.uploadId },
    });
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  test('a child registered outside the region is a bad row, not an update', async () => {
    const registered = await hub.gql<{ registerChild: { idNumber: string } }>('civilOtherCounty', REGISTER, {
      input: childInput({}, REGIONS.otherCountyVillage),
    });
    const other = registered.data!.registerChild;
    const row = { ...rows[0], id_number: other.idNumber };
    const idFacts = other.idNumber;
    row.birth_date = `${idFacts.slice(6, 10)}-${idFacts.slice(10, 12)}-${idFacts.slice(12, 14)}`;
    row.gender = Number(idFacts[16]) % 2 ? 'MALE' : 'FEMALE';
    const outcome = await importAndWait(hub, 'civilTownshipA', {
      regionCode: REGIONS.townshipA,
      csv: csvOf([...rows, row]),
    });
    expect(outcome.status).toBe('REJECTED');
    expect(outcome.rowErrors).toEqual([
      {
        row: rows.length + 1,
        column: 'id_number',
        reason: 'a child with this identity number is registered outside this region',
      },
    ]);
  });

  test('only civil affairs writers of the region may import', async () => {
    const input = { regionCode: REGIONS.townshipA, csv: csvOf(rows.slice(0, 2)) };
    for (const who of ['educationCounty', 'supervisionProvince', 'civilReadOnly', 'policeCounty'] as const) {
      const res = await hub.gql(who, IMPORT, { input });
      expect([who, res.errors?.[0].extensions?.code]).toEqual([who, 'FORBIDDEN']);
    }
    for (const who of ['civilTownshipB', 'civilOtherCounty'] as const) {
      const res = await hub.gql(who, IMPORT, { input });
      expect([who, res.errors?.[0].extensions?.code]).toEqual([who, 'FORBIDDEN']);
    }
    const upload = await request(hub.http.app)
      .post('/census/uploads?name=x.csv')
      .set('authorization', `Bearer ${await hub.token('educationCounty')}`)
      .send('x');
    expect(upload.status).toBe(403);
    const anonymous = await request(hub.http.app).post('/census/uploads?name=x.csv').send('x');
    expect(anonymous.status).toBe(401);
    const bad = await hub.gql('civilTownshipA', IMPORT, { input: { regionCode: '63012110', csv: 'x' } });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await hub.gql('civilTownshipA', IMPORT, { input: { regionCode: '630121101999', csv: 'x' } });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
  });
});

describe('ledger export', () => {
  test('civil affairs exports what it imported, column for column (CSV and XLSX)', async () => {
    const res = await hub.gql<{ ledgerExport: { url: string; hiddenColumns: string[]; maskedColumns: string[] } }>(
      'civilTownshipA',
      EXPORT,
      { region: REGIONS.townshipA, format: 'CSV' },
    );
    const link = res.data!.ledgerExport;
    expect(link.hiddenColumns).toEqual([]);
    expect(link.maskedColumns).toEqual([]);
    const file = await download(hub, 'civilTownshipA', link.url);
    expect(file.status).toBe(200);
    const exported = parseCsv(file.body);
    expect(exported).toHaveLength(rows.length);
    const imported = byId(rows);
    for (const r of exported) expect(r).toEqual(imported.get(r.id_number!));

    const xlsxLink = await hub.gql<{ ledgerExport: { url: string } }>('civilTownshipA', EXPORT, {
      region: REGIONS.townshipA,
      format: 'XLSX',
    });
    const xlsx = await download(hub, 'civilTownshipA', xlsxLink.data!.ledgerExport.url);
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header).toEqual([...LEDGER_COLUMNS]);
    const fromXlsx: LedgerRecord[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as (string | undefined)[]).slice(1);
      fromXlsx.push(Object.fromEntries(LEDGER_COLUMNS.map((c, i) => [c, values[i] ?? ''])));
    });
    expect(fromXlsx).toEqual(exported);
    await hub.settle();
    expect(await hub.count('audit.event', `kind = 'READ' and operation like 'ledgerExport%'`)).toBe(2);
  });

  test('education sees the export masked as it sees the record; supervision and other regions not at all', async () => {
    const res = await hub.gql<{ ledgerExport: { url: string; hiddenColumns: string[]; maskedColumns: string[] } }>(
      'educationCounty',
      EXPORT,
      { region: REGIONS.townshipA, format: 'CSV' },
    );
    const link = res.data!.ledgerExport;
    expect(link.maskedColumns).toEqual(expect.arrayContaining(['id_number', 'residence_region', 'father_phone']));
    expect(link.hiddenColumns).toEqual(expect.arrayContaining(['father_id_number', 'father_employer']));
    const exported = parseCsv((await download(hub, 'educationCounty', link.url)).body);
    expect(exported).toHaveLength(rows.length);
    // Masked identity numbers need not be unique: compare the whole masked rows as multisets.
    const project = (r: LedgerRecord) =>
      JSON.stringify([r.name, r.id_number, r.residence_region, r.father_phone, r.father_employer, r.schooling]);
    const expected = rows.map((r) =>
      project({
        ...r,
        id_number: MASKS.idNumber(r.id_number) as string,
        residence_region: r.residence_region!.slice(0, 9),
        father_phone: MASKS.phone(r.father_phone) as string,
        father_employer: '',
      }),
    );
    expect(exported.map(project).sort()).toEqual(expected.sort());
    // Under STATISTICS no identity data leaves: names and identity numbers are empty.
    const stats = await hub.gql<{ ledgerExport: { hiddenColumns: string[] } }>(
      'civilTownshipA',
      EXPORT,
      { region: REGIONS.townshipA, format: 'CSV' },
      { purpose: 'STATISTICS' },
    );
    expect(stats.data!.ledgerExport.hiddenColumns).toEqual(
      expect.arrayContaining(['name', 'id_number', 'father_phone']),
    );

    const denied = await hub.gql(supervisionCounty, EXPORT, { region: REGIONS.townshipA, format: 'CSV' });
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await download(hub, supervisionCounty, link.url)).status).toBe(403);
    const outside = await hub.gql('civilTownshipB', EXPORT, { region: REGIONS.townshipA, format: 'CSV' });
    expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await download(hub, 'civilTownshipB', link.url)).status).toBe(403);
    expect((await download(hub, 'civilOtherCounty', link.url)).status).toBe(403);
    // A county account exporting the whole county gets the same children (all live in township A).
    const county = await download(hub, 'civilCounty', `/exports/ledger?regionCode=${REGIONS.county}&format=csv`);
    expect(parseCsv(county.body).filter((r) => r.residence_region!.startsWith(REGIONS.townshipA))).toHaveLength(
      rows.length,
    );
    const noPurpose = await request(hub.http.app)
      .get(link.url)
      .set('authorization', `Bearer ${await hub.token('civilTownshipA')}`);
    expect(noPurpose.status).toBe(400);
  });
});

describe('uploads', () => {
  test('an upload is kept in the registry’s database, imported by another replica, and removed by the import', async () => {
    const csv = csvOf(rows);
    // A file nobody imported, staged two days ago: the next upload removes it.
    await hub.on('registry')(
      `insert into registry.census_upload (id, account, dept, format, file_name, bytes, created_at)
       values (gen_random_uuid(), 'test-civil_affairs-630121101', 'CIVIL_AFFAIRS', 'CSV', 'old.csv', 0, now() - interval '2 days')`,
    );
    const upload = await request(hub.http.app)
      .post('/census/uploads?name=townshipA.csv')
      .set('authorization', `Bearer ${await hub.token('civilTownshipA')}`)
      .set('content-type', 'text/csv')
      .send(csv);
    expect(upload.status).toBe(201);
    expect(upload.body.bytes).toBe(Buffer.byteLength(csv));
    expect(await hub.count('registry.census_upload')).toBe(1);
    const [stored] = await hub.on('registry')(
      `select sum(length(data))::int as bytes from registry.census_upload_chunk where upload_id = ?`,
      [upload.body.uploadId],
    );
    expect(stored.bytes).toBe(Buffer.byteLength(csv));
    // Another replica of the registry (its own HTTP service on the same database) runs the import.
    const [replica] = Object.values(await hub.serveSubgraphs(['registry']));
    const started = await request(replica)
      .post('')
      .set('authorization', `Bearer ${await hub.token('civilTownshipA')}`)
      .set('x-purpose', 'CASE_WORK')
      .send({ query: IMPORT, variables: { input: { regionCode: REGIONS.townshipA, uploadId: upload.body.uploadId } } });
    expect(started.body.errors).toBeUndefined();
    let outcome;
    do {
      outcome = (
        await hub.gql('civilTownshipA', `query($id: ID!) { censusImport(id: $id) { status noChange } }`, {
          id: started.body.data.importCensus.id,
        })
      ).data!.censusImport;
    } while (outcome.status === 'RUNNING');
    expect(outcome).toEqual({ status: 'ACCEPTED', noChange: true });
    expect(await hub.count('registry.census_upload')).toBe(0);
    expect(await hub.count('registry.census_upload_chunk')).toBe(0);
  });
});

describe('what the rest of the hub learns from an import', () => {
  test('a child who moved takes its enrolment along; a new father is linked to his employer’s worker; conflicts are found', async () => {
    // Education enrols a child of the ledger; an enterprise of the county employs the father of a
    // child not yet in the ledger.
    const [movedChild] = await hub.on('registry')(`select id from registry.child where id_number = ?`, [
      rows[10].id_number,
    ]);
    const school = await registerSchool(hub);
    const enrolled = await hub.gql(
      'educationCounty',
      `mutation($input: RecordEnrolmentInput!) { recordEnrolment(input: $input) { status } }`,
      { input: { childId: movedChild.id, schoolCode: school, grade: 3, status: 'ENROLLED' } },
    );
    expect(enrolled.errors).toBeUndefined();
    const newcomer = bothParentsAwayWithoutEntrusted(ledger(villages, 1, 300)[0]);
    await hub.gql(
      'civilCounty',
      `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }`,
      {
        input: {
          creditCode: ENTERPRISES.a,
          name: '大通测试制衣厂',
          regionCode: REGIONS.townshipA,
          labourIntensive: true,
          contactName: '联系人',
          contactPhone: '13900000000',
        },
      },
    );
    // The worker as the enterprise's assistance reports record it: by keyed hash only.
    await hub.on('enterprise')(
      `insert into enterprise.worker (enterprise_code, region_code, id_hash, id_masked, created_at) values (?, ?, ?, ?, now())`,
      [ENTERPRISES.a, REGIONS.townshipA, hub.identityHash(newcomer.father_id_number!), '630121********0000'],
    );

    const moved = rows.map((r, i) =>
      i === 10
        ? { ...r, residence_region: villages[(villages.indexOf(r.residence_region!) + 1) % villages.length] }
        : r,
    );
    const outcome = await importAndWait(hub, 'civilTownshipA', {
      regionCode: REGIONS.townshipA,
      csv: csvOf([...moved, newcomer]),
    });
    expect(outcome).toMatchObject({ status: 'ACCEPTED', created: 1, updated: 1 });
    rows = [...moved, newcomer];
    await hub.settle();

    expect(
      await hub.on('education')(`select region_code from education.enrolment where child_id = ?`, [movedChild.id]),
    ).toEqual([{ region_code: moved[10].residence_region }]);
    const [child] = await hub.on('registry')(`select id from registry.child where id_number = ?`, [newcomer.id_number]);
    expect(await hub.count('enterprise.worker_link', `child_id = '${child.id}'`)).toBe(1);
    // Supervision looked at the township after the import, without being asked.
    const tasks = await hub.gql(
      'civilTownshipA',
      `query($r: ID!) { conflictTasks(regionCode: $r) { kind child { id } } }`,
      { r: REGIONS.townshipA },
    );
    expect(tasks.data!.conflictTasks).toContainEqual({
      kind: 'CUSTODIAN_AWAY_WITHOUT_ENTRUSTED_GUARDIAN',
      child: { id: child.id },
    });
    // Supervision keeps flags and keyed hashes, no names nor identity numbers.
    const facts = await hub.on('supervision')(
      `select f.*, (select array_agg(id_hash) from supervision.custodian_fact c where c.child_id = f.child_id) as custodians
         from supervision.child_fact f where child_id = ?`,
      [child.id],
    );
    expect(facts).toEqual([
      expect.objectContaining({
        region_code: newcomer.residence_region,
        active: true,
        away_without_entrusted: true,
        schooling: newcomer.schooling,
        custodians: [hub.identityHash(newcomer.father_id_number!)],
      }),
    ]);
  });

  test('the export asks education for the schooling of children the ledger does not hold, as the caller', async () => {
    const child = await registerChild(hub, {}, REGIONS.villageA);
    const school = await registerSchool(hub, { name: '城关镇第二小学' });
    await hub.gql(
      'educationCounty',
      `mutation($input: RecordEnrolmentInput!) { recordEnrolment(input: $input) { status } }`,
      {
        input: { childId: child.id, schoolCode: school, grade: 2, status: 'ENROLLED' },
      },
    );
    const civil = parseCsv(
      (await download(hub, 'civilTownshipA', `/exports/ledger?regionCode=${REGIONS.townshipA}&format=csv`)).body,
    );
    expect(civil.find((r) => r.id_number === child.idNumber)).toMatchObject({
      schooling: 'IN_SCHOOL',
      school_name: '城关镇第二小学',
    });
    // The ledger's own schooling stands for the children it holds.
    expect(
      civil
        .filter((r) => r.id_number !== child.idNumber)
        .map((r) => r.school_name)
        .sort(),
    ).toEqual(rows.map((r) => r.school_name).sort());
    await hub.settle();
    const reads = await hub.on('education')(
      `select child_ids::text[] as children from education.audit_event where kind = 'READ' and account = ?`,
      ['test-civil_affairs-630121101'],
    );
    expect(reads.flatMap((r) => r.children)).toEqual([child.id]);
    // Public security does not see enrolments: its export asks education nothing.
    const police = parseCsv(
      (await download(hub, 'policeCounty', `/exports/ledger?regionCode=${REGIONS.townshipA}&format=csv`)).body,
    );
    expect(police.find((r) => r.id_number === child.idNumber)).toMatchObject({ schooling: '', school_name: '' });
    expect(await hub.count('education.audit_event', `account = 'test-public_security-630121'`)).toBe(0);
  });
});

test('identity numbers the generator makes are valid for their villages', () => {
  expect(makeIdNumber(villages[0], rows[0].birth_date!, 0, 'FEMALE')).toHaveLength(18);
});
