import fs from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import pino, { type Logger } from 'pino';
import { exportChain, verifyCopy, verifyExport, verifyStoredChain } from '../audit/audit-export';
import type { ChainCheck } from '../audit/audit-log';
import { runRetention } from '../audit/retention';
import { identityHashFromConfig } from '../auth/identity-hash';
import { loadOrCreateDevKey, loadSigningKeyFile } from '../auth/keys';
import { Claims, DEPARTMENTS, ROLES } from '../auth/principal';
import { signToken } from '../auth/token';
import { loadCalendars, useCalendars } from '../calendar/calendars';
import { ConfigError, loadConfig, type Config, type Role } from '../config';
import { EmbeddedDatabaseError } from '../db/embedded-error';
import { readSupergraph, SUPERGRAPH_FILE } from '../gateway/supergraph';
import {
  manifestOperations,
  readManifest,
  updateManifest,
  type ManifestOperation,
  type PersistedQueryManifest,
} from '../http/trusted-documents';
import { DEMO_CHILDREN, openData, seed, serve, serveRouter, serveSplit } from '../hub';
import { createLogger } from '../logger';
import { POLICY_DOC, policyMarkdown, withCurrentPolicy } from '../policy/policy-markdown';
import { subgraphNamed } from '../subgraphs';
import { importAssistanceCommand } from './assistance';
import { exportCommand, importCommand, UsageError } from './census';

const USAGE = `Usage: hub <command> [options]

Commands:
  start [--split]                    migrate, seed an empty database, serve the hub and GraphiQL
                                     (--split or HUB_TOPOLOGY=split: each subgraph its own process
                                     and database, behind Hive Gateway)
  token --dept D --region CODE       print a development token
        [--roles reader,writer] [--ttl 8h] [--sub NAME] [--enterprise ID]
  compose [--check]                  compose schema/*.graphql into schema/supergraph.graphql
  migrate                            apply pending database migrations
  seed [--children N]                load regions, and demo children into an empty registry
  serve-subgraph <name> [--port N]   serve one subgraph over HTTP
  audit verify [--file F --key JWK]  re-compute every subgraph's audit chain and check the audit
                                     service's copy (or check an exported chain file)
  audit export DIR                   write each subgraph's chain, with a signed head, to DIR/<subgraph>.jsonl
  retention run [--dry-run]          apply the retention rules (archive adults, unlink old closed reports)
  router                             serve Hive Gateway over subgraphs served on their own
  trust <files.graphql…>             add the named operations in the files to the trusted
        [--manifest FILE] [--replace]  documents manifest (default TRUSTED_DOCUMENTS_FILE)
  policy [--write]                   print the permission table (markdown), or write it into docs/permissions.md
  import census FILE --region CODE   take in a census ledger (.csv or .xlsx): every row checked, all or nothing
  import assistance FILE             record an enterprise's assistance file (.csv or .xlsx) for it, as
        --enterprise CREDIT_CODE     POST /enterprise/assistance does: every row checked, all or nothing
  export ledger --region CODE        write a region's census ledger (--format csv|xlsx, --out FILE;
        [--dept D] [--purpose P]     columns as department D sees them under purpose P)

Departments: ${DEPARTMENTS.join(', ')}
Roles: ${ROLES.join(', ')}`;

const queryOn = (orm: MikroORM) => (sql: string, params: unknown[]) => orm.em.getConnection().execute(sql, params);

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function token(config: Config, argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      dept: { type: 'string' },
      region: { type: 'string' },
      roles: { type: 'string', default: 'reader,writer' },
      ttl: { type: 'string', default: '8h' },
      sub: { type: 'string' },
      enterprise: { type: 'string' },
    },
  });
  if (config.env === 'production') fail('hub token signs with the development key, which production does not trust');
  const roles = values.roles
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const claims = Claims.safeParse({
    sub: values.sub ?? 'dev',
    dept: values.dept,
    region: values.region,
    roles,
    enterprise: values.enterprise,
  });
  if (!claims.success) {
    fail(claims.error.issues.map((i) => `--${i.path.join('.') || 'claims'}: ${i.message}`).join('\n') + `\n\n${USAGE}`);
  }
  const key = await loadOrCreateDevKey(config.dataDir);
  const jwt = await signToken(key, config.auth.issuer, config.auth.audience, {
    ...claims.data,
    sub: values.sub,
    ttl: values.ttl,
  });
  process.stdout.write(`${jwt}\n`);
}

