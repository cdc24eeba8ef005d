import type { Subscription } from '../../events/relay';
import { runStatement } from '../../db/statement';

/**
 * The audit service keeps a copy of every subgraph's audit chain, row for row, in the order each
 * committed: the one place that answers who read or changed a child's record, whichever
 * department's data it was. A copied row keeps its source's id and hashes (`hub audit verify`
 * checks them against the source); a row delivered twice is copied once.
 */
export function copyAuditChain(source: string): Subscription {
  return {
    source,
    feed: 'audit',
    // The copy is not on a request's path (each subgraph's own chain is the record it waits
    // for): under load it copies what a tenth of a second brought, in one transaction.
    linger: 100,
    async apply(em, rows) {
      await runStatement(
        em,
        {
          text: `insert into audit.event (source, source_id, at, kind, account, dept, region_code, purpose, request_id,
                                          operation, child_ids, payload, prev_hash, hash)
                 select $1, r.id, r.at, r.kind, r.account, r.dept, r.region_code, r.purpose, r.request_id,
                        r.operation, r.child_ids, r.payload, r.prev_hash, r.hash
                   from json_to_recordset($2::json) as r(id bigint, at timestamptz, kind text, account text, dept text,
                        region_code text, purpose text, request_id text, operation text, child_ids uuid[], payload text,
                        prev_hash text, hash text)
                  order by r.id
                 on conflict (source, source_id) do nothing`,
        },
        [source, JSON.stringify(rows)],
      );
    },
  };
}
