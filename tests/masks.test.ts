import { Client } from 'pg';
import { DEPARTMENTS, ROLES } from '../src/auth/principal';
import { accessOf, FIELD_ACCESS } from '../src/policy/field-access';
import { FACT_CARRIERS, hiddenFacts, MASK_FACTS, MASKED_SUBJECTS } from '../src/policy/mask-facts';
import { MASKS, type MaskName } from '../src/policy/masks';
import type { AccessTable } from '../src/policy/rules';
import { SQL_MASKS } from '../src/subgraphs/registry/ledger-export.service';

const ALL_ROLES = [...ROLES];

/**
 * Every place where a department is shown a field masked while it sees in full, in other fields,
 * enough of what the mask hides to rebuild it: all hidden facts, or all but one where the masked
 * form keeps a check digit over them. Standing access only: a relationship check (an open case,
 * an emergency grant) that lifts a field to full entitles the department to what it shows.
 */
function leaks(table: AccessTable, carriers: Record<string, readonly string[]>): string[] {
  const found: string[] = [];
  for (const [key, rule] of Object.entries(table)) {
    if (!rule.mask) continue;
    for (const dept of DEPARTMENTS) {
      if (accessOf(rule, dept, ALL_ROLES) !== 'masked') continue;
      const facts = hiddenFacts(key, rule.mask);
      const seen = facts.flatMap((fact) =>
        (carriers[fact] ?? [])
          .filter((field) => accessOf(table[field], dept, ALL_ROLES) === 'full')
          .map((field) => ({ fact, field })),
      );
      const unknown = facts.length - new Set(seen.map(({ fact }) => fact)).size;
      if (unknown < (MASK_FACTS[rule.mask].checkDigit ? 2 : 1)) {
        found.push(`${dept} sees ${key} masked, and ${seen.map((s) => `${s.fact} in ${s.field}`).join(', ')}`);
      }
    }
  }
  return found;
}

describe('a mask cannot be undone from what the same department sees', () => {
  test('no department sees in full what a mask hides from it', () => {
    expect(leaks(FIELD_ACCESS, FACT_CARRIERS)).toEqual([]);
  });

  test('every masked field says what it is about, and every fact it hides names the fields that carry it', () => {
    for (const [key, rule] of Object.entries(FIELD_ACCESS)) {
      if (!rule.mask) continue;
      expect([key, MASKED_SUBJECTS[key]]).toEqual([key, expect.any(String)]);
      for (const fact of hiddenFacts(key, rule.mask))
        expect([fact, FACT_CARRIERS[fact]]).toEqual([fact, expect.arrayContaining([key])]);
    }
    const carriers = Object.values(FACT_CARRIERS).flat();
    expect(carriers.filter((field) => !FIELD_ACCESS[field])).toEqual([]);
  });

  test('a later grant that would undo a mask is caught', () => {
    // Education sees identity numbers masked; the birth date beside them gives the hidden digits.
    const withBirthDate: AccessTable = {
      ...FIELD_ACCESS,
      'Child.birthDate': { access: { ...FIELD_ACCESS['Child.birthDate'].access, EDUCATION: 'full' } },
    };
    expect(leaks(withBirthDate, FACT_CARRIERS)).toEqual([
      'EDUCATION sees Child.idNumber masked, and child: birthYear in Child.birthDate, child: birthMonth in Child.birthDate, child: birthDay in Child.birthDate',
    ]);
    // Year and month alone would do as well: the check digit left in the masked number gives the day.
    const withBirthMonth: AccessTable = { ...FIELD_ACCESS, 'Child.birthMonth': { access: { EDUCATION: 'full' } } };
    const monthCarriers = {
      ...FACT_CARRIERS,
      'child: birthYear': [...FACT_CARRIERS['child: birthYear'], 'Child.birthMonth'],
      'child: birthMonth': [...FACT_CARRIERS['child: birthMonth'], 'Child.birthMonth'],
    };
    expect(leaks(withBirthMonth, monthCarriers)).toEqual([
      expect.stringMatching(/^EDUCATION sees Child\.idNumber masked/),
    ]);
    // Justice sees a child's name masked until it has a case; a case's record of the name would give it away.
    const withChildName: AccessTable = {
      ...FIELD_ACCESS,
      'ProtectionCase.childName': { access: { ...FIELD_ACCESS['ProtectionCase.childName'].access, JUSTICE: 'full' } },
    };
    expect(leaks(withChildName, FACT_CARRIERS)).toContain(
      'JUSTICE sees Child.name masked, and child: givenName in ProtectionCase.childName',
    );
  });
});

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
