import path from 'node:path';
import { z } from 'zod';
import type { QueryPlanner } from './gateway/router';
import type { GatewayEngine } from './gateway/gateway';
import type { TrustedDocumentsMode } from './http/trusted-documents';

/**
 * Connections each subgraph keeps to its database, per process, shared by its requests and the
 * relays that follow other feeds (a relay's batch takes one). On the benchmark's two cores 4 and
 * 10 served alike or 10 better (docs/benchmark.md).
 */
export const DEFAULT_POOL_SIZE = 10;

/** Where the router runs: its platform, architecture and C library (glibc's version on Linux with glibc). */
export interface Platform {
  platform: string;
  arch: string;
  glibc?: string;
}

const thisPlatform = (): Platform => ({
  platform: process.platform,
  arch: process.arch,
  glibc: (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
    ?.glibcVersionRuntime,
});

/**
 * Hive Router's Rust planner where its native binary ships (inside its npm package: Linux with
 * glibc and macOS, on x64 and arm64); Hive Gateway's JavaScript planner elsewhere (Windows,
 * Alpine's musl). The Rust one plans and runs the benchmark's reads with less CPU (docs/benchmark.md).
 */
export function defaultQueryPlanner({ platform, arch, glibc }: Platform = thisPlatform()): QueryPlanner {
  const ships = ['x64', 'arm64'].includes(arch) && (platform === 'darwin' || (platform === 'linux' && !!glibc));
  return ships ? 'rust' : 'js';
}

/** "true" or "false"; unset means the mode's default. */
const flag = z.enum(['true', 'false']).optional();

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(DEFAULT_POOL_SIZE),
  HUB_TOPOLOGY: z.enum(['in-process', 'split']).default('in-process'),
  HUB_QUERY_PLANNER: z.enum(['js', 'rust']).optional(),
  HUB_ENGINE: z.enum(['apollo', 'hive']).optional(),
  HUB_DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  JWKS_URL: z.url().optional(),
  JWT_PUBLIC_KEY_FILE: z.string().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  SUBGRAPH_URLS: z.string().optional(),
  HMAC_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUSTED_DOCUMENTS: z.enum(['off', 'allow', 'require']).default('off'),
  TRUSTED_DOCUMENTS_FILE: z.string().default('trusted-documents.json'),
  AUDIT_SIGNING_KEY_FILE: z.string().optional(),
  WEBHOOK_KEYS: z
    .string()
    .transform((value, ctx) => {
      const keys = value.split(',').map((item) => {
        const [, id, key] = /^\s*([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]+={0,2})\s*$/.exec(item) ?? [];
        return { id, key: key === undefined ? undefined : Buffer.from(key, 'base64') };
      });
      const problem = keys.some((k) => !k.id)
        ? 'must be id:key pairs, comma-separated, the newest first (id: up to 32 letters, digits, - or _)'
        : keys.some((k) => k.key!.length !== 32)
          ? 'each key must be 32 random bytes, base64-encoded (AES-256)'
          : new Set(keys.map((k) => k.id)).size !== keys.length
            ? 'key ids must be distinct'
            : undefined;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      return keys as { id: string; key: Buffer }[];
    })
    .optional(),
  WEBHOOK_ALLOWED_URLS: z
    .string()
    .transform((value, ctx) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((prefix) => {
          const url = URL.canParse(prefix) ? new URL(prefix) : undefined;
          if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password) {
            ctx.addIssue({ code: 'custom', message: `"${prefix}" is not an http(s) URL without credentials` });
          } else if (!url.pathname.endsWith('/') || url.search || url.hash) {
            // Without its final /, the prefix /hub would let a webhook call /hub-admin.
            ctx.addIssue({ code: 'custom', message: `"${prefix}" must end with / and carry no query or fragment` });
          }
          return prefix;
        }),
    )
    .optional(),
  WORKING_CALENDAR_FILE: z.string().min(1).optional(),
  SCHOOL_CALENDAR_FILE: z.string().min(1).optional(),
  GRAPHIQL: flag,
  INTROSPECTION: flag,
  IDENTITY_HASH_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
    .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 random bytes, base64-encoded')
    .optional(),
});

