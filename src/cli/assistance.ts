import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { identityHashFromConfig } from '../auth/identity-hash';
import type { Principal } from '../auth/principal';
import type { Config } from '../config';
import { systemClock } from '../clock';
import { formatOf, meter, type ReadProgress } from '../files/table-file';
import { reportAssistanceFile } from '../http/assistance-routes';
import { createGraphServer } from '../http/app';
import { openData, startRuntimes, subgraphUrlOf } from '../hub';
import { isPurpose } from '../policy/purposes';
import { readAssistanceFile } from '../subgraphs/enterprise/assistance-file';
import { creditCodeError } from '../subgraphs/enterprise/credit-code';
import { UsageError } from './census';
import { fmt, progressBar } from './progress';

const USAGE = 'Usage: hub import assistance <file.xlsx|file.csv> --enterprise CREDIT_CODE [--purpose PURPOSE]';

/**
 * `hub import assistance FILE --enterprise CODE`: records an enterprise's assistance file for it,
 * as `POST /enterprise/assistance` does: through `reportAssistanceBatch`, as an ENTERPRISE writer
 * of that enterprise, so that its checks, scope and audit are the mutation's.
 */
export async function importAssistanceCommand(config: Config, logger: Logger, argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { enterprise: { type: 'string' }, purpose: { type: 'string', default: 'ASSISTANCE_REPORTING' } },
  });
  const [, file] = positionals;
  const creditCode = values.enterprise?.trim().toUpperCase();
  if (!file || !creditCode) throw new UsageError(USAGE);
  const codeProblem = creditCodeError(creditCode);
  if (codeProblem) throw new UsageError(`--enterprise: ${codeProblem}`);
  if (!isPurpose(values.purpose)) throw new UsageError(`Unknown purpose ${values.purpose}`);
  const format = formatOf(file);
  if (!format) throw new UsageError('The file must end in .csv or .xlsx');
  if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);

  const principal: Principal = {
    sub: 'hub-cli',
    dept: 'ENTERPRISE',
    region: '',
    roles: ['writer'],
    enterprise: creditCode,
  };
  const identityHash = await identityHashFromConfig(config);
  // The enterprise subgraph asks the registry for its workers' children: both run here.
  const data = await openData(config, logger);
  const running = await startRuntimes(data.subgraphs, {
    identityHash,
    clock: systemClock,
    logger,
    urlOf: subgraphUrlOf(config),
  });
  const enterprise = running.runtimes.get('enterprise')!;
  const accepted = await (async () => {
    const server = await createGraphServer({ logger, graph: { subgraph: enterprise }, introspection: false });
    try {
      const started = performance.now();
      const bar = progressBar(process.stderr);
      const progress: ReadProgress = { bytesRead: 0, bytesTotal: fs.statSync(file).size };
      const source = fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(meter(progress));
      const parsed = await readAssistanceFile(source, format, (rows) =>
        bar.update({ phase: 'reading', rows, ...progress }),
      );
      const rows = parsed.rows.length + parsed.problems.length;
      bar.update({ phase: 'writing', rows, ...progress }, true);
      const facts = { principal, purpose: values.purpose, requestId: `cli-${process.pid}`, token: '' };
      const outcome = await reportAssistanceFile(server, enterprise.contextFor(facts), parsed);
      bar.update({ phase: 'done', rows, ...progress }, true);
      bar.end();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if ('rowErrors' in outcome) {
        process.stdout.write(`REJECTED: nothing recorded, ${fmt(outcome.rowErrors.length)} problems (${seconds} s)\n`);
        for (const e of outcome.rowErrors) process.stdout.write(`  row ${e.row}, ${e.column}: ${e.problem}\n`);
        return false;
      }
      process.stdout.write(
        `ACCEPTED: ${fmt(outcome.receipts.length)} reports, ${fmt(outcome.written)} recorded now, ${fmt(outcome.duplicates)} already recorded (${seconds} s)\n`,
      );
      for (const r of outcome.receipts) {
        process.stdout.write(
          `  row ${r.row}: ${r.clientKey} ${r.reportId}${r.duplicate ? ' (already recorded)' : ''}\n`,
        );
      }
      return true;
    } finally {
      await server.stop();
      await running.stop();
      await data.close();
      await data.db.stop();
    }
  })();
  // A rejected file is a failure for scripts (the database's exit hooks would otherwise exit 0).
  if (!accepted) process.exit(1);
}
