import { formatCheck } from './formats.js';
import type { FieldSpec, FormatOptions } from './profile-schema.js';

/**
 * Value checks of one profile field, built once per field and run on every
 * record. A check returns undefined for a good value or the first rule the
 * value breaks, so each field yields at most one problem.
 */

/** Stable reason codes of field problems; dead letters and reports key on them. */
export type ProblemCode =
  | 'required'
  | 'too_long'
  | 'too_short'
  | 'wrong_length'
  | 'bad_pattern'
  | 'bad_check_char'
  | 'not_in_enum'
  | 'not_in_code_list'
  | 'bad_decimal'
  | 'too_many_digits'
  | 'too_many_decimals'
  | 'bad_datetime'
  | 'bad_date'
  | 'wrong_type'
  | 'unknown_field'
  | 'too_many_items'
  | 'too_few_items';

/** A broken rule with the numbers its message needs. */
export interface RuleFailure {
  code: ProblemCode;
  /** Measured size: characters, digits, decimals or items. */
  actual?: number;
  /** The rule's bound for `actual`. */
  limit?: number;
  /** Expected check character for `bad_check_char`. */
  expected?: string;
}

export type ValueCheck<T> = (value: T) => RuleFailure | undefined;

/** Counts Unicode code points, so that `'托盘😀破损'` has 5 characters, not 6 UTF-16 units. */
export function codePointLength(text: string): number {
  let count = text.length;

  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdbff) continue;

    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) {
      count--;
      i++;
    }
  }
  return count;
}

/** Tells whether a value counts as absent: undefined, null or an empty string. */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function lengthCheck(spec: FieldSpec): ValueCheck<string> | undefined {
  const { length, minLength, maxLength } = spec;
  if (length === undefined && minLength === undefined && maxLength === undefined) return undefined;

  return (value) => {
    // Code points never outnumber UTF-16 units, so a short string needs no count.
    if (length === undefined && minLength === undefined && value.length <= maxLength!) return undefined;

    const actual = codePointLength(value);
    if (length !== undefined && actual !== length) return { code: 'wrong_length', actual, limit: length };
    if (maxLength !== undefined && actual > maxLength) return { code: 'too_long', actual, limit: maxLength };
    if (minLength !== undefined && actual < minLength) return { code: 'too_short', actual, limit: minLength };
    return undefined;
  };
}

/** Builds the ordered checks of a string field: set membership, length, pattern, then format. */
export function buildStringCheck(
  spec: FieldSpec,
  codeLists: Record<string, Record<string, string>>,
  formatOptions: FormatOptions | undefined,
): ValueCheck<string> {
  const checks: ValueCheck<string>[] = [];

  // Membership comes first because "not one of 1, 2, 3" helps more than "wrong length".
  if (spec.enum) {
    const allowed = new Set(spec.enum);
    checks.push((value) => (allowed.has(value) ? undefined : { code: 'not_in_enum' }));
  }
  if (spec.codeList) {
    const list = codeLists[spec.codeList] ?? {};
    checks.push((value) => (Object.hasOwn(list, value) ? undefined : { code: 'not_in_code_list' }));
  }

  const length = lengthCheck(spec);
  if (length) checks.push(length);

  if (spec.pattern !== undefined) {
    const pattern = new RegExp(spec.pattern, 'u');
    checks.push((value) => (pattern.test(value) ? undefined : { code: 'bad_pattern' }));
  }
  if (spec.format) checks.push(formatCheck(spec.format, formatOptions));

  return (value) => {
    for (const check of checks) {
      const failure = check(value);
      if (failure) return failure;
    }
    return undefined;
  };
}

/** Plain decimal text: optional minus, no leading zeros, optional fraction, no exponent. */
const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(?:\.(\d+))?$/;

/**
 * Builds the check of an N(p,s) decimal sent as a string. The integer part may
 * have p-s digits and the fraction s digits. A lone "0" before the point does
 * not count as a digit, as in SQL DECIMAL.
 */
