import type { MaskName } from './masks';

/**
 * What masking keeps from a department, stated as facts so that a grant elsewhere cannot quietly
 * undo it: a department shown an identity number without its birth date must not see the birth
 * date in another field. tests/mask-facts.test.ts walks the permission table with these
 * declarations and fails where a department sees in full a fact a mask hides from it.
 */
export interface MaskFacts {
  /** The parts of a value the mask leaves out. */
  hides: readonly string[];
  /**
   * The masked form still shows a check digit computed over the hidden parts, so one hidden
   * part that is not known elsewhere is found from the others: two must stay unknown.
   */
  checkDigit?: true;
}

export const MASK_FACTS: Record<MaskName, MaskFacts> = {
  // 630102********515X: the 8 digits of the birth date; the check digit (the X) is shown.
  idNumber: { hides: ['birthYear', 'birthMonth', 'birthDay'], checkDigit: true },
  phone: { hides: ['middleDigits'] },
  name: { hides: ['givenName'] },
  township: { hides: ['village'] },
  withheld: { hides: ['text'] },
};

/**
 * Whom or what each masked field's value is about: a hidden part becomes a fact about that
 * subject (`child: birthDay`), which other fields may carry. Every field some department sees
 * masked is named here.
 */
export const MASKED_SUBJECTS: Record<string, string> = {
  'Child.idNumber': 'child',
  'Child.name': 'child',
  'Child.residenceRegion': 'child residence',
  'Child.householdRegion': 'child household registration',
  'Guardian.idNumber': 'guardian',
  'Guardian.name': 'guardian',
  'Guardian.phone': 'guardian',
  'Volunteer.phone': 'volunteer',
  'ProtectionCase.childName': 'child',
  'ProtectionCase.place': 'child residence',
  'ProtectionCase.address': 'concern address',
  'ProtectionCase.narrative': 'report',
  'Placement.address': 'placement address',
  'ConflictTask.region': 'child residence',
};

/**
 * The fields that show each fact in full. A field about a child's case or record counts when its
 * value states the fact for that child: the place and address of a concern are, mostly, where
 * the child lives; a conflict task is filed under the child's village.
 */
export const FACT_CARRIERS: Record<string, readonly string[]> = {
  'child: birthYear': ['Child.birthDate', 'Child.idNumber'],
  'child: birthMonth': ['Child.birthDate', 'Child.idNumber'],
  'child: birthDay': ['Child.birthDate', 'Child.idNumber'],
  'child: givenName': ['Child.name', 'ProtectionCase.childName'],
  'child residence: village': [
    'Child.residenceRegion',
    'ProtectionCase.place',
    'ProtectionCase.address',
    'Placement.address',
    'ConflictTask.region',
  ],
  'child household registration: village': ['Child.householdRegion'],
  'guardian: birthYear': ['Guardian.idNumber'],
  'guardian: birthMonth': ['Guardian.idNumber'],
  'guardian: birthDay': ['Guardian.idNumber'],
  'guardian: givenName': ['Guardian.name'],
  'guardian: middleDigits': ['Guardian.phone'],
  'volunteer: middleDigits': ['Volunteer.phone'],
  'concern address: text': ['ProtectionCase.address'],
  'report: text': ['ProtectionCase.narrative'],
  'placement address: text': ['Placement.address'],
};

/** The facts a masked field hides: its mask's parts, about the field's subject. */
export const hiddenFacts = (field: string, mask: MaskName) =>
  MASK_FACTS[mask].hides.map((part) => `${MASKED_SUBJECTS[field]}: ${part}`);