async function audit(config: Config, logger: Logger, argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { file: { type: 'string' }, key: { type: 'string' } },
  });
  const [action, file] = positionals;
  const report = (check: ChainCheck, what: string) => {
    if (check.ok)
      process.stdout.write(`${what}: ${check.checked} events, chain intact, head ${check.head?.hash ?? '(empty)'}\n`);
    else fail(`${what}: chain broken at event ${check.broken!.id}: ${check.broken!.reason}`);
  };
  if (action === 'verify' && values.file) {
    const publicKey = values.key ? (JSON.parse(fs.readFileSync(values.key, 'utf8')) as JWK) : undefined;
    const check = await verifyExport(values.file, publicKey);
    if (check.signature !== 'valid') fail(`${values.file}: chain head signature ${check.signature}`);
    if (!publicKey)
      process.stdout.write('note: signature checked against the key inside the file; pin it with --key\n');
    return report(check, values.file);
  }
  if (action !== 'verify' && !(action === 'export' && file)) fail(`Usage: hub audit verify | hub audit export DIR`);
  if (action === 'export' && !config.auditSigningKeyFile && config.env === 'production') {
    fail('AUDIT_SIGNING_KEY_FILE is required to sign an export in production');
  }
  const { db, subgraphs, close } = await openData(config, logger);
  try {
    if (action === 'verify') {
      for (const { def, orm } of subgraphs.values()) {
        report(await verifyStoredChain(queryOn(orm), def.schema), `${def.name} audit chain`);
      }
      const copy = await verifyCopy(subgraphs);
      if (!copy.ok) fail(`audit service's copy: ${copy.problem}`);
      process.stdout.write(`audit service's copy: ${copy.checked} events, the same as their sources\n`);
      return;
    }
    const key = config.auditSigningKeyFile
      ? await loadSigningKeyFile(config.auditSigningKeyFile)
      : await loadOrCreateDevKey(config.dataDir);
    fs.mkdirSync(file, { recursive: true });
    for (const { def, orm } of subgraphs.values()) {
      const out = path.join(file, `${def.name}.jsonl`);
      const head = await exportChain(queryOn(orm), def.schema, out, key);
      process.stdout.write(`wrote ${head.count} events to ${out}; signed head ${head.hash || '(empty)'}\n`);
    }
  } finally {
    await close();
    await db.stop();
  }
}

async function retention(config: Config, logger: Logger, argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, today: { type: 'string' } },
  });
  if (positionals[0] !== 'run') fail('Usage: hub retention run [--dry-run]');
  const { db, subgraphs, close } = await openData(config, logger);
  try {
    const results = await runRetention(subgraphs.values(), {
      today: values.today ?? new Date().toISOString().slice(0, 10),
      dryRun: values['dry-run'],
    });
    for (const r of results) {
      process.stdout.write(
        `${r.rule}: ${r.affected} ${values['dry-run'] ? 'would change' : 'changed'} (${r.description})\n`,
      );
    }
  } finally {
    await close();
    await db.stop();
  }
}

