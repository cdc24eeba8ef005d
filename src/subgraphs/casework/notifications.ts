import type { HubContext } from '../../context';
import { pgArray } from '../../db/pg-array';
import { isUuid } from '../../db/loaders';
import { badInput } from '../../errors';
import { jurisdictionPattern } from '../../policy/jurisdiction';
import { checkPageSize, MAX_PAGE, pageFrom, type Connection } from '../connection';
import type { EventKind } from './outbox';

/** An outbox event as the caller's inbox shows it. */
export interface Notification {
  id: string;
  kind: EventKind;
  caseId: string;
  subjectId: string | null;
  regionCode: string;
  occurredAt: Date;
  read: boolean;
  seq: string;
}

export type NotificationConnection = Pick<Connection<Notification>, 'edges' | 'pageInfo'> & {
  unreadCount: () => Promise<number>;
};

/**
 * The caller's inbox: events for its department whose region lies in its jurisdiction (the same
 * rule as every row), so a county unit sees its townships' events and escalations to the county,
 * a township unit its own. Read marks are kept per account.
 */
export async function notifications(
  ctx: HubContext,
  unreadOnly: boolean,
  first: number,
  after?: string | null,
): Promise<NotificationConnection> {
  checkPageSize(first);
  if (after != null && !/^\d{1,18}$/.test(after)) throw badInput('after', 'is not a cursor from this connection');
  const scope = [ctx.principal.sub, ctx.principal.dept, jurisdictionPattern(ctx.em)];
  const from = `from casework.outbox_event e
     left join casework.notification_read r on r.event_id = e.id and r.account = ?
     where e.department = ? and e.region_code like ?`;
  const rows: Record<string, unknown>[] = await ctx.em.getConnection().execute(
    `select e.id, e.kind, e.case_id, e.subject_id, e.region_code, e.occurred_at, e.seq::text as seq,
            r.event_id is not null as read
       ${from} ${unreadOnly ? 'and r.event_id is null' : ''} ${after != null ? 'and e.seq < ?' : ''}
      order by e.seq desc limit ?`,
    [...scope, ...(after != null ? [after] : []), first + 1],
  );
  const nodes = rows.map((row): Notification => ({
    id: String(row.id),
    kind: row.kind as EventKind,
    caseId: String(row.case_id),
    subjectId: row.subject_id == null ? null : String(row.subject_id),
    regionCode: String(row.region_code),
    occurredAt: new Date(row.occurred_at as string),
    read: Boolean(row.read),
    seq: String(row.seq),
  }));
  return {
    ...pageFrom(nodes, first, after, (node) => node.seq),
    unreadCount: async () => {
      const [row] = await ctx.em
        .getConnection()
        .execute(`select count(*)::int as n ${from} and r.event_id is null`, scope);
      return Number(row.n);
    },
  };
}

/** Marks events of the caller's inbox as read for the calling account; others' ids are ignored. */
export async function markRead(ctx: HubContext, ids: readonly string[]): Promise<number> {
  if (ids.length > MAX_PAGE) throw badInput('ids', `at most ${MAX_PAGE} at a time`);
  if (!ids.every(isUuid)) throw badInput('ids', 'must be notification ids');
  const rows: unknown[] = await ctx.em.getConnection().execute(
    `insert into casework.notification_read (event_id, account, read_at)
     select e.id, ?, ? from casework.outbox_event e
      where e.id = any(?::uuid[]) and e.department = ? and e.region_code like ?
     on conflict do nothing returning event_id`,
    [ctx.principal.sub, ctx.clock.now().toISOString(), pgArray(ids), ctx.principal.dept, jurisdictionPattern(ctx.em)],
  );
  return rows.length;
}
