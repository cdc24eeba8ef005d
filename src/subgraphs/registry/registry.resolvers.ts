import { badInput } from '../../errors';
import { levelOf, parentOf, REGION_CODE_PATTERN } from '../../regions/region-code';
import { childRegions, regionLoader } from '../../regions/region.service';
import type { RegionRef } from '../references';
import { today } from '../input';
import { DateScalar, DateTimeScalar } from '../scalars';
import { ChildSchema, type Child } from './child.entity';
import * as children from './child.service';
import { childrenWithInadequateGuardianship, flagGuardianship } from './guardianship.service';
import * as census from './census.service';
import * as facts from './facts.service';
import { registryFigures, registryTrend } from './figures.service';
import * as history from './history.service';
import type { Resolvers } from './registry.generated';
import { loadChild, registryLoaders } from './registry.loaders';

const ref = (code: string | null): RegionRef | null => (code ? { code } : null);

export const registryResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    child: (_, { id, asOf }, ctx, info) => (asOf ? history.childAsOf(ctx, id, asOf) : loadChild(ctx, id, info)),
    childByIdNumber: (_, { idNumber }, ctx) => ctx.em.findOne(ChildSchema, { idNumber: idNumber.toUpperCase() }),
    children: (_, { filter, first, after }, ctx) => children.listChildren(ctx, filter, first ?? 20, after),
    region: (_, { code }, ctx) => regionLoader(ctx).load(code),
    regions: (_, { parentCode }, ctx) => {
      if (parentCode != null && !REGION_CODE_PATTERN.test(parentCode)) {
        throw badInput('parentCode', `"${parentCode}" is not a GB/T 2260 region code`);
      }
      return childRegions(ctx.em, parentCode ?? null);
    },
    childrenWithInadequateGuardianship: (_, { regionCode, first, after }, ctx) =>
      childrenWithInadequateGuardianship(ctx, regionCode, first ?? 20, after),
    censusImport: (_, { id }, ctx) => census.censusImport(ctx, id),
    censusImports: (_, { regionCode, first }, ctx) => census.censusImports(ctx, regionCode, first ?? 20),
    ledgerExport: (_, { regionCode, format }, ctx) => census.ledgerExport(ctx, regionCode, format),
    childFacts: (_, { ids }, ctx) => facts.childFacts(ctx, ids),
    guardianFacts: (_, { ids }, ctx) => facts.guardianFacts(ctx, ids),
    guardiansWithIdNumbers: (_, { idNumbers }, ctx) => facts.guardiansWithIdNumbers(ctx, idNumbers),
  },
  Mutation: {
    registerChild: (_, { input }, ctx) => children.registerChild(ctx, input),
    updateChild: (_, { input }, ctx) => children.updateChild(ctx, input),
    addGuardian: (_, { input }, ctx) => children.addGuardian(ctx, input),
    updateGuardian: (_, { input }, ctx) => children.updateGuardian(ctx, input),
    setGuardianship: (_, { input }, ctx) => children.setGuardianship(ctx, input),
    flagGuardianship: (_, { input }, ctx) => flagGuardianship(ctx, input),
    importCensus: (_, { input }, ctx) => census.importCensus(ctx, input),
  },
  Region: {
    __resolveReference: (r, ctx) => regionLoader(ctx).load(r.code),
    name: async (r, _, ctx) => r.name ?? (await regionLoader(ctx).load(r.code))?.name ?? r.code,
    level: (r) => levelOf(r.code)!,
    parent: (r) => ref(parentOf(r.code)),
  },
  Child: {
    __resolveReference: (c, ctx) => registryLoaders(ctx).child.load(c.id),
    householdRegion: (c) => ref(c.householdRegionCode)!,
    residenceRegion: (c) => ref(c.regionCode)!,
    age: (c) => children.ageOn(c.birthDate, today()),
    schoolAge: (c) => children.isSchoolAge(c),
    guardians: (c, _, ctx) => registryLoaders(ctx).guardiansOfChild.load(c.id),
    guardianship: (c, _, ctx) =>
      history.isAsOf(c) ? history.guardianshipAsOf(ctx, c) : registryLoaders(ctx).guardianshipOfChild.load(c.id),
  },
  Guardian: {
    __resolveReference: (g, ctx) => registryLoaders(ctx).guardian.load(g.id),
    workRegion: (g) => ref(g.workRegionCode),
  },
  RegionFigures: {
    __resolveReference: (f, ctx) => registryFigures(ctx, f),
  },
  MonthFigures: {
    __resolveReference: (m, ctx) => registryTrend(ctx, m),
  },
  ChildFacts: {
    regionCode: (c) => c.regionCode,
    ageOn: (c, { date }) => children.ageOn(c.birthDate, date),
  },
  CensusImport: {
    region: (r) => ({ code: r.regionCode }),
    noChange: (r) => r.status === 'ACCEPTED' && r.created + r.updated === 0,
    changes: (r, { first }, ctx) => census.censusChanges(ctx, r.id, first ?? 100),
  },
  CensusChange: {
    // A child who has since moved out of the caller's jurisdiction is shown by its id only.
    child: async (c, _, ctx) => (await registryLoaders(ctx).child.load(c.childId)) ?? ({ id: c.childId } as Child),
  },
  Guardianship: {
    entrustedGuardian: (g, _, ctx) =>
      g.entrustedGuardianId ? registryLoaders(ctx).guardian.load(g.entrustedGuardianId) : null,
  },
};
