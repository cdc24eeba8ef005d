import DataLoader from 'dataloader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from clients; one that is not a UUID names no row (and must not reach SQL). */
export const isUuid = (id: string) => UUID.test(id);

/** Loads at most one row per key in one statement per tick. */
export function oneLoader<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string, valid = isUuid) {
  return new DataLoader<string, T | null>(async (keys) => {
    const wanted = keys.filter(valid);
    const rows = wanted.length ? await load(wanted) : [];
    const byKey = new Map(rows.map((r) => [keyOf(r), r]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** Loads the rows belonging to each key in one statement per tick. */
export function manyLoader<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const wanted = keys.filter(isUuid);
    const rows = wanted.length ? await load(wanted) : [];
    const byKey = new Map<string, T[]>();
    for (const r of rows) {
      const k = keyOf(r);
      const list = byKey.get(k);
      if (list) list.push(r);
      else byKey.set(k, [r]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}

/** Answers, for each key, whether `load` returns it: one statement per tick. */
export function existsLoader(load: (keys: string[]) => Promise<string[]>) {
  return new DataLoader<string, boolean>(async (keys) => {
    const wanted = keys.filter(isUuid);
    const found = new Set(wanted.length ? await load(wanted) : []);
    return keys.map((k) => found.has(k));
  });
}
