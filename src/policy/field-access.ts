import type { Department, Role } from '../auth/principal';
import { auditAccess } from '../subgraphs/audit/audit.access';
import { caseworkAccess } from '../subgraphs/casework/casework.access';
import { educationAccess } from '../subgraphs/education/education.access';
import { justiceAccess } from '../subgraphs/justice/justice.access';
import { enterpriseAccess } from '../subgraphs/enterprise/enterprise.access';
import { publicSecurityAccess } from '../subgraphs/public-security/public-security.access';
import { registryAccess } from '../subgraphs/registry/registry.access';
import type { ConditionName } from './conditions';
import { supervisionAccess } from '../subgraphs/supervision/supervision.access';
import { womensFederationAccess } from '../subgraphs/womens-federation/womens-federation.access';
import { youthLeagueAccess } from '../subgraphs/youth-league/youth-league.access';
import type { Access, AccessTable, FieldRule } from './rules';

export type { Access, FieldRule } from './rules';

/** Joins the subgraphs' tables; a field two subgraphs both decide is a mistake, not an override. */
function join(...tables: AccessTable[]): AccessTable {
  const joined: Record<string, FieldRule> = {};
  for (const table of tables) {
    for (const [key, rule] of Object.entries(table)) {
      if (key in joined) throw new Error(`Permission rule for ${key} is stated twice`);
      joined[key] = rule;
    }
  }
  return joined;
}

/**
 * The permission matrix: for every field of the graph (root operations included), what each
 * department sees of it. A department absent from `access` sees nothing (`none`), and a field
 * absent from this table resolves for nobody. Shield rules and masking are generated from it
 * in every subgraph (src/policy/permissions.ts); tests/policy-table.test.ts checks that it
 * decides every field of the composed schema. Each subgraph states its part in
 * `src/subgraphs/<name>/<name>.access.ts`.
 */
export const FIELD_ACCESS: AccessTable = join(
  registryAccess,
  educationAccess,
  publicSecurityAccess,
  caseworkAccess,
  justiceAccess,
  youthLeagueAccess,
  womensFederationAccess,
  enterpriseAccess,
  auditAccess,
  supervisionAccess,
);

const hasRoles = (rule: FieldRule, roles: readonly Role[]) => !rule.roles || rule.roles.some((r) => roles.includes(r));

/** What `dept` (holding `roles`) may see of a field under `rule`, whatever the parent object. */
export function accessOf(rule: FieldRule | undefined, dept: Department, roles: readonly Role[]): Access {
  if (!rule || !hasRoles(rule, roles)) return 'none';
  return rule.access[dept] ?? 'none';
}

/** The check under which `dept` sees a field in full for some parent objects, beyond `accessOf`. */
export function fullWhenOf(
  rule: FieldRule | undefined,
  dept: Department,
  roles: readonly Role[],
): ConditionName | undefined {
  if (!rule?.fullWhen || !hasRoles(rule, roles)) return undefined;
  return rule.fullWhen[dept];
}
