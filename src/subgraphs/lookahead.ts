import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * The names of the fields the query selects on the value a resolver returns (through inline
 * fragments and fragment spreads), so a resolver can start the reads its children will ask for
 * in the same statement as its own.
 */
export function selectedFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === 'Field') names.add(selection.name.value);
      else if (selection.kind === 'InlineFragment') visit(selection.selectionSet);
      else visit(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}
