import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { verifyExport, verifyStoredChain, exportChain } from '../src/audit/audit-export';
import { generateSigningKey } from '../src/auth/keys';
import { registerChild, startTestHub, type TestHub, IN_DISTRESS } from './helpers/hub';

let hub: TestHub;
let childId: string;
let otherChildId: string;

beforeAll(async () => {
  hub = await startTestHub();
  // In distress (a recorded reason): registered without guardians, so its audit trail is the child's alone.
  childId = (await registerChild(hub, IN_DISTRESS)).id;
  otherChildId = (await registerChild(hub, IN_DISTRESS)).id;
});

afterAll(() => hub.close());

/** The registry's audit chain: the reads and writes of the registry's data, as its own role. */
const execute = (sql: string, params: unknown[] = []) => hub.on('registry')(sql, params);

/** A direct connection to the registry's database, as the administrator or the registry's role. */
async function connect<T>(as: 'admin' | 'registry', work: (c: Client) => Promise<T>): Promise<T> {
  const { db } = hub.subgraphs.get('registry')!;
  const client = new Client({ connectionString: as === 'admin' ? db.adminUrl : db.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const CHILD = `query($id: ID!) { child(id: $id) { id name idNumber categories } }`;

async function lastEvent(kind: 'READ' | 'WRITE') {
  const [row] = await execute(`select * from registry.audit_event where kind = ? order by id desc limit 1`, [kind]);
  return { ...row, payload: JSON.parse(row.payload) };
}

/** Events in every subgraph's chain. */
const allEvents = async () =>
  (await Promise.all([...hub.subgraphs.values()].map((s) => hub.count(`${s.def.schema}.audit_event`)))).reduce(
    (a, b) => a + b,
  );

describe('purpose', () => {
  test('a read of personal data without a purpose is refused before anything runs', async () => {
    const before = await allEvents();
    const res = await hub.gql('civilCounty', CHILD, { id: childId }, { purpose: null });
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'purpose' });
    expect(res.errors?.[0].message).toContain('CASE_WORK');
    expect(await allEvents()).toBe(before);
  });

  test('an unknown purpose is refused; one in the body extensions is accepted', async () => {
    const unknown = await hub.gql('civilCounty', CHILD, { id: childId }, { purpose: 'CURIOSITY' });
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const viaBody = await request(hub.http.app)
      .post('/graphql')
      .set('authorization', `Bearer ${await hub.token('civilCounty')}`)
      .send({ query: CHILD, variables: { id: childId }, extensions: { purpose: 'CASE_WORK' } });
    expect(viaBody.body.errors).toBeUndefined();
    expect(viaBody.body.data.child.id).toBe(childId);
  });

  test('public reference data needs no purpose', async () => {
    const res = await hub.gql('civilCounty', '{ region(code: "63") { name } regions { code } }', {}, { purpose: null });
    expect(res.errors).toBeUndefined();
    expect(res.data?.region.name).toBe('青海省');
  });

  test('the same query under two purposes returns different fields', async () => {
    const work = await hub.gql('civilCounty', CHILD, { id: childId }, { purpose: 'CASE_WORK' });
    expect(work.errors).toBeUndefined();
    expect(work.data?.child).toMatchObject({ id: childId, categories: ['IN_DISTRESS'] });
    expect(work.data?.child.name).toBeTruthy();
    expect(work.data?.child.idNumber).toMatch(/^\d{17}[\dX]$/);

    const stats = await hub.gql('civilCounty', CHILD, { id: childId }, { purpose: 'STATISTICS' });
    expect(stats.data?.child).toEqual({ id: childId, name: null, idNumber: null, categories: ['IN_DISTRESS'] });
    expect(stats.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['child.name', 'FORBIDDEN'],
      ['child.idNumber', 'FORBIDDEN'],
    ]);
  });

  test('ENROLMENT_CHECK never resolves police details, even for public security', async () => {
    const query = `query($id: ID!) { child(id: $id) { id protectionCases { id } householdRegistration { registered } } }`;
    const casework = await hub.gql('policeCounty', query, { id: childId }, { purpose: 'EMERGENCY_RESPONSE' });
    expect(casework.errors).toBeUndefined();
    expect(casework.data?.child.protectionCases).toEqual([]);
    const enrolment = await hub.gql('policeCounty', query, { id: childId }, { purpose: 'ENROLMENT_CHECK' });
    expect(enrolment.data?.child.protectionCases).toBeNull();
    expect(enrolment.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['child.protectionCases', 'FORBIDDEN'],
    ]);
  });
});

