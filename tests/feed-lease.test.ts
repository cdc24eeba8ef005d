import { randomUUID } from 'node:crypto';
import { openSubgraphOrm } from '../src/db/orm';
import { runStatement } from '../src/db/statement';
import { Relay } from '../src/events/relay';
import { readEvent } from './helpers/audit';
import { startTestHub, type TestHub } from './helpers/hub';

/**
 * Replicas of a subgraph (several processes over its database) each run its relays: the one
 * holding a feed's lease follows it, the others stand by and take over when it stops or lapses.
 * Here replicas of the youth league follow the registry's audit chain (a feed it does not
 * otherwise follow), over the topology's own transport. Last, what each batch is: one
 * transaction of the follower's database.
 */
let hub: TestHub;
const relays: Relay[] = [];

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await hub.close();
});

const KEY = 'registry:audit';
// Long enough that a holder on a busy machine renews in time (at half of it); standby replicas ask every third.
const LEASE_MS = 3_000;

/** A replica's relay, recording the request ids of the rows it applied. */
function replica() {
  const applied: string[] = [];
  const relay = new Relay(
    hub.orm('youth-league'),
    'youth',
    {
      source: 'registry',
      feed: 'audit',
      async apply(_em, rows) {
        applied.push(...rows.map((row) => String(row.request_id)));
      },
    },
    hub.runtimes.get('youth-league')!.peers.of('registry'),
    { warn: () => undefined },
    { leaseMs: LEASE_MS },
  );
  relays.push(relay);
  relay.start();
  return { relay, applied };
}

/** Appends read events to a subgraph's chain (the registry's unless said); returns their request ids. */
async function read(n: number, subgraph = 'registry'): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await Promise.all(ids.map((id) => hub.runtimes.get(subgraph)!.reads.append(readEvent(id))));
  return ids;
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const lease = async () =>
  (await hub.sql<{ holder: string | null }>(`select holder from youth.inbox_cursor where source = $1`, [KEY]))[0];

test('one replica follows the feed while another stands by, and each row is applied once', async () => {
  const first = replica();
  await until(() => first.relay.leading);
  const second = replica();
  const ids = await read(3);
  await second.relay.settle();
  await first.relay.settle();
  expect(first.applied).toEqual(expect.arrayContaining(ids));
  expect(second.applied).toEqual([]);
  expect(second.relay.leading).toBe(false);
  expect((await lease()).holder).not.toBeNull();

  // Stopping, the follower lets the lease go: the replica takes over where it left off.
  await first.relay.stop();
  const later = await read(2);
  await second.relay.settle();
  expect(second.relay.leading).toBe(true);
  expect(second.applied.sort()).toEqual([...later].sort());
  expect(first.applied).not.toEqual(expect.arrayContaining(later));
  await second.relay.stop();
  expect((await lease()).holder).toBeNull();
});

test('a lease its holder stopped renewing (a crash) lapses, and a replica standing by takes over', async () => {
  await hub.sql(
    `update youth.inbox_cursor set holder = 'crashed replica', held_until = now() + $2 * interval '1 millisecond'
      where source = $1`,
    [KEY, 2 * LEASE_MS],
  );
  const ids = await read(2);
  const standing = replica();
  await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
  expect(standing.relay.leading).toBe(false);
  expect(standing.applied).toEqual([]);

  await standing.relay.settle();
  expect(standing.relay.leading).toBe(true);
  expect(standing.applied.sort()).toEqual([...ids].sort());
});

test('a batch is applied in one transaction on one connection: a failed attempt leaves nothing behind', async () => {
  // One connection: a relay whose statements left its transaction would wait for a second one until it timed out.
  const youth = hub.subgraphs.get('youth-league')!;
  const { orm } = await openSubgraphOrm(youth.def, youth.db.url, { pool: { min: 0, max: 1 }, debug: false });
  let attempts = 0;
  const relay = new Relay(
    orm,
    'youth',
    {
      source: 'education',
      feed: 'audit',
      async apply(em, rows) {
        await runStatement(
          em,
          {
            text: `insert into youth.inbox_cursor as c (source, position) values ('probe', $1)
                   on conflict (source) do update set position = c.position + excluded.position`,
          },
          [rows.length],
        );
        if (++attempts === 1) throw new Error('the first attempt fails after writing');
      },
    },
    hub.runtimes.get('youth-league')!.peers.of('education'),
    { warn: () => undefined },
  );
  try {
    await read(2, 'education');
    relay.start();
    await relay.settle();
  } finally {
    await relay.stop();
    await orm.close();
  }
  expect(attempts).toBeGreaterThan(1);
  const [probe] = await hub.sql<{ position: string }>(
    `select position::text as position from youth.inbox_cursor where source = 'probe'`,
  );
  // The failed attempt's write was rolled back with it: the probe counts each row once.
  expect(Number(probe.position)).toBe(await hub.count('education.audit_event'));
});
