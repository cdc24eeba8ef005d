import { GraphQLError, GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { rule, shield } from 'graphql-shield';

type ShieldRule = ReturnType<ReturnType<typeof rule>>;
import type { HubContext } from '../context';
import { ErrorCode } from '../errors';
import { accessOf, FIELD_ACCESS, type FieldRule } from './field-access';
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

/** Rules are shared by every field with the same grants, so each is evaluated once a request. */
function ruleCache() {
  const rules = new Map<string, ShieldRule>();
  return (fieldRule: FieldRule) => {
    const name = JSON.stringify([fieldRule.access, fieldRule.roles ?? [], fieldRule.data ?? null]);
    let r = rules.get(name);
    if (!r) {
      r = rule(name, { cache: 'contextual' })((_parent, _args, ctx: HubContext) => {
        if (ctx?.principal === undefined) return false;
        if (accessOf(fieldRule, ctx.principal.dept, ctx.principal.roles) === 'none') return false;
        return (
          purposeAllows(fieldRule, ctx.purpose) ||
          new GraphQLError(`Not available for purpose ${ctx.purpose ?? '(none declared)'}: ${fieldRule.data} data`, {
            extensions: { code: ErrorCode.FORBIDDEN },
          })
        );
      });
      rules.set(name, r);
    }
    return r;
  };
}

/** Types that carry no personal data of their own: reference data and paging structure. */
const UNAUDITED_TYPE = /^(Query|Mutation|Region|PageInfo|_Service|.*Connection|.*Edge)$/;

/**
 * The per-field wrapper: notes the read for the audit log and, where the department sees the
 * field masked, masks the value.
 */
function fieldMiddleware(typeName: string, key: string, fieldRule: FieldRule) {
  const mask = fieldRule.mask ? MASKS[fieldRule.mask] : undefined;
  return async (
    resolve: GraphQLFieldResolver<unknown, HubContext>,
    parent: unknown,
    args: Record<string, unknown>,
    ctx: HubContext,
    info: Parameters<GraphQLFieldResolver<unknown, HubContext>>[3],
  ) => {
    const value = await resolve(parent, args, ctx, info);
    noteRead(ctx, typeName, key, parent);
    return mask && accessOf(fieldRule, ctx.principal.dept, ctx.principal.roles) === 'masked' ? mask(value) : value;
  };
}

/**
 * Wraps a subgraph schema in the permission layer generated from FIELD_ACCESS: a shield rule
 * for every field the table grants (anything else falls to deny → FORBIDDEN), masking for
 * fields some department sees masked, and the audit's note of every personal field read. Applied in each subgraph, so each is safe on its own.
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
