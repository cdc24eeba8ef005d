import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../../auth/principal';
import type { LedgerFormat } from './ledger-file';

/** Staged census files wait here for `importCensus`, one per upload, readable by their uploader only. */
export const UPLOAD_DIR = process.env.CENSUS_UPLOAD_DIR ?? path.join(os.tmpdir(), 'hub-census-uploads');
/** A ledger of a county: 100,000 rows are about 25 MB as CSV. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

interface UploadMeta {
  sub: string;
  dept: string;
  format: LedgerFormat;
  fileName: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Streams an upload to disk; returns its id. */
export async function saveUpload(body: Readable, principal: Principal, format: LedgerFormat, fileName: string) {
  fs.mkdirSync(UPLOAD_DIR, { recursive: true, mode: 0o700 });
  const id = randomUUID();
  const file = path.join(UPLOAD_DIR, id);
  let bytes = 0;
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_UPLOAD_BYTES) body.destroy(new Error('upload too large'));
  });
  await pipeline(body, fs.createWriteStream(file, { mode: 0o600 }));
  const meta: UploadMeta = { sub: principal.sub, dept: principal.dept, format, fileName };
  fs.writeFileSync(`${file}.json`, JSON.stringify(meta), { mode: 0o600 });
  return { id, bytes };
}

/** The staged file of an upload, when the caller uploaded it; null otherwise. */
export function stagedUpload(id: string, principal: Principal): (UploadMeta & { file: string }) | null {
  if (!UUID.test(id)) return null;
  const file = path.join(UPLOAD_DIR, id);
  try {
    const meta = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as UploadMeta;
    if (meta.sub !== principal.sub || meta.dept !== principal.dept) return null;
    return { ...meta, file };
  } catch {
    return null;
  }
}

/** Writes inline CSV text to a staged file, so that it takes the same path as an upload. */
export function stageText(csv: string): string {
  fs.mkdirSync(UPLOAD_DIR, { recursive: true, mode: 0o700 });
  const file = path.join(UPLOAD_DIR, `${randomUUID()}.inline.csv`);
  fs.writeFileSync(file, csv, { mode: 0o600 });
  return file;
}

export function removeStaged(file: string): void {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.json`, { force: true });
}
