import { checkDigit, makeIdNumber, parseIdNumber } from '../src/domain/id-number';

describe('GB 11643 identity numbers', () => {
  test('accepts a valid number and reads birth date, gender and region from it', () => {
    // The standard's own worked example.
    expect(checkDigit('11010519491231002')).toBe('X');
    expect(parseIdNumber('11010519491231002X')).toEqual({
      regionCode: '110105',
      birthDate: '1949-12-31',
      gender: 'FEMALE',
    });
  });

  test.each([
    ['11010519491231002', 'must be 17 digits followed by a digit or X'],
    ['110105194912310021', 'check digit does not match (GB 11643)'],
    ['11010519490231002' + checkDigit('11010519490231002'), 'encodes an impossible birth date 1949-02-31'],
    ['11010530000101002' + checkDigit('11010530000101002'), 'encodes a birth date in the future (3000-01-01)'],
  ])('rejects %s', (value, error) => {
    expect(parseIdNumber(value)).toEqual({ error });
  });

  test('makes numbers that parse back to what they encode', () => {
    const id = makeIdNumber('630121', '2015-06-01', 7, 'MALE');
    expect(parseIdNumber(id)).toEqual({ regionCode: '630121', birthDate: '2015-06-01', gender: 'MALE' });
  });
});
