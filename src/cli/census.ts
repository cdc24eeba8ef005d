import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { identityHashFromConfig } from '../auth/identity-hash';
import { DEPARTMENTS, type Department } from '../auth/principal';
import { systemClock } from '../clock';
import type { Config } from '../config';
import { openData, startRuntimes, subgraphUrlOf } from '../hub';
import { isPurpose } from '../policy/purposes';
import { importCensus } from '../subgraphs/registry/census-import.service';
import { checkExport, exportLedger } from '../subgraphs/registry/ledger-export.service';
import { formatOf } from '../files/table-file';
import { fmt, progressBar } from './progress';

/** The command line acts as the hub itself, for the whole country; what it does is audited as such. */
const CLI_ACTOR = { sub: 'hub-cli', dept: 'CIVIL_AFFAIRS', region: '' };

/** `hub import census <file.xlsx|file.csv> --region CODE` */
export async function importCommand(config: Config, logger: Logger, argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { region: { type: 'string' } },
  });
  const [what, file] = positionals;
  if (what !== 'census' || !file || !values.region) {
    throw new UsageError('Usage: hub import census <file.xlsx|file.csv> --region CODE');
  }
  const regionCode = values.region;
  const format = formatOf(file);
  if (!format) throw new UsageError('The file must end in .csv or .xlsx');
  if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
  const identityHash = await identityHashFromConfig(config);
  const { db, subgraphs, close } = await openData(config, logger);
  const { orm } = subgraphs.get('registry')!;
  const accepted = await (async () => {
    try {
      const bar = progressBar(process.stderr);
      const started = performance.now();
      const source = {
        stream: fs.createReadStream(file, { highWaterMark: 1 << 20 }),
        bytes: fs.statSync(file).size,
        format,
      };
      const result = await importCensus(
        orm.em.fork(),
        { actor: CLI_ACTOR, purpose: 'CASE_WORK', requestId: `cli-${process.pid}` },
        { regionCode, source, fileName: file.split('/').pop()!, identityHash, onProgress: (p) => bar.update(p) },
      );
      bar.update({ phase: 'DONE', rows: result.rowsTotal, bytesRead: 1, bytesTotal: 1 }, true);
      bar.end();
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(
        `${result.status}: ${result.message ?? ''} (${fmt(result.rowsTotal)} rows in ${seconds.toFixed(1)} s, ${fmt(result.rowsTotal / seconds)} rows/s; import ${result.id})\n`,
      );
      for (const e of result.rowErrors)
        process.stdout.write(`  row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.reason}\n`);
      return result.status === 'ACCEPTED';
    } finally {
      await close();
      await db.stop();
    }
  })();
  // A rejected file is a failure for scripts (the database's exit hooks would otherwise exit 0).
  if (!accepted) process.exit(1);
}

/** `hub export ledger --region CODE --format xlsx|csv [--out FILE] [--dept D] [--purpose P]` */
export async function exportCommand(config: Config, logger: Logger, argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      region: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      dept: { type: 'string', default: 'CIVIL_AFFAIRS' },
      purpose: { type: 'string', default: 'CASE_WORK' },
    },
  });
  const format = values.format.toUpperCase();
  if (positionals[0] !== 'ledger' || !values.region || (format !== 'CSV' && format !== 'XLSX')) {
    throw new UsageError(
      'Usage: hub export ledger --region CODE --format xlsx|csv [--out FILE] [--dept DEPT] [--purpose PURPOSE]',
    );
  }
  if (!(DEPARTMENTS as readonly string[]).includes(values.dept))
    throw new UsageError(`Unknown department ${values.dept}`);
  if (!isPurpose(values.purpose)) throw new UsageError(`Unknown purpose ${values.purpose}`);
  // The columns are those the department sees under the purpose, as for its own accounts.
  const principal = { sub: 'hub-cli', dept: values.dept as Department, region: '', roles: ['reader' as const] };
  checkExport(principal, values.purpose, values.region);
  const data = await openData(config, logger);
  // The registry asks education for the enrolments the ledger does not hold: both run here.
  const running = await startRuntimes(data.subgraphs, {
    identityHash: await identityHashFromConfig(config),
    clock: systemClock,
    logger,
    urlOf: subgraphUrlOf(config),
  });
  try {
    const registry = running.runtimes.get('registry')!;
    const ctx = registry.contextFor({ principal, purpose: values.purpose, requestId: `cli-${process.pid}`, token: '' });
    const out = values.out ? fs.createWriteStream(values.out) : process.stdout;
    const started = performance.now();
    await exportLedger(ctx, values.region, format, out);
    if (values.out) {
      process.stderr.write(
        `wrote ${values.out} (${fmt(fs.statSync(values.out).size)} bytes) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  } finally {
    await running.stop();
    await data.close();
    await data.db.stop();
  }
}

export class UsageError extends Error {}
