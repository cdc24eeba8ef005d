/** How a guardian is related to the child: the registry records it, departments refer to it. */
export type GuardianRelation =
  'FATHER' | 'MOTHER' | 'GRANDPARENT' | 'OTHER_RELATIVE' | 'ENTRUSTED_PERSON' | 'INSTITUTION';
