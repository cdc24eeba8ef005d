import {
  GraphQLError,
  GraphQLObjectType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { rule, shield } from 'graphql-shield';

type ShieldRule = ReturnType<ReturnType<typeof rule>>;
import type { HubContext } from '../context';
import { ErrorCode } from '../errors';
import { conditionHolds } from './conditions';
import { accessOf, FIELD_ACCESS, fullWhenOf, type FieldRule } from './field-access';
import { MASKS } from './masks';
import { purposeAllows } from './purposes';
import { noteRead } from '../audit/access-record';

/**
 * Fields the federation protocol needs between the gateway and a subgraph. They expose no
 * data of their own: `_entities` only resolves what the entity's own fields then allow.
 */
const FEDERATION_FIELDS = new Set(['Query._entities', 'Query._service', '_Service.sdl']);

const authenticated = rule('authenticated', { cache: 'contextual' })(
  (_parent, _args, ctx: HubContext) => ctx?.principal !== undefined,
);

const denied = rule('denied', { cache: 'no_cache' })(() => false);

function forbiddenFor(parentType: string, fieldName: string, ctx: HubContext | undefined) {
  const who = ctx?.principal
    ? `${ctx.principal.dept} (roles: ${ctx.principal.roles.join(', ') || 'none'})`
    : 'anonymous';
  return new GraphQLError(`Not permitted: ${parentType}.${fieldName} for ${who}`, {
    extensions: { code: ErrorCode.FORBIDDEN },
  });
}

function deniedForPurpose(fieldRule: FieldRule, ctx: HubContext) {
  return new GraphQLError(`Not available for purpose ${ctx.purpose ?? '(none declared)'}: ${fieldRule.data} data`, {
    extensions: { code: ErrorCode.FORBIDDEN },
  });
}

/**
 * Rules are shared by every field with the same grants, so each is evaluated once a request;
 * a rule with a `fullWhen` condition depends on the parent object and is evaluated per field.
 */
function ruleCache() {
  const rules = new Map<string, ShieldRule>();
  return (fieldRule: FieldRule) => {
    const name = JSON.stringify([
      fieldRule.access,
      fieldRule.roles ?? [],
      fieldRule.fullWhen ?? {},
      fieldRule.data ?? null,
    ]);
    let r = rules.get(name);
    if (!r) {
      r = rule(name, { cache: fieldRule.fullWhen ? 'no_cache' : 'contextual' })(
        async (parent, _args, ctx: HubContext, info: GraphQLResolveInfo) => {
          if (ctx?.principal === undefined) return false;
          const { dept, roles } = ctx.principal;
          if (accessOf(fieldRule, dept, roles) === 'none') {
            const condition = fullWhenOf(fieldRule, dept, roles);
            if (!condition || !(await conditionHolds(condition, ctx, info.parentType.name, parent))) return false;
          }
          return purposeAllows(fieldRule, ctx.purpose) || deniedForPurpose(fieldRule, ctx);
        },
      );
      rules.set(name, r);
    }
    return r;
  };
}

/** Types that carry no personal data of their own: reference data and paging structure. */
const UNAUDITED_TYPE = /^(Query|Mutation|Region|PageInfo|_Service|.*Connection|.*Edge)$/;

/**
 * The per-field wrapper: notes the read for the audit log and, where the department sees the
 * field masked, masks the value unless the rule's `fullWhen` holds for this parent.
 */
function fieldMiddleware(typeName: string, key: string, fieldRule: FieldRule) {
  const mask = fieldRule.mask ? MASKS[fieldRule.mask] : undefined;
  return async (
    resolve: GraphQLFieldResolver<unknown, HubContext>,
    parent: unknown,
    args: Record<string, unknown>,
    ctx: HubContext,
    info: GraphQLResolveInfo,
  ) => {
    const { dept, roles } = ctx.principal;
    const masked = mask !== undefined && accessOf(fieldRule, dept, roles) === 'masked';
    const value = resolve(parent, args, ctx, info);
    const condition = masked ? fullWhenOf(fieldRule, dept, roles) : undefined;
    // Asked before anything is awaited, so the parents of a whole list join one batch.
    const full = condition ? conditionHolds(condition, ctx, info.parentType.name, parent) : false;
    const [resolved, isFull] = await Promise.all([value, full]);
    noteRead(ctx, typeName, key, parent);
    return masked && !isFull ? mask(resolved) : resolved;
  };
}

/**
 * Wraps a subgraph schema in the permission layer generated from FIELD_ACCESS: a shield rule
 * for every field the table grants (anything else falls to deny → FORBIDDEN), masking for
 * fields some department sees masked (both honour the rules' `fullWhen` conditions), and the
 * audit's note of every personal field read. Applied in each subgraph, so each is safe on its own.
 */
export function withPermissions(schema: GraphQLSchema): GraphQLSchema {
  const ruleFor = ruleCache();
  const rules: Record<string, Record<string, unknown>> = {};
  const middleware: Record<string, Record<string, unknown>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const fieldName of Object.keys(type.getFields())) {
      const key = `${type.name}.${fieldName}`;
      const fieldRule = FIELD_ACCESS[key];
      if (FEDERATION_FIELDS.has(key)) (rules[type.name] ??= {})[fieldName] = authenticated;
      else if (fieldRule) (rules[type.name] ??= {})[fieldName] = ruleFor(fieldRule);
      if (fieldRule && (fieldRule.mask || !UNAUDITED_TYPE.test(type.name))) {
        (middleware[type.name] ??= {})[fieldName] = fieldMiddleware(type.name, key, fieldRule);
      }
    }
  }
  const permissions = shield(rules as never, {
    fallbackRule: denied,
    allowExternalErrors: true,
    fallbackError: (_thrown, _parent, _args, ctx, info) =>
      forbiddenFor(info.parentType.name, info.fieldName, ctx as unknown as HubContext),
  });
  return applyMiddleware(schema, permissions, middleware as never);
}
