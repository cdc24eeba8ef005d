import { GraphQLError, GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddlewareTypeMap } from 'graphql-middleware';
import { deny, rule, shield, type IRule } from 'graphql-shield';
import { noteRead } from '../audit/access-record';
import { perRequest, type HubContext } from '../context';
import { ErrorCode } from '../errors';
import { conditionHolds, type ConditionName } from './conditions';
import { accessOf, FIELD_ACCESS, fullWhenOf, type Access, type FieldRule } from './field-access';
import { MASKS } from './masks';
import { purposeAllows } from './purposes';

/**
 * Fields the federation protocol needs between the gateway and a subgraph, granted to every
 * signed-in caller. They expose no data of their own: `_entities` only resolves what the
 * entity's own fields then allow.
 */
const FEDERATION_FIELDS = new Set(['Query._entities', 'Query._service', '_Service.sdl']);

function forbiddenFor(parentType: string, fieldName: string, ctx: HubContext | undefined) {
  const who = ctx?.principal
    ? `${ctx.principal.dept} (roles: ${ctx.principal.roles.join(', ') || 'none'})`
    : 'anonymous';
  return new GraphQLError(`Not permitted: ${parentType}.${fieldName} for ${who}`, {
    extensions: { code: ErrorCode.FORBIDDEN },
  });
}

function deniedForPurpose(tableRule: FieldRule, ctx: HubContext) {
  return new GraphQLError(`Not available for purpose ${ctx.purpose ?? '(none declared)'}: ${tableRule.data} data`, {
    extensions: { code: ErrorCode.FORBIDDEN },
  });
}

/** What the table says of one rule for one caller; `fullWhen` conditions are then checked per parent. */
interface Decision {
  access: Access;
  /** With access `none` or `masked`: the field is full for parents this condition holds for. */
  condition?: ConditionName;
  /** The declared purpose excludes the field's data. */
  purposeDenied: boolean;
}

function decide(tableRule: FieldRule, ctx: HubContext | undefined): Decision {
  if (ctx?.principal === undefined) return { access: 'none', purposeDenied: false };
  const { dept, roles } = ctx.principal;
  const access = accessOf(tableRule, dept, roles);
  const condition = access === 'full' ? undefined : fullWhenOf(tableRule, dept, roles);
  return { access, condition, purposeDenied: !purposeAllows(tableRule, ctx.purpose) };
}

/**
 * The one place a field is decided. A rule's decision depends only on the caller's department,
 * roles and purpose, so each is made once per request, for the rules the request meets, and
 * read by both the shield rule and the read middleware. It lives in the request's memo, which
 * every copy Apollo makes of the context shares (shield's own cache would be per copy).
 */
const decisions = perRequest(() => new Map<FieldRule, Decision>());

function decisionFor(tableRule: FieldRule, ctx: HubContext | undefined): Decision {
  if (!ctx?.memo) return decide(tableRule, ctx);
  const known = decisions(ctx);
  let decision = known.get(tableRule);
  if (decision === undefined) known.set(tableRule, (decision = decide(tableRule, ctx)));
  return decision;
}

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof (value as Promise<unknown> | null)?.then === 'function';

/** Types that carry no personal data of their own: reference data and paging structure. */
export const UNAUDITED_TYPE = /^(Query|Mutation|Region|PageInfo|_Service|.*Connection|.*Edge)$/;

/** The fields of each `@key` an entity type of a subgraph schema declares. */
function keyFields(type: GraphQLObjectType): string[] {
  return [type.astNode, ...type.extensionASTNodes]
    .flatMap((node) => node?.directives ?? [])
    .filter((d) => d.name.value === 'key')
    .flatMap((d) => {
      const fields = d.arguments?.find((a) => a.name.value === 'fields')?.value;
      return fields?.kind === 'StringValue' ? fields.value.split(/\s+/) : [];
    });
}

const signedIn = rule('signed-in', { cache: 'contextual' })(
  (_parent, _args, ctx: HubContext | undefined) => ctx?.principal !== undefined,
);

/**
 * The shield rule of one field. Denied → FORBIDDEN, unless the table's `fullWhen` condition
 * holds for this parent; a purpose that excludes the field's data → FORBIDDEN. Not cached by
 * shield: the caller's part is memoised per request (decisionFor), and a condition is a
 * per-request DataLoader. Synchronous unless a condition has to be checked.
 */
