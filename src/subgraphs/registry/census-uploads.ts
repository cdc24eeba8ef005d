import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import { badInput } from '../../errors';
import { withClient } from '../../db/client';
import type { LedgerFormat, LedgerSource } from './ledger-file';

/**
 * Census files wait for `importCensus` in the registry's database, which every replica of the
 * registry shares, one upload per row of `census_upload` and its bytes in chunks of
 * `census_upload_chunk`: whichever replica runs the import reads what another one received.
 * An upload is its uploader's only, is removed by its import, and one nobody imported is removed
 * after a day (at the next upload, and by `hub retention run`).
 */

/** A ledger of a county: 100,000 rows are about 25 MB as CSV. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
/** A row of the chunk table: a county's file is a few dozen rows, and one row is little memory. */
const CHUNK_BYTES = 1 << 20;

export interface StagedUpload {
  id: string;
  format: LedgerFormat;
  fileName: string;
  bytes: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What removes uploads nobody imported within a day; the retention rule runs it too. */
export const EXPIRED_UPLOADS = `registry.census_upload where created_at < now() - interval '1 day'`;

/**
 * Streams an upload into the database in one transaction (a request cut short leaves nothing);
 * returns its id. Larger than MAX_UPLOAD_BYTES is BAD_USER_INPUT, and nothing is kept.
 */
export async function saveUpload(
  em: EntityManager,
  body: AsyncIterable<Buffer>,
  principal: Principal,
  format: LedgerFormat,
  fileName: string,
): Promise<{ id: string; bytes: number }> {
  const id = randomUUID();
  return withClient(em, async (client) => {
    await client.query('begin');
    try {
      await client.query(`delete from ${EXPIRED_UPLOADS}`);
      await client.query(
        `insert into registry.census_upload (id, account, dept, format, file_name, bytes) values ($1, $2, $3, $4, $5, 0)`,
        [id, principal.sub, principal.dept, format, fileName],
      );
      let seq = 0;
      let bytes = 0;
      let pending: Buffer = Buffer.alloc(0);
      const store = (data: Buffer) =>
        client.query(`insert into registry.census_upload_chunk (upload_id, seq, data) values ($1, $2, $3)`, [
          id,
          seq++,
          data,
        ]);
      // Past the limit the rest is read and dropped, so that the answer does not cut the request short.
      for await (const chunk of body) {
        bytes += chunk.length;
        if (bytes > MAX_UPLOAD_BYTES) continue;
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        while (pending.length >= CHUNK_BYTES) {
          await store(pending.subarray(0, CHUNK_BYTES));
          pending = pending.subarray(CHUNK_BYTES);
        }
      }
      if (bytes > MAX_UPLOAD_BYTES) throw badInput('file', `is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
      if (pending.length) await store(pending);
      await client.query(`update registry.census_upload set bytes = $2 where id = $1`, [id, bytes]);
      await client.query('commit');
      return { id, bytes };
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  });
}

/** The upload, when the caller uploaded it (and it is still there); null otherwise. */
export async function stagedUpload(em: EntityManager, id: string, principal: Principal): Promise<StagedUpload | null> {
  if (!UUID.test(id)) return null;
  const [row] = await em
    .getConnection()
    .execute<{ id: string; format: LedgerFormat; file_name: string; bytes: string }[]>(
      `select id, format, file_name, bytes from registry.census_upload where id = ? and account = ? and dept = ?`,
      [id, principal.sub, principal.dept],
    );
  return row ? { id: row.id, format: row.format, fileName: row.file_name, bytes: Number(row.bytes) } : null;
}

/** The bytes of a staged upload, read a chunk at a time as the import asks for them. */
export function uploadSource(em: EntityManager, upload: StagedUpload): LedgerSource {
  async function* chunks() {
    for (let seq = 0; ; seq++) {
      const [row] = await em
        .getConnection()
        .execute<{ data: Buffer }[]>(`select data from registry.census_upload_chunk where upload_id = ? and seq = ?`, [
          upload.id,
          seq,
        ]);
      if (!row) return;
      yield row.data;
    }
  }
  return { stream: Readable.from(chunks()), bytes: upload.bytes, format: upload.format };
}

/** Inline CSV text, read like an upload. */
export const textSource = (csv: string): LedgerSource => {
  const data = Buffer.from(csv, 'utf8');
  return { stream: Readable.from([data]), bytes: data.length, format: 'CSV' };
};

export async function removeUpload(em: EntityManager, id: string): Promise<void> {
  await em.getConnection().execute(`delete from registry.census_upload where id = ?`, [id]);
}
