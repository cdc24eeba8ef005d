import fc from 'fast-check';
import { scopedFind } from '../src/db/scoped-read';
import { NATIONAL_SCOPE, scopedEntityManager } from '../src/policy/jurisdiction';
import { ChildSchema } from '../src/subgraphs/registry/child.entity';
import { GuardianSchema } from '../src/subgraphs/registry/guardian.entity';
import { startTestHub, type TestHub } from './helpers/hub';

/**
 * Property: for any caller region and any tree of regions, a scoped entity manager returns
 * exactly the rows under the caller's prefix, and a write succeeds exactly when the row lies
 * under it. The tree is synthetic on purpose: the filter must not depend on real codes.
 */
let hub: TestHub;
const villages: string[] = [];
let someChildId: string;

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const LEVELS = [2, 4, 6, 9, 12];

beforeAll(async () => {
  hub = await startTestHub();
  const tree = fc.sample(fc.tuple(digits(2), digits(2), digits(2), digits(3), digits(3)), { numRuns: 40, seed: 7 });
  // Deepen the tree: siblings under shared prefixes, so prefixes cut across branches.
  for (const [p, c, k, t, v] of tree) {
    villages.push(`${p}${c}${k}${t}${v}`, `${p}${c}${k}${t}${v.split('').reverse().join('')}`, `${p}${c}${k}999${v}`);
  }
  const em = scopedEntityManager(hub.orm('registry').em, NATIONAL_SCOPE);
  villages.forEach((regionCode, i) =>
    em.create(ChildSchema, {
      name: `child ${i}`,
      gender: 'MALE',
      birthDate: '2015-01-01',
      idNumber: String(i).padStart(18, '0'),
      categories: ['LEFT_BEHIND'],
      householdRegionCode: regionCode,
      regionCode,
      status: 'ACTIVE',
    } as never),
  );
  await em.flush();
  someChildId = (await em.findOneOrFail(ChildSchema, {}, { fields: ['id'] })).id;
});

afterAll(() => hub.close());

/** A caller region: a prefix of a village in the tree at some level, or an unrelated code. */
const callerRegion = () =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...villages), fc.constantFrom(...LEVELS)).map(([v, n]) => v.slice(0, n)),
    fc.constantFrom(...LEVELS).chain((n) => digits(n)),
  );

/** Thousands of runs: a safety limit for a loaded machine, not a speed check. */
const PROPERTY_TIMEOUT = 300_000;

test(
  'reads: exactly the rows under the caller’s prefix, never one outside',
  async () => {
    await fc.assert(
      fc.asyncProperty(callerRegion(), async (region) => {
        const rows = await scopedEntityManager(hub.orm('registry').em, region).find(
          ChildSchema,
          {},
          { fields: ['regionCode'] },
        );
        const seen = rows.map((r) => r.regionCode).sort();
        const expected = villages.filter((v) => v.startsWith(region)).sort();
        expect(seen).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  },
  PROPERTY_TIMEOUT,
);

test(
  'list pages (scopedFind): whatever region a condition names, only rows under the caller’s prefix',
  async () => {
    await fc.assert(
      fc.asyncProperty(callerRegion(), callerRegion(), async (region, asked) => {
        const em = scopedEntityManager(hub.orm('registry').em, region);
        const rows = await scopedFind(
          em,
          ChildSchema,
          { regionCode: { $like: `${asked}%` } },
          {
            orderBy: { regionCode: 'asc', id: 'asc' },
            limit: villages.length + 1,
          },
        );
        const seen = rows.map((r) => r.regionCode).sort();
        const expected = villages.filter((v) => v.startsWith(region) && v.startsWith(asked)).sort();
        expect(seen).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  },
  PROPERTY_TIMEOUT,
);

test('writes: a row is written exactly when it lies under the caller’s prefix', async () => {
  await fc.assert(
    fc.asyncProperty(callerRegion(), fc.constantFrom(...villages), async (region, target) => {
      const em = scopedEntityManager(hub.orm('registry').em, region);
      await em.begin();
      try {
        em.create(GuardianSchema, {
          childId: someChildId,
          regionCode: target,
          relation: 'MOTHER',
          name: 'x',
          custodian: false,
          workingAway: false,
        } as never);
        const wrote = await em.flush().then(
          () => true,
          (err) => {
            if (err?.extensions?.code !== 'FORBIDDEN') throw err;
            return false;
          },
        );
        expect(wrote).toBe(target.startsWith(region));
      } finally {
        await em.rollback();
      }
    }),
    { numRuns: 500 },
  );
  expect(await hub.count('registry.guardian')).toBe(0);
});
