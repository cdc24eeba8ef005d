import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { HubContext } from '../../context';
import { badInput } from '../../errors';
import { levelOf, parentOf, REGION_CODE_PATTERN } from '../../regions/region-code';
import type { Region } from '../../regions/region.entity';
import { childRegions, regionLoader } from '../../regions/region.service';
import { DateScalar, DateTimeScalar } from '../scalars';
import { ChildSchema, type Child } from './child.entity';
import * as children from './child.service';
import type { Guardian } from './guardian.entity';
import type { Guardianship } from './guardianship.entity';
import { registryLoaders } from './registry.loaders';

type RegionRef = { code: string } & Partial<Region>;
const ref = (code: string | null): RegionRef | null => (code ? { code } : null);

export const registryResolvers: GraphQLResolverMap<HubContext> = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    child: (_, { id }: { id: string }, ctx: HubContext) => registryLoaders(ctx).child.load(id),
    childByIdNumber: (_, { idNumber }: { idNumber: string }, ctx: HubContext) =>
      ctx.em.findOne(ChildSchema, { idNumber: idNumber.toUpperCase() }),
    children: (_, args: { filter?: children.ChildFilter; first: number; after?: string }, ctx: HubContext) =>
      children.listChildren(ctx, args.filter, args.first, args.after),
    region: (_, { code }: { code: string }, ctx: HubContext) => regionLoader(ctx).load(code),
    regions: (_, { parentCode }: { parentCode?: string | null }, ctx: HubContext) => {
      if (parentCode != null && !REGION_CODE_PATTERN.test(parentCode)) {
        throw badInput('parentCode', `"${parentCode}" is not a GB/T 2260 region code`);
      }
      return childRegions(ctx.em, parentCode ?? null);
    },
  },
  Mutation: {
    registerChild: (_, { input }: { input: children.RegisterChildInput }, ctx: HubContext) =>
      children.registerChild(ctx, input),
    updateChild: (_, { input }: { input: children.UpdateChildInput }, ctx: HubContext) =>
      children.updateChild(ctx, input),
    addGuardian: (_, { input }: { input: children.AddGuardianInput }, ctx: HubContext) =>
      children.addGuardian(ctx, input),
    setGuardianship: (_, { input }: { input: children.SetGuardianshipInput }, ctx: HubContext) =>
      children.setGuardianship(ctx, input),
  },
  Region: {
    __resolveReference: (r: { code: string }, ctx: HubContext) => regionLoader(ctx).load(r.code),
    name: async (r: RegionRef, _, ctx: HubContext) => r.name ?? (await regionLoader(ctx).load(r.code))?.name,
    level: (r: RegionRef) => levelOf(r.code),
    parent: (r: RegionRef) => ref(parentOf(r.code)),
  },
  Child: {
    __resolveReference: (c: { id: string }, ctx: HubContext) => registryLoaders(ctx).child.load(c.id),
    householdRegion: (c: Child) => ref(c.householdRegionCode),
    residenceRegion: (c: Child) => ref(c.regionCode),
    schoolAge: (c: Child) => children.isSchoolAge(c),
    guardians: (c: Child, _, ctx: HubContext) => registryLoaders(ctx).guardiansOfChild.load(c.id),
    guardianship: (c: Child, _, ctx: HubContext) => registryLoaders(ctx).guardianshipOfChild.load(c.id),
  },
  Guardian: {
    workRegion: (g: Guardian) => ref(g.workRegionCode),
  },
  Guardianship: {
    entrustedGuardian: (g: Guardianship, _, ctx: HubContext) =>
      g.entrustedGuardianId ? registryLoaders(ctx).guardian.load(g.entrustedGuardianId) : null,
  },
};
