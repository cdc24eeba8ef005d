import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type DocumentNode } from 'graphql';
import type { Principal } from '../src/auth/principal';
import type { HubContext } from '../src/context';
import { badInput } from '../src/errors';
import { withPermissions } from '../src/policy/permissions';

/**
 * The shield inside one subgraph, on a small schema whose types and fields bear the permission
 * table's names (Query.child, Child.id, Child.guardians…), so the table's rules apply to them.
 */
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { child(id: ID!): Child }
  type Child @key(fields: "id") { id: ID! guardians: [Guardian!] }
  type Guardian { relation: String name: String }
`);

function subgraph(child: (args: { id: string }) => unknown, defs: DocumentNode = typeDefs) {
  return withPermissions(
    buildSubgraphSchema({
      typeDefs: defs,
      resolvers: { Query: { child: (_: unknown, args: { id: string }) => child(args) } },
    }),
  );
}

const caller = (dept: Principal['dept']) =>
  ({
    principal: { sub: 't', dept, region: '63', roles: ['reader'] },
    purpose: 'CASE_WORK',
    memo: new Map(),
  }) as unknown as HubContext;

const run = (schema: ReturnType<typeof subgraph>, query: string, contextValue: unknown, variableValues = {}) =>
  execute({ schema, document: parse(query), contextValue, variableValues });

test("a resolver's own error passes through the shield as it was thrown", async () => {
  const schema = subgraph(({ id }) => {
    throw badInput('id', `${id} is not a child id`);
  });
  const res = await run(schema, '{ child(id: "x") { id } }', caller('CIVIL_AFFAIRS'));
  expect(res.errors?.map((e) => [e.path, e.extensions.code, e.message])).toEqual([
    [['child'], 'BAD_USER_INPUT', 'id: x is not a child id'],
  ]);
});

test('a rule that fails while deciding denies the field, without saying why it failed', async () => {
  // The youth league sees a child's guardians only under an emergency grant; the grant check
  // cannot run without the request's entity manager, so the rule throws.
  const schema = subgraph(({ id }) => ({ id, guardians: [{ relation: 'MOTHER', name: '王' }] }));
  const id = '5b2f0c1e-8a5b-4c1d-9f1e-2d3c4b5a6f70';
  const res = await run(schema, `{ child(id: "${id}") { id guardians { relation } } }`, caller('YOUTH_LEAGUE'));
  expect(res.data).toEqual({ child: { id, guardians: null } });
  expect(res.errors?.map((e) => [e.path, e.extensions.code, e.message])).toEqual([
    [['child', 'guardians'], 'FORBIDDEN', 'Not permitted: Child.guardians for YOUTH_LEAGUE (roles: reader)'],
  ]);
});

test('the federation fields answer a signed-in caller of any department, and nobody else', async () => {
  const schema = subgraph(() => null);
  const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Child { id } } }`;
  const representations = { r: [{ __typename: 'Child', id: '7' }] };

  const sdl = await run(schema, '{ _service { sdl } }', caller('ENTERPRISE'));
  expect(sdl.errors).toBeUndefined();
  expect(sdl.data?._service).toEqual({ sdl: expect.stringContaining('type Child') });
  const joined = await run(schema, entities, caller('CIVIL_AFFAIRS'), representations);
  expect(joined).toEqual({ data: { _entities: [{ id: '7' }] } });

  const anonymous = { memo: new Map() };
  const refused = await run(schema, '{ _service { sdl } }', anonymous);
  expect(refused.errors?.map((e) => [e.path, e.extensions.code, e.message])).toEqual([
    [['_service'], 'FORBIDDEN', 'Not permitted: Query._service for anonymous'],
  ]);
  const refusedJoin = await run(schema, entities, anonymous, representations);
  expect(refusedJoin.errors?.map((e) => [e.path, e.extensions.code])).toEqual([[['_entities'], 'FORBIDDEN']]);
});

test('an entity key field the table does not decide stops the subgraph from being built', () => {
  const defs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Query { child(id: ID!): Child }
    type Child @key(fields: "id") { id: ID! }
    type Thing @key(fields: "ref") { ref: ID! }
  `);
  expect(() => subgraph(() => null, defs)).toThrow('Thing.ref is a key field: the permission table must decide it');
});
