import type { FilterQuery } from '@mikro-orm/core';
import type { AuditEvent as AuditEventPayload } from '../../audit/audit-log';
import type { HubContext } from '../../context';
import { isUuid } from '../../db/loaders';
import { badInput } from '../../errors';
import { JURISDICTION } from '../../policy/jurisdiction';
import { regionLoader } from '../../regions/region.service';
import { jurisdictionOfChild } from '../../peers/registry-client';
import type { AuditEventFilter } from './audit.generated';
import { AuditEventSchema, type AuditEvent } from './audit-event.entity';

const MAX_PAGE = 200;

/** Events of accounts in the auditor's jurisdiction, newest first, a page at a time. */
export async function auditEvents(
  ctx: HubContext,
  filter: AuditEventFilter | null | undefined,
  first: number,
  after?: string | null,
) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput('first', `must be 1 to ${MAX_PAGE}`);
  const where: FilterQuery<AuditEvent> = {};
  if (filter?.childId) {
    if (!isUuid(filter.childId)) throw badInput('filter.childId', 'must be a child id');
    where.childIds = { $contains: [filter.childId] };
  }
  if (filter?.account) where.account = filter.account;
  // The DateTime scalar has already refused anything but an ISO 8601 instant.
  if (filter?.from || filter?.to) {
    where.at = {
      ...(filter.from ? { $gte: new Date(filter.from) } : {}),
      ...(filter.to ? { $lt: new Date(filter.to) } : {}),
    };
  }
  if (after) {
    if (!/^\d+$/.test(after)) throw badInput('after', 'not a cursor from this connection');
    where.id = { $lt: after };
  }
  const rows = await ctx.em.find(AuditEventSchema, where, { orderBy: { id: 'desc' }, limit: first + 1 });
  const nodes = rows.slice(0, first);
  return {
    edges: nodes.map((node) => ({ cursor: node.id, node })),
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: nodes[0]?.id ?? null,
      endCursor: nodes.at(-1)?.id ?? null,
    },
  };
}

export const payloadOf = (event: AuditEvent) => JSON.parse(event.payload) as AuditEventPayload;

/** What an event touched, in words: the fields read, or the records written. */
export function whatOf(event: AuditEvent): string[] {
  const payload = payloadOf(event);
  return event.kind === 'READ' ? payload.fields : payload.changes.map((c) => `${c.entity} ${c.op}d`);
}

/**
 * Every event that touched one child of the caller's jurisdiction, oldest first, whoever the
 * acting account was: the child is checked against the caller's jurisdiction, and the events are
 * then selected by that child, not by the acting accounts' regions.
 */
export async function accessLog(ctx: HubContext, childId: string) {
  if (!isUuid(childId)) throw badInput('childId', 'must be a child id');
  await jurisdictionOfChild(ctx, childId);
  const events = await ctx.em.find(
    AuditEventSchema,
    { childIds: { $contains: [childId] } },
    { filters: { [JURISDICTION]: false }, orderBy: { at: 'asc', id: 'asc' } },
  );
  const regions = await regionLoader(ctx).loadMany([...new Set(events.map((e) => e.regionCode))]);
  const names = new Map(regions.flatMap((r) => (r && !(r instanceof Error) ? [[r.code, r.name] as const] : [])));
  const entries = events.map((e) => ({
    at: e.at,
    kind: e.kind,
    department: e.dept,
    unit: { code: e.regionCode },
    purpose: e.purpose,
    what: whatOf(e),
  }));
  const lines = entries.map(
    (e) =>
      `${e.at.toISOString()}  ${e.department}, ${e.unit.code} ${names.get(e.unit.code) ?? ''}`.trimEnd() +
      `  ${e.kind === 'READ' ? 'read' : 'changed'} ${e.what.join(', ')}  purpose: ${e.purpose ?? 'none declared'}`,
  );
  const report = [
    `Access log of child ${childId}, produced ${new Date().toISOString()}`,
    `${entries.length} recorded accesses (time in UTC, department and unit, what, purpose):`,
    ...lines,
  ].join('\n');
  return { childId, entries, report };
}
