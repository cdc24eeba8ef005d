import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { copyValue } from '../src/db/copy-value';

export type Queryable = Pick<PoolClient, 'query'>;

/**
 * Inserts rows column-wise with `unnest`: one statement per batch, no per-row round trips.
 * An array column travels as its text literal and is cast back, since unnest flattens arrays.
 */
export async function bulkInsert(db: Queryable, table: string, columns: string[], types: string[], rows: unknown[][]) {
  const size = 5_000;
  const selects = types.map((t, c) => (t.endsWith('[]') ? `c${c}::${t}` : `c${c}`)).join(', ');
  const sources = types.map((t, c) => `$${c + 1}::${t.endsWith('[]') ? 'text' : t}[]`).join(', ');
  const names = columns.map((_, c) => `c${c}`).join(', ');
  for (let i = 0; i < rows.length; i += size) {
    const batch = rows.slice(i, i + size);
    const params = columns.map((_, c) =>
      batch.map((r) => (Array.isArray(r[c]) ? `{${(r[c] as unknown[]).join(',')}}` : r[c])),
    );
    await db.query(
      `insert into ${table} (${columns.join(', ')}) select ${selects} from unnest(${sources}) as u(${names})`,
      params,
    );
  }
}

function* copyText(rows: Iterable<unknown[]>): Generator<string> {
  let text = '';
  for (const row of rows) {
    text += `${row.map(copyValue).join('\t')}\n`;
    if (text.length >= 1 << 16) {
      yield text;
      text = '';
    }
  }
  if (text) yield text;
}

/** Streams rows into a table with COPY ... FROM STDIN: the fast way to load many rows. */
export async function copyRows(db: Queryable, table: string, columns: string[], rows: Iterable<unknown[]>) {
  // A seed transaction across databases hands out its connection once it has one: the stream comes in a promise.
  const stream = await (db.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)) as
    CopyStreamQuery | Promise<CopyStreamQuery>);
  await pipeline(Readable.from(copyText(rows)), stream);
}
