import { composeSupergraph, readSupergraph } from '../src/gateway/compose';

test('schema/supergraph.graphql is the composition of the subgraph SDL files (run npm run compose)', () => {
  expect(readSupergraph()).toBe(composeSupergraph());
});