export function buildDecimalCheck(spec: FieldSpec): ValueCheck<string> {
  const scale = spec.scale ?? 0;
  const integerDigits = (spec.precision ?? Number.MAX_SAFE_INTEGER) - scale;

  return (value) => {
    const match = DECIMAL_PATTERN.exec(value);
    if (!match) return { code: 'bad_decimal' };

    const integerPart = match[1]!;
    const actualInteger = integerPart === '0' ? 0 : integerPart.length;
    if (actualInteger > integerDigits) return { code: 'too_many_digits', actual: actualInteger, limit: integerDigits };

    const actualScale = match[2]?.length ?? 0;
    if (actualScale > scale) return { code: 'too_many_decimals', actual: actualScale, limit: scale };
    return undefined;
  };
}

export function buildIntegerCheck(spec: FieldSpec): ValueCheck<number> {
  const maxDigits = spec.precision;

  return (value) => {
    if (!Number.isSafeInteger(value)) return { code: 'wrong_type' };
    if (maxDigits === undefined) return undefined;

    const actual = String(Math.abs(value)).length;
    return actual > maxDigits ? { code: 'too_many_digits', actual, limit: maxDigits } : undefined;
  };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(text: string, start: number, count: number): number {
  let result = 0;
  for (let i = start; i < start + count; i++) result = result * 10 + (text.charCodeAt(i) - 48);
  return result;
}

/**
 * Tells whether yyyyMMdd at the start of `text` is a real calendar date. Years
 * before 1900 are rejected because they come from zero-date placeholders
 * (0000-00-00, 0001-01-01) rather than from warehouse events.
 */
function isRealDate(text: string): boolean {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 4, 2);
  const day = digitsAt(text, 6, 2);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;

  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= maxDay;
}

const DATE_PATTERN = /^\d{8}$/;
const DATETIME_PATTERN = /^\d{14}$/;

export const checkDate: ValueCheck<string> = (value) =>
  DATE_PATTERN.test(value) && isRealDate(value) ? undefined : { code: 'bad_date' };

/** yyyyMMddHHmmss; the zone (Beijing time) cannot be seen in the text and is the mapping's duty. */
export const checkDatetime: ValueCheck<string> = (value) => {
  if (!DATETIME_PATTERN.test(value) || !isRealDate(value)) return { code: 'bad_datetime' };

  const hour = digitsAt(value, 8, 2);
  const minute = digitsAt(value, 10, 2);
  const second = digitsAt(value, 12, 2);
  return hour <= 23 && minute <= 59 && second <= 59 ? undefined : { code: 'bad_datetime' };
};

function typeGuard(spec: FieldSpec): (value: unknown) => boolean {
  switch (spec.type) {
    case 'integer':
      return (value) => typeof value === 'number';
    case 'boolean':
      return (value) => typeof value === 'boolean';
    default:
      return (value) => typeof value === 'string';
  }
}

function ruleCheck(
  spec: FieldSpec,
  codeLists: Record<string, Record<string, string>>,
  formatOptions: FormatOptions | undefined,
): ValueCheck<never> | undefined {
  switch (spec.type) {
    case 'string':
      return buildStringCheck(spec, codeLists, formatOptions);
    case 'decimal':
      return buildDecimalCheck(spec);
    case 'integer':
      return buildIntegerCheck(spec);
    case 'datetime':
      return checkDatetime;
    case 'date':
      return checkDate;
    default:
      return undefined;
  }
}

/**
 * Builds the whole check of a single-value field (any type but array and
 * lines): presence, JS type, then the type's rules. Absent means undefined,
 * null or an empty string; it is a `required` problem only for required fields.
 */
export function buildScalarCheck(
  spec: FieldSpec,
  codeLists: Record<string, Record<string, string>>,
  formatOptions: FormatOptions | undefined,
): ValueCheck<unknown> {
  const required = spec.required === true;
  const hasType = typeGuard(spec);
  const rules = ruleCheck(spec, codeLists, formatOptions) as ValueCheck<unknown> | undefined;

  return (value) => {
    if (isAbsent(value)) return required ? { code: 'required' } : undefined;
    if (!hasType(value)) return { code: 'wrong_type' };
    return rules?.(value);
  };
}
