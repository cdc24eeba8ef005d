import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  validate,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../errors';

/**
 * Trusted documents: operations registered ahead of time in a manifest and sent by id.
 * `allow` runs registered documents by id beside free-form text; `require` runs nothing else.
 * The manifest is Apollo's persisted-query manifest format, so Apollo's and The Guild's
 * client tooling can produce and read it.
 */
export type TrustedDocumentsMode = 'off' | 'allow' | 'require';

const Operation = z.object({
  id: z.string(),
  name: z.string().min(1),
  type: z.enum(['query', 'mutation', 'subscription']),
  body: z.string().min(1),
});
export type ManifestOperation = z.infer<typeof Operation>;

const Manifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(Operation),
});
export type PersistedQueryManifest = z.infer<typeof Manifest>;

/** A document's id: the hex SHA-256 of its text, as in Apollo's persisted queries. */
export const documentHash = (body: string): string => createHash('sha256').update(body).digest('hex');

/** A GraphQL-over-HTTP `documentId` may carry its hash algorithm as a prefix. */
const withoutPrefix = (id: string) => (id.startsWith('sha256:') ? id.slice('sha256:'.length) : id);

export class TrustedDocuments {
  private constructor(
    readonly mode: Exclude<TrustedDocumentsMode, 'off'>,
    private readonly bodies: ReadonlyMap<string, string>,
  ) {}

  /** Every id must be the hash of its body: a hand-edited document is not trusted silently. */
  static fromManifest(mode: Exclude<TrustedDocumentsMode, 'off'>, manifest: unknown, source = 'manifest') {
    const parsed = Manifest.safeParse(manifest);
    if (!parsed.success) {
      throw new Error(
        `${source} is not an apollo-persisted-query-manifest (version 1): ${parsed.error.issues[0].message}`,
      );
    }
    const bodies = new Map<string, string>();
    for (const op of parsed.data.operations) {
      if (documentHash(op.body) !== op.id) {
        throw new Error(`${source}: the id of ${op.name} is not the hash of its body`);
      }
      bodies.set(op.id, op.body);
    }
    return new TrustedDocuments(mode, bodies);
  }

  static load(mode: Exclude<TrustedDocumentsMode, 'off'>, file: string): TrustedDocuments {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new Error(
        `TRUSTED_DOCUMENTS=${mode} needs the manifest ${file}: create it with hub trust <files.graphql…>`,
      );
    }
    return TrustedDocuments.fromManifest(mode, JSON.parse(text), file);
  }

  /** The registered text of a document id, or undefined. */
  document(id: string): string | undefined {
    return this.bodies.get(withoutPrefix(id));
  }

  get size(): number {
    return this.bodies.size;
  }
}

interface Refusal {
  status: number;
  code: string;
  message: string;
}

/** What the hub and the router answer when a request does not name a document they may run. */
export const REFUSALS = {
  notFound: {
    status: 400,
    code: 'PERSISTED_QUERY_NOT_FOUND',
    message: 'This document id is not among the trusted documents',
  },
  freeText: {
    status: 403,
    code: ErrorCode.FORBIDDEN,
    message:
      'Only trusted documents run here: send a registered document by id (documentId, or extensions.persistedQuery.sha256Hash) instead of query text',
  },
  noDocument: {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'The request names no document: send a documentId (or query text, where allowed)',
  },
} satisfies Record<string, Refusal>;

/** A refusal as a GraphQL error, with the HTTP status for servers that read `extensions.http`. */
export const refusalError = ({ status, code, message }: Refusal) =>
  new GraphQLError(message, { extensions: { code, http: { status } } });

/** The id a request names, from GraphQL-over-HTTP `documentId` or Apollo's persisted-query extension. */
export function requestedDocumentId(documentId: unknown, persistedQuery: unknown): string | undefined {
  if (typeof documentId === 'string' && documentId) return documentId;
  const hash = (persistedQuery as { sha256Hash?: unknown } | null | undefined)?.sha256Hash;
  return typeof hash === 'string' && hash ? hash : undefined;
}

