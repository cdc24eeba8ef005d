import { CIVIL, fields, read, WOMEN, write, type AccessTable } from '../../policy/rules';

/**
 * The women's federation's family-education guidance and children's homes. Civil affairs reads
 * them too: it leads the care work in each county and supervises entrusted guardianship, so it
 * needs to know which guardians have had guidance (it keeps those guardians' records), and
 * children's homes are where its village child directors meet the children.
 */
const READERS = { ...WOMEN, ...CIVIL } as const;

export const womensFederationAccess: AccessTable = {
  'Query.guidanceSessions': read(READERS),
  'Query.childrensHomes': read(READERS),
  'Mutation.recordGuidanceSession': write(WOMEN),
  'Mutation.registerChildrensHome': write(WOMEN),
  'Mutation.updateChildrensHome': write(WOMEN),
  ...fields('GuidanceSession', READERS, [
    'id',
    'date',
    'topics',
    'place',
    'region',
    'host',
    'attendeeCount',
    'guardians',
  ]),
  ...fields('GuidanceAttendee', READERS, ['guardianId', 'relation']),
  ...fields('ChildrensHome', READERS, [
    'id',
    'name',
    'region',
    'address',
    'openingHours',
    'childrenServed',
    'activities',
    'updatedAt',
  ]),
  ...fields('GuidanceSessionConnection', READERS, ['edges', 'pageInfo', 'totalCount']),
  ...fields('GuidanceSessionEdge', READERS, ['cursor', 'node']),
};
