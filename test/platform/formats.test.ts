import { describe, expect, it } from 'vitest';
import { checkUscc, computeUsccCheckChar, describeFormat, formatCheck, isValidUscc } from '../../connectors/platform/formats.js';

describe('USCC check character', () => {
  // Codes published on business licences of large companies; they must verify as they are.
  const published = ['914403001922038216', '91330100716105852F', '91440300708461136T', '91110000802100433B'];

  it.each(published)('accepts published code %s', (code) => {
    expect(checkUscc(code)).toBeUndefined();
    expect(computeUsccCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
  });

  it('computes the fixture codes', () => {
    expect(computeUsccCheckChar('91440300MA5FUJ8R4')).toBe('X');
    expect(computeUsccCheckChar('91440300MA5G2KL7X')).toBe('5');
    expect(computeUsccCheckChar('91330201MA2H7Q3N8')).toBe('C');
  });

  it('maps a remainder of 31 to 0', () => {
    expect(computeUsccCheckChar('91310000MA1FL5LX7')).toBe('0');
    expect(isValidUscc('91310000MA1FL5LX70')).toBe(true);
  });

  it('reports the expected check character', () => {
    expect(checkUscc('914403001922038217')).toEqual({ code: 'bad_check_char', expected: '6' });
    expect(checkUscc('91440300MA5XXXXXXX')).toEqual({ code: 'bad_check_char', expected: 'R' });
  });

  it.each([
    ['letter I', '91440300MA5FUJ8RIX'],
    ['letter O', '9144030OMA5FUJ8R4X'],
    ['lower case', '91440300ma5fuj8r4x'],
    ['letter in region', '9144A300MA5FUJ8R4X'],
    ['17 characters', '91440300MA5FUJ8R4'],
    ['19 characters', '91440300MA5FUJ8R4XX'],
  ])('rejects %s as a bad pattern', (_name, code) => {
    expect(checkUscc(code)).toEqual({ code: 'bad_pattern' });
  });

  it('throws for input outside the alphabet', () => {
    expect(() => computeUsccCheckChar('9144030')).toThrow(RangeError);
    expect(() => computeUsccCheckChar('91440300MA5FUJ8SZ')).toThrow(/not in the alphabet/);
  });
});

describe('named format patterns', () => {
  const cases: [Parameters<typeof formatCheck>[0], string, boolean][] = [
    ['customsCode', '4403966B2K', true],
    ['customsCode', '1105910159', true],
    ['customsCode', '4403966b2k', false],
    ['customsCode', '440396B2K', false],
    ['entryId', '531620250001234567', true],
    ['entryId', '531620251001234567', true],
    ['entryId', '531620252001234567', false],
    ['entryId', '53162025000123456', false],
    ['invtNo', '53162025E000123456', true],
    ['invtNo', '53162025I000123456', true],
    ['invtNo', '53162025X000123456', false],
    ['invtNo', '531620250000123456', false],
    ['hsCode', '8507600090', true],
    ['hsCode', '850760009', false],
    ['hsCode', '8507600090101', false],
    ['hsCode', '85076000a0', false],
    ['uuidUpper', '3F2504E0-4F89-11D3-9A0C-0305E82C3301', true],
    ['uuidUpper', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', false],
    ['uuidUpper', '3F2504E04F8911D39A0C0305E82C3301', false],
  ];

  it.each(cases)('%s %s → valid %s', (name, value, valid) => {
    const result = formatCheck(name, undefined)(value);
    if (valid) expect(result).toBeUndefined();
    else expect(result).toEqual({ code: 'bad_pattern' });
  });

  it('accepts 13-digit HS codes when allowed', () => {
    const check = formatCheck('hsCode', { hsCodeAllowCiqSuffix: true });
    expect(check('8507600090101')).toBeUndefined();
    expect(check('8507600090')).toBeUndefined();
    expect(check('85076000901')).toEqual({ code: 'bad_pattern' });
  });

  it('describes every format in both languages', () => {
    for (const name of ['uscc', 'customsCode', 'entryId', 'invtNo', 'hsCode', 'uuidUpper'] as const) {
      const text = describeFormat(name, undefined);
      expect(text['zh-CN'].length).toBeGreaterThan(0);
      expect(text.en.length).toBeGreaterThan(0);
    }
  });
});