/**
 * What the process is: the hub (gateway and, unless SUBGRAPH_URLS says otherwise, every
 * subgraph), one subgraph served on its own, or the Hive Gateway router.
 */
export type Role = 'hub' | 'subgraph' | 'router';

/**
 * How the hub runs: every subgraph in the gateway's process on one database (a role and schema
 * each), or every subgraph its own process on its own database behind the router.
 */
export type Topology = 'in-process' | 'split';

const envFor = (role: Role) =>
  Env.superRefine((env, ctx) => {
    if (env.HUB_ENGINE === 'hive' && env.SUBGRAPH_URLS && env.HUB_TOPOLOGY === 'in-process') {
      ctx.addIssue({
        code: 'custom',
        path: ['HUB_ENGINE'],
        message:
          "Hive Gateway's engine runs every subgraph in the hub's process: with SUBGRAPH_URLS, use apollo or the router",
      });
    }
    if (env.NODE_ENV !== 'production') return;
    const need = (key: keyof typeof env, why: string) => {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `required in production: ${why}` });
    };
    if (role !== 'router') need('DATABASE_URL', 'the embedded database is for development only');
    if (role !== 'hub' || env.SUBGRAPH_URLS) {
      need('HMAC_SECRET', 'subgraphs served over HTTP answer only requests signed by their gateway');
    }
    need('JWT_ISSUER', 'tokens must name their issuer');
    need('JWT_AUDIENCE', 'tokens must name this hub as audience');
    if (role !== 'router') {
      need('IDENTITY_HASH_KEY', 'identity numbers are stored as keyed hashes, under a key kept outside the database');
    }
    if (role === 'hub') {
      need('WEBHOOK_KEYS', 'webhook secrets are sealed under keys kept outside the database');
      need('WEBHOOK_ALLOWED_URLS', 'webhooks may call only the receivers named there');
    }
    if (!env.JWKS_URL && !env.JWT_PUBLIC_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWKS_URL'],
        message: 'required in production (or JWT_PUBLIC_KEY_FILE): the development key set is not trusted there',
      });
    }
  });

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  databaseUrl?: string;
  /** A subgraph's own database (DATABASE_URL_<SUBGRAPH>, e.g. DATABASE_URL_PUBLIC_SECURITY): name → URL. */
  databaseUrls: Record<string, string>;
  /** Connections each subgraph keeps to its database, per process (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  topology: Topology;
  /** Who plans queries (the router's, and the gateway's in one process with Hive Gateway's engine): Hive Gateway's JavaScript planner or Hive Router's Rust one. */
  queryPlanner: QueryPlanner;
  /**
   * Who plans and merges requests in one process: Hive Gateway's engine (the router's, with
   * `queryPlanner`) where the Rust planner runs, Apollo Gateway elsewhere.
   */
  engine: GatewayEngine;
  dataDir: string;
  embeddedPgPort: number;
  auth: {
    jwksUrl?: string;
    publicKeyFile?: string;
    issuer: string;
    audience: string;
  };
  /** GraphiQL for browsers at /graphql; schema introspection. Both off by default in production. */
  graphiql: boolean;
  introspection: boolean;
  /** "Did you mean" in error messages, which name fields, arguments and enum values: development only. */
  suggestions: boolean;
  /** Subgraphs served by a remote service instead of in process: name → URL. */
  subgraphUrls: Record<string, string>;
  /** Private JWK that signs exported audit chain heads; the development key when unset outside production. */
  auditSigningKeyFile?: string;
  /** Key of the identity-number hash (src/auth/identity-hash.ts); unset, a development key is used. */
  identityHashKey?: Buffer;
  /** Shared by a gateway (or router), which signs subgraph requests, and the subgraphs, which check them. */
  hmacSecret?: string;
  /** Operations registered by id: off, allowed beside query text, or the only ones that run. */
  trustedDocuments: { mode: TrustedDocumentsMode; file: string };
  /**
   * Webhook secrets are sealed under `keys` (the first seals, all open; unset outside production:
   * a development key); webhooks may target URLs under `allowedUrls` (and, outside production,
   * loopback).
   */
  webhooks: { keys?: { id: string; key: Buffer }[]; allowedUrls: string[] };
  /** Files that add to the shipped calendars: the State Council's notices, provinces' school vacations (src/calendar). */
  calendarFiles: { working?: string; school?: string };
}

