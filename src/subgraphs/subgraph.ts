import fs from 'node:fs';
import path from 'node:path';
import type { EntitySchema } from '@mikro-orm/core';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { withPermissions } from '../policy/permissions';

export const SCHEMA_DIR = path.resolve(__dirname, '../../schema');

/** A department's part of the graph: its SDL file is `schema/<name>.graphql`. */
export interface SubgraphDefinition {
  name: string;
  /** Port `hub serve-subgraph <name>` listens on by default, and the URL in the supergraph. */
  port: number;
  entities: EntitySchema<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Typed by the subgraph's generated `Resolvers` (npm run codegen). */
  resolvers: object;
}

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