/** Adds (or with --replace, sets) the operations of .graphql files in the manifest. */
async function trust(config: Config, argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      manifest: { type: 'string', default: config.trustedDocuments.file },
      replace: { type: 'boolean', default: false },
    },
  });
  if (!positionals.length) fail(`trust needs .graphql files\n\n${USAGE}`);
  const { apiSchema } = await import('../gateway/compose');
  const schema = apiSchema();
  let before: PersistedQueryManifest | undefined;
  let added: ManifestOperation[];
  let manifest: PersistedQueryManifest;
  try {
    added = positionals.flatMap((file) => manifestOperations(fs.readFileSync(file, 'utf8'), schema, file));
    before = values.replace ? undefined : readManifest(values.manifest);
    manifest = updateManifest(before, added);
  } catch (err) {
    fail(`hub trust: ${(err as Error).message}`);
  }
  fs.writeFileSync(values.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  const known = new Set(before?.operations.map((op) => op.id));
  const fresh = added.filter((op) => !known.has(op.id)).length;
  process.stdout.write(`${values.manifest}: ${manifest.operations.length} operations, ${fresh} new\n`);
  for (const op of added) process.stdout.write(`  ${op.id}  ${op.type} ${op.name}\n`);
}

const ROLE_OF_COMMAND: Record<string, Role> = { 'serve-subgraph': 'subgraph', router: 'router' };

async function main() {
  const [command, ...argv] = process.argv.slice(2);
  const config = loadConfig(process.env, ROLE_OF_COMMAND[command] ?? 'hub');
  useCalendars(loadCalendars(config.calendarFiles));
  // A ledger exported to standard output must not have log lines in it.
  const logger = createLogger(config.logLevel, command === 'export' ? pino.destination(2) : undefined);
  switch (command) {
    case 'start': {
      const { values } = parseArgs({ args: argv, options: { split: { type: 'boolean', default: false } } });
      if (values.split || config.topology === 'split') await serveSplit(config, logger);
      else await serve(config, logger);
      return;
    }
    case 'serve-subgraph': {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { port: { type: 'string' } },
      });
      const def = subgraphNamed(positionals[0] ?? fail('serve-subgraph needs a subgraph name'));
      await serve({ ...config, port: values.port ? Number(values.port) : def.port }, logger, def.name);
      return;
    }
    case 'router':
      await serveRouter(config, logger);
      return;
    case 'trust':
      return trust(config, argv);
    case 'token':
      return token(config, argv);
    case 'policy': {
      const { values } = parseArgs({ args: argv, options: { write: { type: 'boolean', default: false } } });
      if (values.write) fs.writeFileSync(POLICY_DOC, withCurrentPolicy(fs.readFileSync(POLICY_DOC, 'utf8')));
      else process.stdout.write(`${policyMarkdown()}\n`);
      return;
    }
    case 'compose': {
      const { values } = parseArgs({ args: argv, options: { check: { type: 'boolean', default: false } } });
      // The composer only here: the servers read the composed file.
      const { composeSupergraph } = await import('../gateway/compose');
      const sdl = composeSupergraph();
      if (values.check) {
        if (readSupergraph() !== sdl) fail(`${SUPERGRAPH_FILE} is stale: run npm run compose`);
        process.stdout.write('supergraph is up to date\n');
        return;
      }
      fs.writeFileSync(SUPERGRAPH_FILE, sdl);
      process.stdout.write(`wrote ${SUPERGRAPH_FILE}\n`);
      return;
    }
    case 'audit':
      return audit(config, logger, argv);
    case 'retention':
      return retention(config, logger, argv);
    case 'import':
      return argv[0] === 'assistance'
        ? importAssistanceCommand(config, logger, argv)
        : importCommand(config, logger, argv);
    case 'export':
      return exportCommand(config, logger, argv);
    case 'migrate':
    case 'seed': {
      const { values } = parseArgs({
        args: argv,
        options: { children: { type: 'string', default: String(DEMO_CHILDREN) } },
      });
      const data = await openData(config, logger);
      try {
        if (command === 'seed') {
          await seed(data.seedDatabases(), logger, await identityHashFromConfig(config), Number(values.children));
        }
      } finally {
        await data.close();
        await data.db.stop();
      }
      return;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      fail(`Unknown command "${command}"\n\n${USAGE}`);
  }
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof EmbeddedDatabaseError)
    fail(err.message);
  if (err instanceof Error && 'extensions' in err) fail(err.message);
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
