import { CIVIL, fields, read, STATISTICS, write, YOUTH, type AccessTable } from '../../policy/rules';

/**
 * The youth league's care work. Civil affairs, which keeps the registry and coordinates care,
 * reads who visits which child and what children took part in, but not volunteers' phone
 * numbers in full: the youth league is the one that calls them.
 */
const READERS = { ...YOUTH, ...CIVIL } as const;

export const youthLeagueAccess: AccessTable = {
  'Query.volunteers': read(READERS),
  'Query.activities': read(READERS),
  'Mutation.registerVolunteer': write(YOUTH),
  'Mutation.pairVolunteer': write(YOUTH),
  'Mutation.endPairing': write(YOUTH),
  'Mutation.recordActivity': write(YOUTH),
  'Child.carePairings': { access: READERS },
  'Child.activities': { access: READERS },
  ...fields('Volunteer', READERS, ['id', 'name', 'organisation', 'region', 'pairings']),
  'Volunteer.phone': { access: { ...YOUTH, CIVIL_AFFAIRS: 'masked' }, mask: 'phone' },
  ...fields('CarePairing', READERS, ['id', 'volunteer', 'child', 'startDate', 'endDate', 'visitFrequency']),
  ...fields('Activity', READERS, ['id', 'kind', 'date', 'place', 'region', 'children']),
  ...fields('VolunteerConnection', READERS, ['edges', 'pageInfo', 'totalCount']),
  ...fields('VolunteerEdge', READERS, ['cursor', 'node']),
  ...fields('ActivityConnection', READERS, ['edges', 'pageInfo', 'totalCount']),
  ...fields('ActivityEdge', READERS, ['cursor', 'node']),
  // The youth league's region statistics (src/subgraphs/region-figures.ts).
  ...fields('RegionFigures', STATISTICS, ['visits']),
  ...fields('MonthFigures', STATISTICS, ['visits']),
  ...fields('VisitCoverage', STATISTICS, ['due', 'visited', 'percent']),
};
