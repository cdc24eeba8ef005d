import { composeServices } from '@apollo/composition';
import type { GraphQLSchema } from 'graphql';
import { SUBGRAPHS } from '../subgraphs';
import { defaultSubgraphUrl, subgraphTypeDefs } from '../subgraphs/subgraph';

/** Composes the subgraph SDL files into the supergraph (Federation 2), or throws with every error. */
function compose() {
  const result = composeServices(
    SUBGRAPHS.map((s) => ({ name: s.name, url: defaultSubgraphUrl(s), typeDefs: subgraphTypeDefs(s.name) })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result;
}

export const composeSupergraph = (): string => compose().supergraphSdl;

/** The schema clients see: the supergraph without its federation machinery. */
export const apiSchema = (): GraphQLSchema => compose().schema.toAPISchema().toGraphQLJSSchema();
