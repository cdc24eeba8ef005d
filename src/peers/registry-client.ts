import type { ExecutionResult } from 'graphql';
import { perRequest, type HubContext } from '../context';
import { oneLoader } from '../db/loaders';
import { ErrorCode, HubError, notFound } from '../errors';

/**
 * What a department asks the registry before it writes a record about a child or a guardian:
 * that the child exists inside the caller's jurisdiction, where it lives, its age; whether a
 * guardian is the child's. Asked through the registry's own API (fields the public graph does
 * not show, in the permission table like every other), as the caller: the registry applies the
 * caller's jurisdiction and audits the read. In this process or over HTTP (src/peers/peers.ts).
 */
export interface ChildFacts {
  id: string;
  regionCode: string;
}

export interface GuardianFacts {
  id: string;
  childId: string;
  regionCode: string;
  relation: string;
}

export interface GuardianMatch extends GuardianFacts {
  idNumber: string;
}

/** Ids one question to the registry names at most (its facts API refuses more). */
const BATCH = 1_000;

/** `load` over `keys` a batch at a time, in order. */
async function inBatches<T>(keys: readonly string[], load: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += BATCH) out.push(...(await load(keys.slice(i, i + BATCH))));
  return out;
}

/** The registry's data, or its error with its code (FORBIDDEN, BAD_USER_INPUT…) as it gave it. */
async function ask<T>(ctx: HubContext, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = (await ctx.peers.of('registry').execute(ctx, query, variables)) as ExecutionResult<T>;
  const error = result.errors?.[0];
  if (error) {
    const code = error.extensions?.code;
    if (typeof code === 'string' && (Object.values(ErrorCode) as string[]).includes(code)) {
      throw new HubError(code as ErrorCode, error.message);
    }
    throw new Error(`the registry could not answer: ${error.message}`);
  }
  return result.data as T;
}

const childFacts = perRequest((ctx) =>
  oneLoader(
    (ids) =>
      inBatches(ids, async (ids) =>
        (
          await ask<{ childFacts: (ChildFacts | null)[] }>(
            ctx,
            `query ChildFacts($ids: [ID!]!) { childFacts(ids: $ids) { id regionCode } }`,
            { ids },
          )
        ).childFacts.filter((c): c is ChildFacts => c !== null),
      ),
    (c) => c.id,
  ),
);

const guardianFacts = perRequest((ctx) =>
  oneLoader(
    (ids) =>
      inBatches(ids, async (ids) =>
        (
          await ask<{ guardianFacts: (GuardianFacts | null)[] }>(
            ctx,
            `query GuardianFacts($ids: [ID!]!) { guardianFacts(ids: $ids) { id childId regionCode relation } }`,
            { ids },
          )
        ).guardianFacts.filter((g): g is GuardianFacts => g !== null),
      ),
    (g) => g.id,
  ),
);

/** The child, if it is registered inside the caller's jurisdiction; NOT_FOUND otherwise. */
export async function childInJurisdiction(ctx: HubContext, childId: string): Promise<ChildFacts> {
  const child = await childFacts(ctx).load(childId);
  if (!child) throw notFound('Child');
  return child;
}

/** The region a record about the child is scoped to: the child's own (NOT_FOUND outside the caller's jurisdiction). */
export const jurisdictionOfChild = async (ctx: HubContext, childId: string) =>
  (await childInJurisdiction(ctx, childId)).regionCode;

/** The child's age in whole years on `date` (YYYY-MM-DD). */
export async function ageOfChildOn(ctx: HubContext, childId: string, date: string): Promise<number> {
  const {
    childFacts: [child],
  } = await ask<{ childFacts: ({ ageOn: number } | null)[] }>(
    ctx,
    `query ChildAge($id: ID!, $date: Date!) { childFacts(ids: [$id]) { ageOn(date: $date) } }`,
    { id: childId, date },
  );
  if (!child) throw notFound('Child');
  return child.ageOn;
}

/** The guardian, if recorded inside the caller's jurisdiction; NOT_FOUND otherwise. */
export async function guardianInJurisdiction(ctx: HubContext, guardianId: string): Promise<GuardianFacts> {
  const guardian = await guardianFacts(ctx).load(guardianId);
  if (!guardian) throw notFound('Guardian');
  return guardian;
}

/** Whether `guardianId` is one of the child's guardians, as the registry records them. */
export async function isGuardianOf(ctx: HubContext, guardianId: string, childId: string): Promise<boolean> {
  return (await guardianFacts(ctx).load(guardianId))?.childId === childId;
}

/**
 * Guardians anywhere in the country holding one of these identity numbers: what the enterprise
 * subgraph asks to link its workers to registered children. National, because a worker's child
 * lives far from the workplace; the registry answers it to enterprise accounts only.
 */
export async function guardiansWithIdNumbers(ctx: HubContext, idNumbers: string[]): Promise<GuardianMatch[]> {
  return inBatches(
    idNumbers,
    async (batch) =>
      (
        await ask<{ guardiansWithIdNumbers: GuardianMatch[] }>(
          ctx,
          `query GuardiansWithIdNumbers($idNumbers: [String!]!) {
            guardiansWithIdNumbers(idNumbers: $idNumbers) { id childId regionCode relation idNumber }
          }`,
          { idNumbers: batch },
        )
      ).guardiansWithIdNumbers,
  );
}
