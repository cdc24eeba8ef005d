import type { HubContext } from '../../context';
import { flushOrConflict } from '../../db/flush';
import { badInput, notFound } from '../../errors';
import { findPage } from '../connection';
import { regionPrefix, requireText } from '../input';
import type { ChildConnection } from './child.service';
import { GuardianshipSchema, type Guardianship } from './guardianship.entity';
import type { FlagGuardianshipInput } from './registry.generated';
import { registryLoaders } from './registry.loaders';

/**
 * Civil affairs' judgement that a child's guardianship is (in)adequate. A new arrangement
 * (`setGuardianship`) leaves the flag as it is: only this judgement clears it.
 */
export async function flagGuardianship(ctx: HubContext, input: FlagGuardianshipInput): Promise<Guardianship> {
  const read = await registryLoaders(ctx).guardianshipOfChild.load(input.childId);
  if (!read) throw notFound('Guardianship');
  const guardianship = ctx.em.merge(GuardianshipSchema, read);
  if (input.adequate) {
    if (input.reason?.trim()) throw badInput('reason', 'is given only for an inadequate guardianship');
    ctx.em.assign(guardianship, { inadequate: false, inadequateReason: null, flaggedAt: null });
  } else {
    ctx.em.assign(guardianship, {
      inadequate: true,
      inadequateReason: requireText('reason', input.reason, 1000),
      flaggedAt: guardianship.flaggedAt ?? new Date(),
    });
  }
  await flushOrConflict(ctx.em);
  return guardianship;
}

/** Children of the caller's jurisdiction whose guardianship is flagged inadequate, in village order. */
export async function childrenWithInadequateGuardianship(
  ctx: HubContext,
  regionCode: string | null | undefined,
  first: number,
  after?: string | null,
): Promise<ChildConnection> {
  const where = { inadequate: true, ...regionPrefix('regionCode', regionCode) };
  const page = await findPage(ctx.em, GuardianshipSchema, where, 'childId', first, after);
  const children = await registryLoaders(ctx).child.loadMany(page.edges.map((e) => e.node.childId));
  return {
    ...page,
    edges: page.edges.flatMap(({ cursor }, i) => {
      const node = children[i];
      return node && !(node instanceof Error) ? [{ cursor, node }] : [];
    }),
  };
}
