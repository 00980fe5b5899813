import { type Bilingual, bi } from '../../config/i18n.js';
import type { FormatName, FormatOptions } from './profile-schema.js';

/**
 * Checks of the named formats a profile field can carry (`format: uscc`, ...).
 * Each check takes a string that already passed the field's type check and
 * returns undefined when the value is well formed.
 */

export type FormatFailure = { code: 'bad_pattern' } | { code: 'bad_check_char'; expected: string };

export type FormatCheck = (value: string) => FormatFailure | undefined;

/** GB 32100-2015 alphabet: digits and capitals without I, O, S, V and Z. A character's value is its index. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Registration authority, type, 6-digit administrative region, 9-character body and the check character. */
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

const CUSTOMS_CODE_PATTERN = /^[0-9A-Z]{10}$/;

/** 报关单号: 4-digit customs office, 4-digit year, 1 import / 0 export, 9-digit serial. */
const ENTRY_ID_PATTERN = /^\d{4}\d{4}[01]\d{9}$/;

/** 清单编号: 4-digit customs office, 4-digit year, I or E, 9-digit serial. */
const INVT_NO_PATTERN = /^\d{4}\d{4}[IE]\d{9}$/;

const HS_CODE_PATTERN = /^\d{10}$/;
const HS_CODE_WITH_CIQ_PATTERN = /^\d{10}(?:\d{3})?$/;

const UUID_UPPER_PATTERN = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

/**
 * Computes the GB 32100 check character of a unified social credit code
 * (统一社会信用代码) from its first 17 characters. Throws a RangeError when
 * the input is not 17 characters of the code's alphabet.
 */
export function computeUsccCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new RangeError(`computeUsccCheckChar expects 17 characters, got ${first17.length} in "${first17}"`);
  }

  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) {
      throw new RangeError(
        `computeUsccCheckChar: "${first17.charAt(i)}" at position ${i + 1} of "${first17}" is not in the alphabet ${USCC_ALPHABET}`,
      );
    }
    sum += value * USCC_WEIGHTS[i]!;
  }

  // 31 - (sum mod 31) lies in 1..31, and 31 is written as the character "0".
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Checks a USCC's shape, then its check character. */
export function checkUscc(value: string): FormatFailure | undefined {
  if (!USCC_PATTERN.test(value)) return { code: 'bad_pattern' };

  const expected = computeUsccCheckChar(value.slice(0, 17));
  if (value.charAt(17) !== expected) return { code: 'bad_check_char', expected };
  return undefined;
}

/** Tells whether a USCC has the GB 32100 shape and a correct check character. */
export function isValidUscc(value: string): boolean {
  return checkUscc(value) === undefined;
}

function patternCheck(pattern: RegExp): FormatCheck {
  return (value) => (pattern.test(value) ? undefined : { code: 'bad_pattern' });
}

/** Builds the check of one named format under the profile's format switches. */
export function formatCheck(name: FormatName, options: FormatOptions | undefined): FormatCheck {
  switch (name) {
    case 'uscc':
      return checkUscc;
    case 'customsCode':
      return patternCheck(CUSTOMS_CODE_PATTERN);
    case 'entryId':
      return patternCheck(ENTRY_ID_PATTERN);
    case 'invtNo':
      return patternCheck(INVT_NO_PATTERN);
    case 'hsCode':
      return patternCheck(options?.hsCodeAllowCiqSuffix ? HS_CODE_WITH_CIQ_PATTERN : HS_CODE_PATTERN);
    case 'uuidUpper':
      return patternCheck(UUID_UPPER_PATTERN);
  }
}

/** Describes the rule of a named format in words, for validation messages. */
export function describeFormat(name: FormatName, options: FormatOptions | undefined): Bilingual {
  switch (name) {
    case 'uscc':
      return bi(
        '18 位，由数字和除 I、O、S、V、Z 外的大写字母组成，第 3–8 位为行政区划数字，第 18 位为 GB 32100 校验位',
        '18 characters of digits and capitals other than I, O, S, V, Z, with digits in positions 3-8 and a GB 32100 check character last',
      );
    case 'customsCode':
      return bi('10 位数字或大写字母', '10 digits or capital letters');
    case 'entryId':
      return bi(
        '18 位数字：4 位关区代码 + 4 位年份 + 进出口标志（1 进口、0 出口）+ 9 位顺序号',
        '18 digits: 4-digit customs office, 4-digit year, import/export flag (1 import, 0 export), 9-digit serial',
      );
    case 'invtNo':
      return bi(
        '18 位：4 位关区代码 + 4 位年份 + I 或 E + 9 位顺序号',
        '18 characters: 4-digit customs office, 4-digit year, I or E, 9-digit serial',
      );
    case 'hsCode':
      return options?.hsCodeAllowCiqSuffix
        ? bi('10 位数字，或 10 位加 3 位检验检疫编码共 13 位数字', '10 digits, or 13 digits with the CIQ suffix')
        : bi('10 位数字', '10 digits');
    case 'uuidUpper':
      return bi('大写 UUID，形如 8-4-4-4-12 位十六进制', 'upper-case UUID, 8-4-4-4-12 hex digits');
  }
}
