/**
 * The two categories of children the registry keeps, as the State Council's opinions of 2016
 * define them: the one place that says what makes a child LEFT_BEHIND or IN_DISTRESS, used by
 * the registry's mutations, the census import, conflict detection, the demo seed and the bench
 * generator. Pure: facts in, verdicts out.
 *
 * - LEFT_BEHIND (农村留守儿童): Opinions on Strengthening the Care and Protection of Rural
 *   Left-behind Children (国发〔2016〕13号): a minor under 16 with a rural household registration
 *   whose parents both work away from home, or one works away and the other has no guardianship
 *   capacity. (Qinghai's implementing opinions, /work/shared/domain/003_*.txt, apply it to
 *   rural and pastoral areas.)
 * - IN_DISTRESS (困境儿童): Opinions on Strengthening the Protection of Children in Distress
 *   (国发〔2016〕36号): children with difficulties in living, medical care or schooling from family
 *   poverty; with difficulties in rehabilitation, care and social integration from their own
 *   disability; or whose safety is threatened or harmed through missing or improper family
 *   guardianship (abuse, abandonment, accidental injury, unlawful harm), including children in
 *   fact without anyone to raise them (事实无人抚养儿童).
 */

export type Category = 'LEFT_BEHIND' | 'IN_DISTRESS';
export type HouseholdType = 'RURAL' | 'URBAN';
/** Whether a guardian can exercise guardianship: LIMITED still cares for the child, NONE cannot. */
export type GuardianshipCapacity = 'FULL' | 'LIMITED' | 'NONE';
export type IncapacityReason = 'SERIOUS_ILLNESS' | 'DISABILITY' | 'IMPRISONMENT' | 'DECEASED' | 'MISSING' | 'OTHER';
export type DistressReason =
  'FAMILY_POVERTY' | 'OWN_DISABILITY' | 'ABUSE' | 'ABANDONMENT' | 'INJURY' | 'DE_FACTO_UNSUPPORTED';

export const HOUSEHOLD_TYPES: readonly HouseholdType[] = ['RURAL', 'URBAN'];
export const CAPACITIES: readonly GuardianshipCapacity[] = ['FULL', 'LIMITED', 'NONE'];
export const INCAPACITY_REASONS: readonly IncapacityReason[] = [
  'SERIOUS_ILLNESS',
  'DISABILITY',
  'IMPRISONMENT',
  'DECEASED',
  'MISSING',
  'OTHER',
];
export const DISTRESS_REASONS: readonly DistressReason[] = [
  'FAMILY_POVERTY',
  'OWN_DISABILITY',
  'ABUSE',
  'ABANDONMENT',
  'INJURY',
  'DE_FACTO_UNSUPPORTED',
];

/** Children of this age and older are not left-behind children (国发〔2016〕13号). */
export const LEFT_BEHIND_AGE_LIMIT = 16;

/** A guardian as the rules see one: only fathers and mothers count for LEFT_BEHIND. */
export interface GuardianFacts {
  relation: string;
  workingAway: boolean;
  guardianshipCapacity: GuardianshipCapacity;
}

/** What the registry holds of a child that the categories depend on. */
export interface CategoryFacts {
  /** YYYY-MM-DD */
  birthDate: string;
  householdType: HouseholdType;
  guardians: readonly GuardianFacts[];
  distressReasons: readonly DistressReason[];
}

/** The rules, by the name a refusal or a conflict task gives. */
export const RULES = {
  LEFT_BEHIND:
    'LEFT_BEHIND (国发〔2016〕13号): under 16, rural household registration, both parents working away, or one away and the other without guardianship capacity',
  IN_DISTRESS:
    'IN_DISTRESS (国发〔2016〕36号): a distress reason (family poverty, own disability, abuse, abandonment, injury, no one in fact to raise the child) is recorded, and only then',
  INCAPACITY_REASON:
    'A guardian with LIMITED or NONE guardianship capacity has a reason recorded; one with FULL has none',
} as const;
export type RuleName = keyof typeof RULES;

/** A way a record disagrees with the rules. */
export interface Breach {
  rule: RuleName;
  message: string;
}

/** Age in whole years on `on` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** The day a child born on `birthDate` turns 16 (29 February: 1 March in a common year). */
export function leftBehindUntil(birthDate: string): string {
  const d = new Date(`${birthDate}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + LEFT_BEHIND_AGE_LIMIT);
  return d.toISOString().slice(0, 10);
}

/** Whether the facts make the child a left-behind child on `today`. */
export function isLeftBehind(facts: CategoryFacts, today: string): boolean {
  if (facts.householdType !== 'RURAL' || today >= leftBehindUntil(facts.birthDate)) return false;
  const father = facts.guardians.find((g) => g.relation === 'FATHER');
  const mother = facts.guardians.find((g) => g.relation === 'MOTHER');
  // Both parents must be known: a parent not recorded is neither away nor at home.
  if (!father || !mother) return false;
  const away = [father, mother].filter((p) => p.workingAway).length;
  if (away === 2) return true;
  const atHome = father.workingAway ? mother : father;
  return away === 1 && atHome.guardianshipCapacity === 'NONE';
}

/** Whether the facts make the child a child in distress: a reason is recorded. */
export const isInDistress = (facts: Pick<CategoryFacts, 'distressReasons'>) => facts.distressReasons.length > 0;

/** The categories the facts give the child on `today`, in the registry's order. */
export function categoriesOf(facts: CategoryFacts, today: string): Category[] {
  return [
    ...(isLeftBehind(facts, today) ? (['LEFT_BEHIND'] as const) : []),
    ...(isInDistress(facts) ? (['IN_DISTRESS'] as const) : []),
  ];
}

/** How recorded categories disagree with the facts on `today`; empty when they agree. */
export function categoryBreaches(categories: readonly string[], facts: CategoryFacts, today: string): Breach[] {
  const breaches: Breach[] = [];
  const leftBehind = isLeftBehind(facts, today);
  if (categories.includes('LEFT_BEHIND') !== leftBehind) {
    breaches.push({
      rule: 'LEFT_BEHIND',
      message: leftBehind
        ? `the facts make the child left behind: ${RULES.LEFT_BEHIND}`
        : `the facts do not make the child left behind: ${RULES.LEFT_BEHIND}`,
    });
  }
  if (categories.includes('IN_DISTRESS') !== isInDistress(facts)) {
    breaches.push({
      rule: 'IN_DISTRESS',
      message: isInDistress(facts)
        ? `distress reasons are recorded without IN_DISTRESS: ${RULES.IN_DISTRESS}`
        : `IN_DISTRESS needs a distress reason: ${RULES.IN_DISTRESS}`,
    });
  }
  return breaches;
}

/** A guardian's capacity and its reason agree: a reason for LIMITED or NONE, none for FULL. */
export function capacityBreach(capacity: GuardianshipCapacity, reason: IncapacityReason | null): Breach | null {
  if ((capacity === 'FULL') === (reason == null)) return null;
  return {
    rule: 'INCAPACITY_REASON',
    message:
      capacity === 'FULL' ? `a reason is for LIMITED or NONE capacity only` : `${capacity} capacity needs a reason`,
  };
}