type Params = { query?: unknown; documentId?: unknown; extensions?: unknown };

/**
 * Before Apollo Server sees a request: a document id becomes the registered text, and in
 * `require` mode query text is refused. Installed only when trusted documents are on, so the
 * normal path does not pay for it. Apollo's automatic persisted queries stay out: the
 * manifest is the only source of ids.
 */
export function trustedDocumentsMiddleware(trusted: TrustedDocuments) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refuse = ({ status, code, message }: Refusal) =>
      res.status(status).json({ errors: [{ message, extensions: { code } }] });
    const url = req.method === 'GET' ? new URL(req.url, 'http://hub') : undefined;
    const params: Params = url ? Object.fromEntries(url.searchParams) : typeof req.body === 'object' ? req.body : {};
    let extensions = params.extensions;
    if (url && typeof extensions === 'string') {
      try {
        extensions = JSON.parse(extensions);
      } catch {
        return next(); // Apollo Server answers a malformed parameter.
      }
    }
    const { persistedQuery, ...otherExtensions } = (extensions ?? {}) as Record<string, unknown>;
    let query = params.query;
    if (query != null) {
      if (trusted.mode === 'require') return refuse(REFUSALS.freeText);
    } else {
      const id = requestedDocumentId(params.documentId, persistedQuery);
      if (id !== undefined) {
        query = trusted.document(id);
        if (query === undefined) return refuse(REFUSALS.notFound);
      }
    }
    if (url) {
      url.searchParams.delete('documentId');
      if (query != null) url.searchParams.set('query', String(query));
      if (extensions !== undefined) url.searchParams.set('extensions', JSON.stringify(otherExtensions));
      req.url = `${url.pathname}${url.search}`;
    } else if (typeof req.body === 'object' && req.body) {
      const { documentId: _id, ...body } = req.body as Params;
      void _id;
      req.body = { ...body, query, ...(extensions !== undefined ? { extensions: otherExtensions } : {}) };
    }
    next();
  };
}

/** The fragments an operation uses, directly or through other fragments. */
function usedFragments(definition: DefinitionNode, fragments: Map<string, FragmentDefinitionNode>) {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread({ name }) {
        const fragment = fragments.get(name.value);
        if (fragment && !used.has(name.value)) {
          used.set(name.value, fragment);
          walk(fragment);
        }
      },
    });
  walk(definition);
  return [...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
}

/**
 * The manifest entries of a file of operations: each named operation with the fragments it
 * uses, printed in one canonical form, checked against the schema clients see.
 */
export function manifestOperations(source: string, schema: GraphQLSchema, file = 'document'): ManifestOperation[] {
  let document;
  try {
    document = parse(source);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  const errors = validate(schema, document);
  if (errors.length) throw new Error(`${file}: ${errors.map((e) => e.message).join('; ')}`);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const operations: ManifestOperation[] = [];
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (!def.name) throw new Error(`${file}: every trusted operation needs a name`);
    const body = print({ kind: Kind.DOCUMENT, definitions: [def, ...usedFragments(def, fragments)] });
    operations.push({ id: documentHash(body), name: def.name.value, type: def.operation, body });
  }
  return operations;
}

/**
 * Adds operations to a manifest. Ids already there stay, so clients still running an older
 * version of an operation keep working; an operation name may appear once per run.
 */
export function updateManifest(
  existing: PersistedQueryManifest | undefined,
  added: ManifestOperation[],
): PersistedQueryManifest {
  const idByName = new Map<string, string>();
  for (const op of added) {
    if ((idByName.get(op.name) ?? op.id) !== op.id) throw new Error(`two different operations are named ${op.name}`);
    idByName.set(op.name, op.id);
  }
  const byId = new Map((existing?.operations ?? []).map((op) => [op.id, op]));
  for (const op of added) byId.set(op.id, op);
  const operations = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

export function readManifest(file: string): PersistedQueryManifest | undefined {
  if (!fs.existsSync(file)) return undefined;
  return Manifest.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
