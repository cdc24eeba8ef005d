import type { EntityManager } from '@mikro-orm/core';
import { perRequest, type HubContext } from '../context';
import { oneLoader } from '../db/loaders';
import { badInput } from '../errors';
import { levelOf, REGION_CODE_PATTERN, type RegionLevel } from './region-code';
import { RegionSchema, type Region } from './region.entity';

/**
 * Regions are reference data the hub never writes, so each database's regions are kept in
 * memory once read: a child's village and township then cost no statement at all. Keyed by
 * the ORM's configuration, one per database; plain copies, so no request's entities are kept.
 */
const regionCaches = new WeakMap<object, Map<string, Region>>();

function cacheFor(em: EntityManager): Map<string, Region> {
  let cache = regionCaches.get(em.config);
  if (!cache) regionCaches.set(em.config, (cache = new Map()));
  return cache;
}

export const regionLoader = perRequest(({ em }) => {
  const cache = cacheFor(em);
  return oneLoader(
    async (codes) => {
      const missing = codes.filter((code) => !cache.has(code));
      if (missing.length) {
        for (const { code, name, level, parentCode } of await em.find(RegionSchema, { code: { $in: missing } })) {
          cache.set(code, { code, name, level, parentCode });
        }
      }
      return codes.flatMap((code) => cache.get(code) ?? []);
    },
    (r) => r.code,
    (code) => REGION_CODE_PATTERN.test(code),
  );
});

/**
 * Checks a region code given in input: it must exist and, when `levels` is given, be at one
 * of those levels. Returns the region.
 */
export async function requireRegion(
  ctx: HubContext,
  field: string,
  code: string,
  levels?: RegionLevel[],
): Promise<Region> {
  const level = levelOf(code);
  if (!level) throw badInput(field, `"${code}" is not a GB/T 2260 region code`);
  if (levels && !levels.includes(level)) {
    throw badInput(field, `must be a ${levels.join(' or ').toLowerCase()} code, "${code}" is a ${level.toLowerCase()}`);
  }
  const region = await regionLoader(ctx).load(code);
  if (!region) throw badInput(field, `region ${code} does not exist`);
  return region;
}

export function childRegions(em: EntityManager, parentCode: string | null) {
  return em.find(RegionSchema, { parentCode }, { orderBy: { code: 'asc' } });
}
