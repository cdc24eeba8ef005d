import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, getNamedType, GraphQLObjectType, isNonNullType, parse, type GraphQLSchema } from 'graphql';
import { DEPARTMENTS, ROLES, type Department } from '../src/auth/principal';
import type { HubContext } from '../src/context';
import { apiSchema } from '../src/gateway/compose';
import { CONDITIONS, type Condition } from '../src/policy/conditions';
import { accessOf, FIELD_ACCESS } from '../src/policy/field-access';
import { MASKS } from '../src/policy/masks';
import { withPermissions } from '../src/policy/permissions';
import { SUBGRAPHS } from '../src/subgraphs';
import { subgraphTypeDefs } from '../src/subgraphs/subgraph';

const schema: GraphQLSchema = apiSchema();

/** Every field a client can ask for: object types of the composed schema, introspection aside. */
const fields = Object.values(schema.getTypeMap())
  .filter((t): t is GraphQLObjectType => t instanceof GraphQLObjectType && !t.name.startsWith('__'))
  .flatMap((type) =>
    Object.values(type.getFields()).map((field) => ({ type, field, key: `${type.name}.${field.name}` })),
  );

const ALL_ROLES = [...ROLES];
const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

/** Key fields of each entity, read from the subgraph SDL files. */
const entityKeys = new Map<string, string[]>();
for (const s of SUBGRAPHS) {
  for (const def of subgraphTypeDefs(s.name).definitions) {
    if (def.kind !== 'ObjectTypeDefinition') continue;
    for (const d of def.directives ?? []) {
      const fieldsArg = d.name.value === 'key' ? d.arguments?.find((a) => a.name.value === 'fields') : undefined;
      if (fieldsArg?.value.kind === 'StringValue') entityKeys.set(def.name.value, fieldsArg.value.value.split(/\s+/));
    }
  }
}

test('the table decides every field of the composed schema for every department', () => {
  const undecided = fields.filter(({ key }) => !FIELD_ACCESS[key]).map(({ key }) => key);
  expect(undecided).toEqual([]);
  for (const { key } of fields) {
    for (const dept of DEPARTMENTS)
      expect(['full', 'masked', 'none']).toContain(accessOf(FIELD_ACCESS[key], dept, ALL_ROLES));
  }
});

test('the table names no field the schema does not have', () => {
  // The composed API's fields, and the registry's @inaccessible API other subgraphs call.
  const known = new Set(fields.map(({ key }) => key));
  for (const s of SUBGRAPHS)
    for (const def of subgraphTypeDefs(s.name).definitions)
      if (def.kind === 'ObjectTypeDefinition' || def.kind === 'ObjectTypeExtension')
        for (const f of def.fields ?? []) known.add(`${def.name.value}.${f.name.value}`);
  expect(Object.keys(FIELD_ACCESS).filter((key) => !known.has(key))).toEqual([]);
});

test('masked access always says how to mask, and a mask is only given where some access is masked', () => {
  for (const [key, rule] of Object.entries(FIELD_ACCESS)) {
    const masked = Object.values(rule.access).includes('masked');
    expect([key, masked]).toEqual([key, rule.mask !== undefined]);
    if (rule.mask) expect(MASKS[rule.mask]).toBeInstanceOf(Function);
  }
});

test('a fullWhen condition names a check that exists, knows the parent type, and lifts less than full access', () => {
  const conditional = Object.entries(FIELD_ACCESS).flatMap(([key, rule]) =>
    Object.entries(rule.fullWhen ?? {}).map(([dept, condition]) => ({ key, rule, dept, condition })),
  );
  expect(conditional.length).toBeGreaterThan(0);
  for (const { key, rule, dept, condition } of conditional) {
    const check = (CONDITIONS as Record<string, Condition>)[condition];
    expect([key, condition, check !== undefined]).toEqual([key, condition, true]);
    expect([key, Object.keys(check.subjectOf)]).toEqual([key, expect.arrayContaining([key.split('.')[0]])]);
    expect([key, dept, rule.access[dept as Department]]).not.toEqual([key, dept, 'full']);
    expect([key, rule.roles]).toEqual([key, undefined]);
  }
});

test('every operation requires a role', () => {
  const ops = fields.filter(({ type }) => ROOTS.has(type.name));
  expect(ops.length).toBeGreaterThan(0);
  for (const { key } of ops) expect([key, FIELD_ACCESS[key].roles?.length ?? 0]).not.toEqual([key, 0]);
});

test('a field some purpose denies (it has a data category) is nullable: denial nulls only that field', () => {
  const wouldNullParent = fields
    .filter(({ field, key }) => FIELD_ACCESS[key]?.data && isNonNullType(field.type))
    .map(({ key }) => key);
  expect(wouldNullParent).toEqual([]);
});

describe.each(DEPARTMENTS)('%s', (dept) => {
  const reachable = (typeName: string) =>
    fields.some(({ type, key }) => type.name === typeName && accessOf(FIELD_ACCESS[key], dept, ALL_ROLES) !== 'none');

  test('can read the key fields of every entity it can read anything of (federation joins need them)', () => {
    for (const [typeName, keys] of entityKeys) {
      if (!reachable(typeName)) continue;
      for (const k of keys)
        expect([`${typeName}.${k}`, accessOf(FIELD_ACCESS[`${typeName}.${k}`], dept, ALL_ROLES)]).toEqual([
          `${typeName}.${k}`,
          'full',
        ]);
    }
  });

  test('a field it is denied, on a type it can read, is nullable: denial nulls only that field', () => {
    const wouldNullParent = fields
      .filter(
        ({ type, field, key }) =>
          reachable(type.name) && accessOf(FIELD_ACCESS[key], dept, ALL_ROLES) === 'none' && isNonNullType(field.type),
      )
      .map(({ key }) => key);
    expect(wouldNullParent).toEqual([]);
  });

  test('a masked field is a scalar or a region reference the mask knows how to shorten', () => {
    for (const { field, key } of fields) {
      if (accessOf(FIELD_ACCESS[key], dept, ALL_ROLES) !== 'masked') continue;
      expect([key, getNamedType(field.type).name]).toEqual([
        key,
        FIELD_ACCESS[key].mask === 'township' ? 'Region' : 'String',
      ]);
    }
  });
});

test('inside a subgraph, a field the table does not name is FORBIDDEN even to civil affairs', async () => {
  const typeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Query { child(id: ID!): Child }
    type Child @key(fields: "id") { id: ID! name: String! secret: String }
  `);
  const sub = withPermissions(
    buildSubgraphSchema({
      typeDefs,
      resolvers: { Query: { child: () => ({ id: '1', name: '某', secret: 's' }) } } as never,
    }),
  );
  const contextValue = {
    principal: { sub: 't', dept: 'CIVIL_AFFAIRS', region: '63', roles: ['reader'] },
    purpose: 'CASE_WORK',
    memo: new Map(),
  } as HubContext;
  const res = await execute({ schema: sub, document: parse('{ child(id: "1") { id name secret } }'), contextValue });
  expect(res.data).toEqual({ child: { id: '1', name: '某', secret: null } });
  expect(res.errors?.map((e) => [e.path, e.extensions.code])).toEqual([[['child', 'secret'], 'FORBIDDEN']]);
});
