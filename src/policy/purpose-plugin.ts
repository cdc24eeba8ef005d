import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { RequestContext } from '../context';
import { ErrorCode } from '../errors';
import { FIELD_ACCESS } from './field-access';
import { isPurpose, PURPOSES } from './purposes';
import { isPublic } from './rules';

/** Root fields that read nothing personal: introspection and the federation service SDL. */
const ALWAYS_PUBLIC = new Set(['__typename', '__schema', '__type', '_service']);

function rootFields(selectionSet: SelectionSetNode, document: DocumentNode, into: Set<string> = new Set()) {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFields(selection.selectionSet, document, into);
    else {
      const fragment = document.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) rootFields(fragment.selectionSet, document, into);
    }
  }
  return into;
}

/** Whether the operation can reach personal data: any root field that is not public reference. */
function touchesPersonalData(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  const root = operation.operation === 'mutation' ? 'Mutation' : operation.operation === 'query' ? 'Query' : null;
  if (!root) return true;
  for (const name of rootFields(operation.selectionSet, document)) {
    if (ALWAYS_PUBLIC.has(name)) continue;
    const rule = FIELD_ACCESS[`${root}.${name}`];
    if (!rule || !isPublic(rule)) return true;
  }
  return false;
}

/**
 * A request that can reach personal data must declare a purpose from the fixed list, or it is
 * refused before anything runs (BAD_USER_INPUT). Public reference reads (regions) need none.
 */
export function purposeRefusal(
  purpose: string | null,
  operation: OperationDefinitionNode | null | undefined,
  document: DocumentNode,
): GraphQLError | null {
  if (!operation || isPurpose(purpose) || !touchesPersonalData(operation, document)) return null;
  return new GraphQLError(
    purpose === null
      ? `Declare the purpose of this request (X-Purpose header or extensions.purpose): one of ${PURPOSES.join(', ')}`
      : `Unknown purpose "${purpose}": one of ${PURPOSES.join(', ')}`,
    { extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'purpose', http: { status: 400 } } },
  );
}

/** The purpose check in the hub's Apollo Server. */
export function purposePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          const refusal = purposeRefusal(contextValue.purpose, operation, document);
          if (refusal) throw refusal;
        },
      };
    },
  };
}
