import {
  defaultFieldResolver,
  GraphQLError,
  GraphQLObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { noteRead } from '../audit/access-record';
import { perRequest, type HubContext } from '../context';
import { ErrorCode } from '../errors';
import { conditionHolds, type ConditionName } from './conditions';
import { accessOf, FIELD_ACCESS, fullWhenOf, type Access, type FieldRule } from './field-access';
import { MASKS } from './masks';
import { purposeAllows } from './purposes';

/**
 * Fields the federation protocol needs between the gateway and a subgraph. They expose no
 * data of their own: `_entities` only resolves what the entity's own fields then allow.
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

function deniedForPurpose(rule: FieldRule, ctx: HubContext) {
  return new GraphQLError(`Not available for purpose ${ctx.purpose ?? '(none declared)'}: ${rule.data} data`, {
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

function decide(rule: FieldRule | null, ctx: HubContext | undefined): Decision {
  if (ctx?.principal === undefined) return { access: 'none', purposeDenied: false };
  if (rule === null) return { access: 'full', purposeDenied: false }; // a federation field
  const { dept, roles } = ctx.principal;
  const access = accessOf(rule, dept, roles);
  const condition = access === 'full' ? undefined : fullWhenOf(rule, dept, roles);
  return { access, condition, purposeDenied: !purposeAllows(rule, ctx.purpose) };
}

/**
 * A rule's decision depends only on the caller's department, roles and purpose, so each is made
 * once per request, for the rules the request meets, and shared by every field under that rule.
 */
const decisions = perRequest(() => new Map<FieldRule | null, Decision>());

function decisionFor(rule: FieldRule | null, ctx: HubContext | undefined): Decision {
  if (!ctx?.memo) return decide(rule, ctx);
  const known = decisions(ctx);
  let decision = known.get(rule);
  if (decision === undefined) known.set(rule, (decision = decide(rule, ctx)));
  return decision;
}

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof (value as Promise<unknown> | null)?.then === 'function';

/** Types that carry no personal data of their own: reference data and paging structure. */
export const UNAUDITED_TYPE = /^(Query|Mutation|Region|PageInfo|_Service|.*Connection|.*Edge)$/;

/**
 * The resolver of one field behind its rule. Denied (anything the table does not name
 * included) → FORBIDDEN, unless the rule's `fullWhen` condition holds for this parent; a
 * purpose that excludes the field's data → FORBIDDEN; otherwise resolved, noted for the audit
 * log, and masked where the caller sees it masked (again unless the condition holds).
 * Synchronous resolvers stay synchronous when no condition has to be checked.
 */
function guarded(
  type: GraphQLObjectType,
  fieldName: string,
  rule: FieldRule | null | undefined,
  resolve: GraphQLFieldResolver<unknown, HubContext>,
): GraphQLFieldResolver<unknown, HubContext> {
  if (rule === undefined) return (_parent, _args, ctx) => forbiddenFor(type.name, fieldName, ctx);
  const key = `${type.name}.${fieldName}`;
  const mask = rule?.mask ? MASKS[rule.mask] : undefined;
  const noted = rule !== null && (mask !== undefined || !UNAUDITED_TYPE.test(type.name));
  const typeName = type.name;

  const finish = (value: unknown, parent: unknown, ctx: HubContext, masked: boolean) => {
    if (noted) noteRead(ctx, typeName, key, parent);
    return masked ? mask!(value) : value;
  };

  return (parent, args, ctx, info) => {
    const decision = decisionFor(rule, ctx);
    if (decision.access === 'none') {
      if (!decision.condition) return forbiddenFor(typeName, fieldName, ctx);
      return conditionHolds(decision.condition, ctx, typeName, parent).then((holds) => {
        if (!holds) return forbiddenFor(typeName, fieldName, ctx);
        if (decision.purposeDenied) return deniedForPurpose(rule!, ctx);
        const value = resolve(parent, args, ctx, info);
        return isPromise(value) ? value.then((v) => finish(v, parent, ctx, false)) : finish(value, parent, ctx, false);
      });
    }
    if (decision.purposeDenied) return deniedForPurpose(rule!, ctx);
    const value = resolve(parent, args, ctx, info);
    const masked = mask !== undefined && decision.access === 'masked';
    if (masked && decision.condition) {
      // Asked before anything is awaited, so the parents of a whole list join one batch.
      const full = conditionHolds(decision.condition, ctx, typeName, parent);
      return Promise.all([value, full]).then(([v, isFull]) => finish(v, parent, ctx, !isFull));
    }
    if (!noted && !masked) return value;
    return isPromise(value) ? value.then((v) => finish(v, parent, ctx, masked)) : finish(value, parent, ctx, masked);
  };
}

/**
 * The permission layer generated from FIELD_ACCESS, applied to a subgraph schema in place (and
 * returned): every field's resolver is wrapped in its rule (`guarded`), so a field the table
 * does not name resolves for nobody, masked fields are masked, `fullWhen` conditions are
 * honoured, and every personal field read is noted for the audit log. Applied in each
 * subgraph, so each is safe on its own. Errors thrown by resolvers pass through unchanged; a
 * denial is returned as the field's error.
 */
export function withPermissions(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      const key = `${type.name}.${fieldName}`;
      const rule = FEDERATION_FIELDS.has(key) ? null : FIELD_ACCESS[key];
      field.resolve = guarded(type, fieldName, rule, field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}