describe('audit log', () => {
  test('a read is recorded in the chain of the subgraph read, with its children, fields, account, purpose and request id', async () => {
    const res = await request(hub.http.app)
      .post('/graphql')
      .set('authorization', `Bearer ${await hub.token('policeCounty')}`)
      .set('x-purpose', 'EMERGENCY_RESPONSE')
      .set('x-request-id', 'audit-read-1')
      .send({
        query: `query Look($id: ID!) { child(id: $id) { name guardians { name } } }`,
        variables: { id: childId },
      });
    expect(res.body.errors).toBeUndefined();
    const event = await lastEvent('READ');
    expect(event).toMatchObject({
      account: 'test-public_security-630121',
      dept: 'PUBLIC_SECURITY',
      region_code: '630121',
      purpose: 'EMERGENCY_RESPONSE',
      request_id: 'audit-read-1',
      operation: 'query Look',
      child_ids: [childId],
    });
    expect(event.payload.fields).toEqual(['Child.guardians', 'Child.name']);
  });

  test('a write is recorded in its own transaction with the changed fields before and after', async () => {
    const { data } = await hub.gql('civilCounty', `query($id: ID!) { child(id: $id) { name version } }`, {
      id: childId,
    });
    const res = await hub.gql(
      'civilCounty',
      `mutation($input: UpdateChildInput!) { updateChild(input: $input) { name } }`,
      { input: { id: childId, version: data!.child.version, name: '改名' } },
    );
    expect(res.errors).toBeUndefined();
    const event = await lastEvent('WRITE');
    expect(event).toMatchObject({ dept: 'CIVIL_AFFAIRS', purpose: 'CASE_WORK', child_ids: [childId] });
    const change = event.payload.changes.find((c: { entity: string }) => c.entity === 'Child');
    expect(change).toMatchObject({
      id: childId,
      op: 'update',
      before: { name: data!.child.name },
      after: { name: '改名' },
    });
  });

  test('reads of reference data only are not recorded', async () => {
    const before = await allEvents();
    await hub.gql('civilCounty', '{ regions { code } }');
    expect(await allEvents()).toBe(before);
  });

  test('when the audit cannot be written, a read returns no data and a write is rolled back', async () => {
    const admin = (sql: string) => connect('admin', (c) => c.query(sql));
    await admin(`alter table registry.audit_event add constraint audit_unavailable check (kind = 'NONE') not valid`);
    try {
      const read = await hub.gql('civilCounty', CHILD, { id: childId });
      expect(read.status).toBe(503);
      expect(read.data ?? null).toBeNull();
      expect(JSON.stringify(read)).not.toContain(childId);
      expect(read.errors?.[0].message).toMatch(/audit log is unavailable/);

      const names = async () => (await execute(`select name from registry.child where id = ?`, [otherChildId]))[0].name;
      const before = await names();
      const { version } = (await execute(`select version from registry.child where id = ?`, [otherChildId]))[0];
      const write = await hub.gql(
        'civilCounty',
        `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id } }`,
        { input: { id: otherChildId, version, name: '不应保存' } },
      );
      expect(write.errors?.length).toBeGreaterThan(0);
      expect(await names()).toBe(before);
    } finally {
      await admin(`alter table registry.audit_event drop constraint audit_unavailable`);
    }
  });

  test("the subgraph's own role cannot update, delete or truncate its audit rows", async () => {
    await connect('registry', async (c) => {
      await expect(c.query(`update registry.audit_event set purpose = 'X'`)).rejects.toThrow(/append-only/);
      await expect(c.query(`delete from registry.audit_event`)).rejects.toThrow(/append-only/);
      await expect(c.query(`truncate registry.audit_event`)).rejects.toThrow(/append-only/);
    });
    await hub.settle();
    const audit = hub.subgraphs.get('audit')!.db.url;
    const client = new Client({ connectionString: audit });
    await client.connect();
    try {
      await expect(client.query(`delete from audit.event`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  test('the chains and the audit service’s copy verify, and tampering with one row is found at that row', async () => {
    await hub.settle();
    const intact = await verifyStoredChain(execute, 'registry');
    expect(intact).toMatchObject({ ok: true, checked: await hub.count('registry.audit_event') });

    const [victim] = await execute(`select id, payload from registry.audit_event order by id limit 1 offset 1`);
    const cli = () =>
      spawnSync(process.execPath, [path.join(__dirname, '../bin/hub.js'), 'audit', 'verify'], {
        cwd: path.join(__dirname, '..'),
        env: { ...process.env, ...hub.cliEnv(), LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      });
    const first = cli();
    expect(first.stdout).toContain('registry audit chain');
    expect(first.stdout).toContain('chain intact');
    expect(first.stdout).toContain("audit service's copy");
    // A superuser bypassing the triggers, as only a database administrator could.
    await connect('admin', async (c) => {
      await c.query(`set session_replication_role = replica`);
      await c.query(`update registry.audit_event set payload = replace(payload, 'CASE_WORK', 'AUDIT') where id = $1`, [
        victim.id,
      ]);
    });
    const tampered = await verifyStoredChain(execute, 'registry');
    expect(tampered.ok).toBe(false);
    expect(tampered.broken?.id).toBe(String(victim.id));
    const run = cli();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`chain broken at event ${victim.id}`);
    await connect('admin', async (c) => {
      await c.query(`set session_replication_role = replica`);
      await c.query(`update registry.audit_event set payload = $2 where id = $1`, [victim.id, victim.payload]);
    });
  });

  test('an exported chain with its signed head verifies offline, and an edited export does not', async () => {
    const key = await generateSigningKey();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-audit-'));
    const file = path.join(dir, 'audit.ndjson');
    const head = await exportChain(execute, 'registry', file, key);
    expect(head.count).toBe(await hub.count('registry.audit_event'));
    expect(await verifyExport(file, key.publicJwk)).toMatchObject({ ok: true, signature: 'valid' });

    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const dropped = [...lines.slice(0, 1), ...lines.slice(2)].join('\n');
    fs.writeFileSync(file, dropped);
    expect((await verifyExport(file, key.publicJwk)).ok).toBe(false);

    const stranger = await generateSigningKey();
    fs.writeFileSync(file, lines.join('\n'));
    expect((await verifyExport(file, stranger.publicJwk)).signature).toBe('invalid');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('audit queries and the access log', () => {
  const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      edges { node { id kind account department unit { code } purpose childIds fields } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  test('an auditor pages through events by child and by account', async () => {
    await hub.settle();
    const byChild = await hub.gql('auditorProvince', EVENTS, { filter: { childId }, first: 2 }, { purpose: 'AUDIT' });
    expect(byChild.errors).toBeUndefined();
    const page1 = byChild.data!.auditEvents;
    expect(page1.edges).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    for (const { node } of page1.edges) expect(node.childIds).toContain(childId);
    const page2 = await hub.gql(
      'auditorProvince',
      EVENTS,
      { filter: { childId }, first: 2, after: page1.pageInfo.endCursor },
      { purpose: 'AUDIT' },
    );
    expect(Number(page2.data!.auditEvents.edges[0].node.id)).toBeLessThan(Number(page1.edges[1].node.id));

    const byAccount = await hub.gql('auditorProvince', EVENTS, { filter: { account: 'test-public_security-630121' } });
    expect(byAccount.data!.auditEvents.edges.length).toBeGreaterThan(0);
    for (const { node } of byAccount.data!.auditEvents.edges) expect(node.department).toBe('PUBLIC_SECURITY');
  });

  test('a time window bounds the events', async () => {
    const future = await hub.gql('auditorProvince', EVENTS, { filter: { from: '2999-01-01T00:00:00Z' } });
    expect(future.data!.auditEvents.edges).toEqual([]);
    const bad = await hub.gql('auditorProvince', EVENTS, { filter: { from: 'yesterday' } });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('auditors see only accounts of their jurisdiction; others cannot query the log at all', async () => {
    const other = await hub.gql('auditorOtherCounty', EVENTS, { filter: { childId } });
    expect(other.data!.auditEvents.edges).toEqual([]);
    for (const persona of ['civilCounty', 'supervisionProvince', 'policeCounty'] as const) {
      const res = await hub.gql(persona, EVENTS, {});
      expect(res.data?.auditEvents ?? null).toBeNull();
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  test('accessLog lists who read the child, when and why, as entries and a report for the guardian', async () => {
    await hub.gql(
      'educationCounty',
      `query($id: ID!) { child(id: $id) { name } }`,
      { id: otherChildId },
      {
        purpose: 'ENROLMENT_CHECK',
      },
    );
    await hub.settle();
    const res = await hub.gql(
      'civilCounty',
      `query($id: ID!) { accessLog(childId: $id) { childId entries { kind department unit { code } purpose what } report } }`,
      { id: otherChildId },
    );
    expect(res.errors).toBeUndefined();
    const log = res.data!.accessLog;
    expect(log.entries).toContainEqual({
      kind: 'READ',
      department: 'EDUCATION',
      unit: { code: '630121' },
      purpose: 'ENROLMENT_CHECK',
      what: ['Child.name'],
    });
    expect(log.entries[0]).toMatchObject({ kind: 'WRITE', department: 'CIVIL_AFFAIRS', what: ['Child created'] });
    expect(log.report).toContain('EDUCATION, 630121');
    expect(log.report).toContain('purpose: ENROLMENT_CHECK');

    const outside = await hub.gql('civilOtherCounty', `query($id: ID!) { accessLog(childId: $id) { childId } }`, {
      id: otherChildId,
    });
    expect(outside.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const police = await hub.gql('policeCounty', `query($id: ID!) { accessLog(childId: $id) { childId } }`, {
      id: otherChildId,
    });
    expect(police.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
