import type { HubContext } from '../../context';
import { isUuid } from '../../db/loaders';
import { badInput, notFound } from '../../errors';
import { actorOf } from '../../audit/audit-log';
import { requireRegion } from '../../regions/region.service';
import { REGION_CODE_PATTERN } from '../../regions/region-code';
import {
  checkImportRegion,
  failImport,
  importCensus as runImport,
  RUNNING_IMPORTS,
  startImportRecord,
} from './census-import.service';
import { removeUpload, stagedUpload, textSource, uploadSource } from './census-uploads';
import { checkExport, exportColumns, exportFileName } from './ledger-export.service';
import type { LedgerFormat, LedgerSource } from './ledger-file';
import type { ImportCensusInput } from './registry.generated';
import { CensusChangeSchema, CensusImportSchema, type CensusImport } from './census.entity';

/** Inline CSV is for small files; larger ones are uploaded. */
const MAX_INLINE = 512 * 1024;

export type CensusImportView = CensusImport & { percent: number };

function withProgress(record: CensusImport): CensusImportView {
  const running = record.status === 'RUNNING' ? RUNNING_IMPORTS.get(record.id) : undefined;
  if (!running) return { ...record, percent: record.status === 'RUNNING' ? 0 : 100 };
  return {
    ...record,
    rowsDone: Math.max(record.rowsDone, running.rows),
    percent: running.bytesTotal ? Math.floor((running.bytesRead / running.bytesTotal) * 1000) / 10 : 0,
  };
}

/**
 * Starts an import in the background and returns its record at once: a county's file takes
 * longer than a request should, and `censusImport(id)` shows its progress meanwhile.
 */
export async function importCensus(ctx: HubContext, input: ImportCensusInput): Promise<CensusImportView> {
  checkImportRegion(ctx.principal.region, input.regionCode);
  await requireRegion(ctx, 'regionCode', input.regionCode, ['COUNTY', 'TOWNSHIP', 'VILLAGE']);
  if ((input.uploadId == null) === (input.csv == null)) throw badInput('uploadId', 'give either uploadId or csv');
  const em = ctx.em.fork();
  let source: LedgerSource;
  let fileName = input.fileName?.trim() || 'ledger.csv';
  if (input.uploadId != null) {
    const upload = await stagedUpload(em, input.uploadId, ctx.principal);
    if (!upload) throw notFound('Upload');
    source = uploadSource(em, upload);
    fileName = input.fileName?.trim() || upload.fileName;
  } else {
    if (input.csv!.length > MAX_INLINE) throw badInput('csv', 'is too large to send inline: upload the file');
    source = textSource(input.csv!);
  }
  const who = { actor: actorOf(ctx.principal), purpose: ctx.purpose, requestId: ctx.requestId };
  const id = await startImportRecord(em, who, input.regionCode, fileName);
  let lastWrite = 0;
  const work = runImport(em, who, {
    regionCode: input.regionCode,
    source,
    fileName,
    identityHash: ctx.identityHash,
    importId: id,
    onProgress: (p) => {
      RUNNING_IMPORTS.set(id, p);
      const now = Date.now();
      if (now - lastWrite > 1000) {
        lastWrite = now;
        // For a caller asking another replica: rows done, at most once a second.
        void em
          .getConnection()
          .execute(`update registry.census_import set rows_done = ? where id = ? and status = 'RUNNING'`, [p.rows, id])
          .catch(() => undefined);
      }
    },
  })
    // The import's record says FAILED; its transaction was rolled back, so nothing was written.
    .catch(() => failImport(em, id).catch(() => undefined))
    .finally(async () => {
      RUNNING_IMPORTS.delete(id);
      if (input.uploadId != null) await removeUpload(em, input.uploadId).catch(() => undefined);
    });
  void work;
  const record = await ctx.em.findOneOrFail(CensusImportSchema, { id });
  return withProgress(record);
}

export async function censusImport(ctx: HubContext, id: string): Promise<CensusImportView | null> {
  if (!isUuid(id)) return null;
  const record = await ctx.em.findOne(CensusImportSchema, { id }, { refresh: true });
  return record ? withProgress(record) : null;
}

export async function censusImports(ctx: HubContext, regionCode: string, first: number) {
  if (!REGION_CODE_PATTERN.test(regionCode)) throw badInput('regionCode', `"${regionCode}" is not a GB/T 2260 code`);
  if (!Number.isInteger(first) || first < 0 || first > 100) throw badInput('first', 'must be 0 to 100');
  const records = await ctx.em.find(
    CensusImportSchema,
    { regionCode: { $like: `${regionCode}%` } },
    { orderBy: { startedAt: 'desc', id: 'asc' }, limit: first },
  );
  return records.map(withProgress);
}

export function censusChanges(ctx: HubContext, importId: string, first: number) {
  if (!Number.isInteger(first) || first < 0 || first > 1000) throw badInput('first', 'must be 0 to 1000');
  return ctx.em.find(CensusChangeSchema, { importId }, { orderBy: { childId: 'asc' }, limit: first });
}

/** The link to a ledger download, with what the caller will see of each column. */
export function ledgerExport(ctx: HubContext, regionCode: string, format: LedgerFormat) {
  checkExport(ctx.principal, ctx.purpose, regionCode);
  const columns = exportColumns(ctx.principal, ctx.purpose);
  return {
    url: `/exports/ledger?regionCode=${regionCode}&format=${format.toLowerCase()}`,
    fileName: exportFileName(regionCode, format),
    contentType:
      format === 'CSV'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    columns: columns.map((c) => c.column),
    maskedColumns: columns.filter((c) => c.access === 'masked').map((c) => c.column),
    hiddenColumns: columns.filter((c) => c.access === 'none').map((c) => c.column),
  };
}