function shieldRule(typeName: string, fieldName: string, tableRule: FieldRule): IRule {
  return rule(`${typeName}.${fieldName}`, { cache: 'no_cache' })((parent, _args, ctx: HubContext | undefined) => {
    const decision = decisionFor(tableRule, ctx);
    if (decision.access === 'none') {
      if (!decision.condition) return forbiddenFor(typeName, fieldName, ctx);
      return conditionHolds(decision.condition, ctx!, typeName, parent).then((holds) => {
        if (!holds) return forbiddenFor(typeName, fieldName, ctx);
        return decision.purposeDenied ? deniedForPurpose(tableRule, ctx!) : true;
      });
    }
    return decision.purposeDenied ? deniedForPurpose(tableRule, ctx!) : true;
  });
}

type ReadMiddleware = (
  resolve: (parent: unknown, args: unknown, ctx: HubContext, info: unknown) => unknown,
  parent: unknown,
  args: unknown,
  ctx: HubContext,
  info: unknown,
) => unknown;

/**
 * What happens to a value shield let through, for a field with personal data: the read is
 * noted for the audit log, and the value masked where the caller sees it masked (unless the
 * rule's `fullWhen` condition holds for this parent). A shield rule can allow or deny but not
 * change a value, so this is a field middleware of its own, deciding through the same
 * decisionFor.
 */
function readMiddleware(typeName: string, key: string, tableRule: FieldRule): ReadMiddleware | undefined {
  const mask = tableRule.mask ? MASKS[tableRule.mask] : undefined;
  if (mask === undefined && UNAUDITED_TYPE.test(typeName)) return undefined;

  const finish = (value: unknown, parent: unknown, ctx: HubContext, masked: boolean) => {
    noteRead(ctx, typeName, key, parent);
    return masked ? mask!(value) : value;
  };

  return (resolve, parent, args, ctx, info) => {
    const value = resolve(parent, args, ctx, info);
    const decision = decisionFor(tableRule, ctx);
    const masked = mask !== undefined && decision.access === 'masked';
    if (masked && decision.condition) {
      // Asked before anything is awaited, so the parents of a whole list join one batch.
      const full = conditionHolds(decision.condition, ctx, typeName, parent);
      return Promise.all([value, full]).then(([v, isFull]) => finish(v, parent, ctx, !isFull));
    }
    return isPromise(value) ? value.then((v) => finish(v, parent, ctx, masked)) : finish(value, parent, ctx, masked);
  };
}

/**
 * Both layers of a subgraph schema, generated from FIELD_ACCESS: the shield rule tree (a rule
 * for every field the table decides and for the federation fields; anything else falls to
 * `deny`) and the read middleware of the fields that need one. An entity's key fields are
 * decided by the table like any other field (the table grants them wherever the entity can be
 * read at all: tests/policy-table.test.ts); one it leaves undecided would be denied to everyone
 * and break every join through the entity, so it stops the build.
 */
function generate(schema: GraphQLSchema) {
  const rules: Record<string, Record<string, IRule>> = {};
  const reads: Record<string, Record<string, ReadMiddleware>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    const typeRules: Record<string, IRule> = (rules[type.name] = {});
    for (const fieldName of Object.keys(type.getFields())) {
      const key = `${type.name}.${fieldName}`;
      const tableRule = FIELD_ACCESS[key];
      if (FEDERATION_FIELDS.has(key)) {
        typeRules[fieldName] = signedIn;
      } else if (tableRule) {
        typeRules[fieldName] = shieldRule(type.name, fieldName, tableRule);
        const read = readMiddleware(type.name, key, tableRule);
        if (read) (reads[type.name] ??= {})[fieldName] = read;
      }
    }
    for (const key of keyFields(type)) {
      if (!typeRules[key]) throw new Error(`${type.name}.${key} is a key field: the permission table must decide it`);
    }
  }
  return { rules, reads: reads as IMiddlewareTypeMap };
}

/**
 * The permission layer generated from FIELD_ACCESS around a subgraph schema (a new schema is
 * returned): the graphql-shield rule tree decides every field (deny by default → FORBIDDEN),
 * and inside it the read middleware masks and notes what shield let through. Applied in each
 * subgraph, so each is safe on its own. Errors thrown by resolvers pass through unchanged
 * (`allowExternalErrors`); a rule that fails is a denial, never its error (`debug` off).
 */
export function withPermissions(schema: GraphQLSchema): GraphQLSchema {
  const { rules, reads } = generate(schema);
  const permissions = shield(rules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    debug: false,
    fallbackError: (_thrown, _parent, _args, ctx, info) =>
      forbiddenFor(info.parentType.name, info.fieldName, ctx as unknown as HubContext),
  });
  return applyMiddleware(schema, permissions, reads);
}
