import fs from 'node:fs';
import path from 'node:path';
import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { RetentionRule } from '../audit/retention';
import type { Clock } from '../clock';
import type { EventHandler, Subscription } from '../events/relay';
import type { SubgraphRuntime } from './runtime';
import { withPermissions } from '../policy/permissions';

export const SCHEMA_DIR = path.resolve(__dirname, '../../schema');

/** A department's part of the graph: its SDL file is `schema/<name>.graphql`. */
export interface SubgraphDefinition {
  name: string;
  /** Port `hub serve-subgraph <name>` listens on by default, and the URL in the supergraph. */
  port: number;
  /** The PostgreSQL schema it owns (its role has rights on it and on nothing else of another subgraph). */
  schema: string;
  /** Further schemas it owns (a job queue's). */
  extraSchemas?: string[];
  /** Its own migrations of its own schema (migrations/<name>/). */
  migrations: MigrationObject[];
  entities: EntitySchema<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Typed by the subgraph's generated `Resolvers` (npm run codegen). */
  resolvers: object;
  /**
   * The domain events of other subgraphs it acts on: source subgraph → event kind → handler.
   * Every subgraph with records about children follows the registry's `ChildMoved` too
   * (src/events/follow-child.ts), unless it names a handler of its own for it.
   */
  events?: Record<string, Record<string, EventHandler>>;
  /** Other feeds it follows (the audit service copies every subgraph's audit chain), given all subgraphs' names. */
  subscriptions?: (subgraphs: readonly string[]) => Subscription[];
  /** Its retention rules, run by `hub retention run` on its own database. */
  retention?: readonly RetentionRule[];
  /** Starts its background work where it runs (a job queue); stopped at shutdown. */
  start?: (runtime: SubgraphRuntime, clock: Clock, logger: Logger) => Promise<{ stop(): Promise<void> }>;
}

/** The PostgreSQL role a subgraph connects as: `hub_` and its name. */
export const roleOf = (def: Pick<SubgraphDefinition, 'name'>) => `hub_${def.name.replace(/-/g, '_')}`;

const sdlFile = (name: string) => path.join(SCHEMA_DIR, `${name}.graphql`);

export function subgraphTypeDefs(name: string): DocumentNode {
  return parse(fs.readFileSync(sdlFile(name), 'utf8'));
}

/** The executable subgraph schema, with the permission layer applied inside it. */
export function buildSubgraph(def: SubgraphDefinition): GraphQLSchema {
  return withPermissions(
    buildSubgraphSchema({
      typeDefs: subgraphTypeDefs(def.name),
      resolvers: def.resolvers as GraphQLResolverMap<unknown>,
    }),
  );
}

/** The default URL of a subgraph served on its own (`hub serve-subgraph`). */
export const defaultSubgraphUrl = (def: SubgraphDefinition) => `http://127.0.0.1:${def.port}/graphql`;
