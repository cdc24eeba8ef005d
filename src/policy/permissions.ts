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

/**
 * Rules are shared by every field with the same grants, so each is evaluated once a request;
 * a rule with a `fullWhen` condition depends on the parent object and is evaluated per field.
 */
function ruleCache() {
  const rules = new Map<string, ShieldRule>();
  return (fieldRule: FieldRule) => {
    const name = JSON.stringify([fieldRule.access, fieldRule.roles ?? [], fieldRule.fullWhen ?? {}]);
    let r = rules.get(name);
    if (!r) {
      r = rule(name, { cache: fieldRule.fullWhen ? 'no_cache' : 'contextual' })(
        async (parent, _args, ctx: HubContext, info: GraphQLResolveInfo) => {
          if (ctx?.principal === undefined) return false;
          const { dept, roles } = ctx.principal;
          if (accessOf(fieldRule, dept, roles) !== 'none') return true;
          const condition = fullWhenOf(fieldRule, dept, roles);
          return condition !== undefined && conditionHolds(condition, ctx, info.parentType.name, parent);
        },
      );
      rules.set(name, r);
    }
    return r;
  };
}

/** Shows a value through the field's mask to a department with masked access, unless its `fullWhen` holds. */
function maskResolver(fieldRule: FieldRule) {
  const mask = MASKS[fieldRule.mask!];
  return async (
    resolve: GraphQLFieldResolver<unknown, HubContext>,
    parent: unknown,
    args: Record<string, unknown>,
    ctx: HubContext,
    info: GraphQLResolveInfo,
  ) => {
    const { dept, roles } = ctx.principal;
    if (accessOf(fieldRule, dept, roles) !== 'masked') return resolve(parent, args, ctx, info);
    const value = resolve(parent, args, ctx, info);
    const condition = fullWhenOf(fieldRule, dept, roles);
    // Asked before anything is awaited, so the parents of a whole list join one batch.
    const full = condition ? conditionHolds(condition, ctx, info.parentType.name, parent) : false;
    const [resolved, isFull] = await Promise.all([value, full]);
    return isFull ? resolved : mask(resolved);
  };
}

/**
 * Wraps a subgraph schema in the permission layer generated from FIELD_ACCESS: a shield rule
 * for every field the table grants (anything else falls to deny → FORBIDDEN), and masking for
 * fields some department sees masked; both honour the rules' `fullWhen` conditions. Applied in
 * each subgraph, so each is safe on its own.
 */
export function withPermissions(schema: GraphQLSchema): GraphQLSchema {
  const ruleFor = ruleCache();
  const rules: Record<string, Record<string, unknown>> = {};
  const masks: Record<string, Record<string, unknown>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const fieldName of Object.keys(type.getFields())) {
      const key = `${type.name}.${fieldName}`;
      const fieldRule = FIELD_ACCESS[key];
      if (FEDERATION_FIELDS.has(key)) (rules[type.name] ??= {})[fieldName] = authenticated;
      else if (fieldRule) (rules[type.name] ??= {})[fieldName] = ruleFor(fieldRule);
      if (fieldRule?.mask) (masks[type.name] ??= {})[fieldName] = maskResolver(fieldRule);
    }
  }
  const permissions = shield(rules as never, {
    fallbackRule: denied,
    allowExternalErrors: true,
    fallbackError: (_thrown, _parent, _args, ctx, info) =>
      forbiddenFor(info.parentType.name, info.fieldName, ctx as unknown as HubContext),
  });
  return applyMiddleware(schema, permissions, masks as never);
}
