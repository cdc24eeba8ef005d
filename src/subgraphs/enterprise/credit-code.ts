/**
 * GB 32100 unified social credit code: registration authority (1 character), organisation type
 * (1), the registering authority's GB/T 2260 region (6 digits), the organisation's GB 11714 code
 * (9) and a check character. The alphabet leaves out I, O, S, V and Z.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

export function creditCodeCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why `code` is not a unified social credit code, or null when it is one. */
export function creditCodeError(code: string): string | null {
  if (!SHAPE.test(code)) {
    return 'must be 18 characters: digits and capital letters except I, O, S, V and Z, with digits 3 to 8 a region code';
  }
  if (creditCodeCheck(code.slice(0, 17)) !== code[17]) return 'check character does not match (GB 32100)';
  return null;
}

/** Builds a valid code; used for synthetic demo, test and benchmark enterprises. */
export function makeCreditCode(regionCode: string, serial: number): string {
  const body = String(serial).padStart(9, '0').slice(-9);
  const first17 = `91${regionCode.slice(0, 6)}${body}`;
  return first17 + creditCodeCheck(first17);
}