/** Development defaults: these name the local token issuer; they are not secrets. */
export const DEV_ISSUER = 'urn:child-care-hub:dev';
export const DEV_AUDIENCE = 'urn:child-care-hub';

function parseUrlList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq).trim();
    const url = item.slice(eq + 1).trim();
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (eq < 1 || !parsed || !['http:', 'https:'].includes(parsed.protocol)) {
      throw new ConfigError([`SUBGRAPH_URLS: "${item}" is not name=http(s)://…`]);
    }
    out[name] = url;
  }
  return out;
}

const DATABASE_URL_OF = /^DATABASE_URL_([A-Z_]+)$/;

/** DATABASE_URL_<SUBGRAPH> variables, by subgraph name (DATABASE_URL_YOUTH_LEAGUE → youth-league). */
function subgraphDatabaseUrls(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    const name = DATABASE_URL_OF.exec(key)?.[1];
    if (!name || !value) continue;
    const parsed = URL.canParse(value) ? new URL(value) : undefined;
    if (!parsed || !['postgres:', 'postgresql:'].includes(parsed.protocol)) {
      throw new ConfigError([`${key}: not a postgres:// URL`]);
    }
    out[name.toLowerCase().replace(/_/g, '-')] = value;
  }
  return out;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment once, at start, for a process in `role`. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, role: Role = 'hub'): Config {
  const parsed = envFor(role).safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = parsed.data;
  const queryPlanner = env.HUB_QUERY_PLANNER ?? defaultQueryPlanner();
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL,
    databaseUrls: subgraphDatabaseUrls(source),
    databasePoolSize: env.DATABASE_POOL_SIZE,
    topology: env.HUB_TOPOLOGY,
    queryPlanner,
    // With the Rust planner Hive Gateway's engine serves as fast as Apollo Gateway in process and
    // is the router's (one engine for both topologies); with the JavaScript planner it is slower
    // (docs/benchmark.md). It calls no subgraph over HTTP.
    engine: env.HUB_ENGINE ?? (queryPlanner === 'rust' && !env.SUBGRAPH_URLS ? 'hive' : 'apollo'),
    dataDir: path.resolve(env.HUB_DATA_DIR),
    embeddedPgPort: env.EMBEDDED_PG_PORT,
    auth: {
      jwksUrl: env.JWKS_URL,
      publicKeyFile: env.JWT_PUBLIC_KEY_FILE,
      issuer: env.JWT_ISSUER ?? DEV_ISSUER,
      audience: env.JWT_AUDIENCE ?? DEV_AUDIENCE,
    },
    subgraphUrls: parseUrlList(env.SUBGRAPH_URLS),
    auditSigningKeyFile: env.AUDIT_SIGNING_KEY_FILE,
    hmacSecret: env.HMAC_SECRET,
    trustedDocuments: { mode: env.TRUSTED_DOCUMENTS, file: path.resolve(env.TRUSTED_DOCUMENTS_FILE) },
    webhooks: { keys: env.WEBHOOK_KEYS, allowedUrls: env.WEBHOOK_ALLOWED_URLS ?? [] },
    calendarFiles: {
      working: env.WORKING_CALENDAR_FILE && path.resolve(env.WORKING_CALENDAR_FILE),
      school: env.SCHOOL_CALENDAR_FILE && path.resolve(env.SCHOOL_CALENDAR_FILE),
    },
    graphiql: (env.GRAPHIQL ?? String(env.NODE_ENV !== 'production')) === 'true',
    introspection: (env.INTROSPECTION ?? String(env.NODE_ENV !== 'production')) === 'true',
    suggestions: env.NODE_ENV === 'development',
    identityHashKey: env.IDENTITY_HASH_KEY ? Buffer.from(env.IDENTITY_HASH_KEY, 'base64') : undefined,
  };
}
