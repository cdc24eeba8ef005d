import type DataLoader from 'dataloader';
import type { HubContext } from '../context';
import { activeEmergencyGrants, openJusticeCases } from '../subgraphs/registry/access-facts';

/**
 * Relationship checks a field rule can name in `fullWhen`: a department whose standing access to
 * the field is masked or none sees it in full for a parent object the check holds for. Each
 * check is a per-request DataLoader keyed by the subject the parent is about, so a page of
 * parents costs one statement however large it is. The conditions concern the registry's types,
 * and the registry decides them from its own copy of the facts (src/subgraphs/registry/access-facts.ts).
 */
export interface Condition {
  /** How the permission table in docs/permissions.md names it: "full with <label>". */
  label: string;
  /** What it means, for the table's legend. */
  description: string;
  /** For each parent type the check applies to: the subject (the key of `holds`) a parent is about. */
  subjectOf: Readonly<Record<string, (parent: never) => string>>;
  holds: (ctx: HubContext) => DataLoader<string, boolean>;
}

export const CONDITIONS = {
  openJusticeCase: {
    label: 'open case',
    description:
      'while justice has an open case for the child (a legal-aid case not closed, or a guardianship proceeding not decided or withdrawn)',
    subjectOf: {
      Child: (child: { id: string }) => child.id,
      Guardian: (guardian: { childId: string }) => guardian.childId,
      Guardianship: (guardianship: { childId: string }) => guardianship.childId,
    },
    holds: openJusticeCases,
  },
  emergencyAccess: {
    label: 'emergency access',
    description:
      'while the calling account holds an unexpired emergency grant for the child (requestEmergencyAccess, at most 3 hours, reviewed afterwards)',
    subjectOf: {
      Child: (child: { id: string }) => child.id,
      Guardian: (guardian: { childId: string }) => guardian.childId,
    },
    holds: activeEmergencyGrants,
  },
} as const satisfies Record<string, Condition>;

export type ConditionName = keyof typeof CONDITIONS;

/** Whether `condition` holds for `parent`, an object of type `typeName`; false for a type it does not know. */
export function conditionHolds(
  condition: ConditionName,
  ctx: HubContext,
  typeName: string,
  parent: unknown,
): Promise<boolean> {
  const { subjectOf, holds } = CONDITIONS[condition] as Condition;
  const subject = subjectOf[typeName]?.(parent as never);
  return subject ? holds(ctx).load(subject) : Promise.resolve(false);
}
