import fs from 'node:fs';
import readline from 'node:readline';
import { compactVerify, CompactSign, importJWK, type JWK } from 'jose';
import type { SigningKey } from '../auth/keys';
import type { SubgraphData } from '../db/database';
import { SIGNING_ALG } from '../auth/keys';
import { ChainVerifier, chainTable, type AuditRow, type ChainCheck, type Query } from './audit-log';

const BATCH = 5_000;

/** A subgraph's chain rows in order, a batch at a time, so a long log never sits in memory at once. */
async function* rowsOf(execute: Query, schema: string): AsyncGenerator<AuditRow> {
  let after = '0';
  for (;;) {
    const rows = await execute(
      `select id::text as id, account, dept, region_code as "regionCode", purpose, request_id as "requestId",
              child_ids::text[] as "childIds", payload, prev_hash as "prevHash", hash
         from ${chainTable(schema)} e where e.id > ?::bigint order by e.id limit ${BATCH}`,
      [after],
    );
    for (const row of rows) yield row as unknown as AuditRow;
    if (rows.length < BATCH) return;
    after = String(rows[rows.length - 1].id);
  }
}

/** `hub audit verify`: re-computes a subgraph's chain as its database holds it. */
export async function verifyStoredChain(execute: Query, schema: string): Promise<ChainCheck> {
  const verifier = new ChainVerifier();
  for await (const row of rowsOf(execute, schema)) if (!verifier.add(row)) break;
  return verifier.result();
}

/** The signed statement of where the chain stood: anyone with the public key can check it. */
export interface ChainHead {
  id: string;
  hash: string;
  count: number;
  exportedAt: string;
}

/**
 * `hub audit export`: the rows as JSON lines, then one line `{"head": <JWS>}` signing the last
 * row's id and hash. `verifyExport` checks such a file offline.
 */
export async function exportChain(execute: Query, schema: string, file: string, key: SigningKey): Promise<ChainHead> {
  const out = fs.createWriteStream(file);
  const verifier = new ChainVerifier();
  for await (const row of rowsOf(execute, schema)) {
    if (!verifier.add(row)) throw new Error(`audit chain broken at row ${verifier.result().broken!.id}: not exported`);
    if (!out.write(`${JSON.stringify(row)}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  const result = verifier.result();
  const head: ChainHead = {
    id: result.head?.id ?? '0',
    hash: result.head?.hash ?? '',
    count: result.checked,
    exportedAt: new Date().toISOString(),
  };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(head)))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid })
    .sign(key.key);
  out.write(`${JSON.stringify({ head: jws, key: key.publicJwk })}\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return head;
}

export interface ExportCheck extends ChainCheck {
  signedHead?: ChainHead;
  signature: 'valid' | 'invalid' | 'missing';
}

/** Checks an export offline: every link, and the signed head against the last row. */
export async function verifyExport(file: string, publicJwk?: JWK): Promise<ExportCheck> {
  const verifier = new ChainVerifier();
  let headLine: { head: string; key: JWK } | undefined;
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const value = JSON.parse(line) as AuditRow | { head: string; key: JWK };
    if ('head' in value) headLine = value;
    else verifier.add(value);
  }
  const result = verifier.result();
  if (!headLine) return { ...result, signature: 'missing' };
  try {
    const key = await importJWK(publicJwk ?? headLine.key, SIGNING_ALG);
    const { payload } = await compactVerify(headLine.head, key);
    const signedHead = JSON.parse(new TextDecoder().decode(payload)) as ChainHead;
    const matches = signedHead.hash === (result.head?.hash ?? '') && signedHead.count === result.checked;
    return matches
      ? { ...result, signedHead, signature: 'valid' }
      : {
          ...result,
          ok: false,
          signedHead,
          signature: 'valid',
          broken: result.broken ?? { id: signedHead.id, reason: 'the rows end elsewhere than the signed head' },
        };
  } catch {
    return { ...result, ok: false, signature: 'invalid' };
  }
}

/**
 * Checks the audit service's copy of every chain (`audit.event`, fed from the subgraphs' audit
 * feeds) against its sources: each copied row chains to the one before it from the same
 * source, and is the row its source holds under that id. The copy may lag its sources (it is
 * fed as they commit) but never differs from them.
 */
export async function verifyCopy(
  subgraphs: ReadonlyMap<string, Pick<SubgraphData, 'def' | 'orm'>>,
): Promise<{ ok: boolean; checked: number; problem?: string }> {
  const audit = subgraphs.get('audit');
  if (!audit) return { ok: false, checked: 0, problem: 'the audit subgraph is not reachable from here' };
  const onAudit = (sql: string, params: unknown[]) => audit.orm.em.getConnection().execute(sql, params);
  let checked = 0;
  for (const { def, orm } of subgraphs.values()) {
    const onSource = (sql: string, params: unknown[]) => orm.em.getConnection().execute(sql, params);
    const verifier = new ChainVerifier();
    let after = '0';
    for (;;) {
      const copied = (await onAudit(
        `select source_id::text as id, account, dept, region_code as "regionCode", purpose, request_id as "requestId",
                child_ids::text[] as "childIds", payload, prev_hash as "prevHash", hash
           from audit.event where source = ? and source_id > ?::bigint order by source_id limit ${BATCH}`,
        [def.name, after],
      )) as unknown as AuditRow[];
      if (!copied.length) break;
      for (const row of copied) {
        if (!verifier.add(row)) {
          const broken = verifier.result().broken!;
          return { ok: false, checked, problem: `${def.name} event ${broken.id}: ${broken.reason}` };
        }
      }
      const last = copied[copied.length - 1].id;
      const original = await onSource(
        `select id::text as id, hash from ${chainTable(def.schema)} where id > ?::bigint and id <= ?::bigint order by id`,
        [after, last],
      );
      const hashes = new Map(original.map((r) => [String(r.id), String(r.hash)]));
      const differs = copied.find((row) => hashes.get(row.id) !== row.hash);
      if (differs)
        return { ok: false, checked, problem: `${def.name} event ${differs.id} is not the row its source holds` };
      checked += copied.length;
      after = last;
    }
  }
  return { ok: true, checked };
}
