import { Client } from 'pg';
import { MASKS, type MaskName } from '../src/policy/masks';
import { SQL_MASKS } from '../src/subgraphs/supervision/ledger-export.service';

describe('the census ledger export masks in SQL exactly as the API does', () => {
  let db: Client;
  beforeAll(async () => {
    db = new Client({ connectionString: process.env.HUB_TEST_SERVER_URL });
    await db.connect();
  });
  afterAll(() => db.end());

  const SAMPLES: Record<MaskName, (string | null)[]> = {
    idNumber: ['63012120160304515X', '110105200911110026', null],
    phone: ['13712345678', '0971-5551234', '1234567', '', null],
    name: ['祁明', '欧阳小芳', 'A', '', null],
    township: ['630121101200', '630121101', null],
    withheld: ['在亲属家', '', null],
  };
  const inJs = (mask: MaskName, value: string | null) =>
    mask === 'township'
      ? ((MASKS.township(value && { code: value }) as { code: string } | null)?.code ?? null)
      : MASKS[mask](value);

  test.each(Object.keys(SAMPLES) as MaskName[])('%s', async (mask) => {
    for (const value of SAMPLES[mask]) {
      const { rows } = await db.query(`select ${SQL_MASKS[mask]('v')} as masked from (select $1::text as v) s`, [
        value,
      ]);
      expect([value, rows[0].masked]).toEqual([value, inJs(mask, value)]);
    }
  });
});
