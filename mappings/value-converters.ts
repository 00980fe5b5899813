import type { IANAZone } from 'luxon';
import { failure, type ValueFailure } from './field-problems.js';
import { integerDigits, plainText, roundToText, toDecimal, type Rounding } from './decimal-values.js';
import type { FieldMapping } from './mapping-schema.js';
import { formatInstant, formatWallDate, parseTemporal, resolveWallTime, type ParsedTemporal } from './zoned-datetime.js';

/**
 * Converters from source values to target values, one per target type.
 * Each is built once per field by `makeConverter` and then runs per row.
 */

/** A converter's outcome: a value, a null with the reason (zero date), or a failure. */
export type Conversion =
  | { ok: true; value: unknown }
  | { ok: true; value: null; nullReason: ValueFailure }
  | { ok: false; failure: ValueFailure };

export type Converter = (value: unknown) => Conversion;

export interface ConverterZones {
  /** Zone of naive source datetimes for this field. */
  source: IANAZone;
  /** Zone of the platform's datetimes. */
  target: IANAZone;
}

const ok = (value: unknown): Conversion => ({ ok: true, value });
const fail = (code: string, zh: string, en: string): Conversion => ({ ok: false, failure: failure(code, zh, en) });

export function makeConverter(field: FieldMapping, zones: ConverterZones): Converter {
  switch (field.type) {
    case 'string':
      return makeStringConverter(field);
    case 'decimal':
      return makeDecimalConverter(field);
    case 'integer':
      return makeIntegerConverter(field);
    case 'date':
      return makeDateConverter(field, zones);
    case 'datetime':
      return makeDatetimeConverter(field, zones);
    case 'boolean':
      return makeBooleanConverter(field);
    case 'object':
      return makeObjectConverter();
    case 'array':
      return makeArrayConverter(field);
  }
}

function makeStringConverter(field: FieldMapping): Converter {
  const maxLength = field.maxLength;

  return (value) => {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
    else return fail('invalid_type', '需要文本，收到的是对象或数组；请用 jsonPath 取出其中的值', 'expected text but got an object or array; pick a value with jsonPath');

    if (field.trim) text = text.trim();
    if (maxLength === undefined) return ok(text);

    // Lengths count Unicode code points, as the platform counts characters:
    // '托盘😀破损' is 5 characters although its UTF-16 length is 6.
    const chars = Array.from(text);
    if (chars.length <= maxLength) return ok(text);
    if (field.truncate) return ok(chars.slice(0, maxLength).join(''));
    return fail('too_long', `长度 ${chars.length} 个字符，超过上限 ${maxLength}`, `length ${chars.length} characters exceeds the maximum ${maxLength}`);
  };
}

/** Applies `convert.multiply` / `convert.divide` in decimal arithmetic; returns the exact result. */
function makeUnitConversion(field: FieldMapping) {
  const multiply = field.convert?.multiply === undefined ? undefined : toDecimal(field.convert.multiply);
  const divide = field.convert?.divide === undefined ? undefined : toDecimal(field.convert.divide);

  return (value: unknown) => {
    let decimal = toDecimal(value);
    if (decimal === undefined) return undefined;

    if (multiply !== undefined) decimal = decimal.times(multiply);
    // Division keeps 40 decimals before the final rounding to the field's scale.
    if (divide !== undefined) decimal = decimal.div(divide).round(40, 1);
    return decimal;
  };
}

function makeDecimalConverter(field: FieldMapping): Converter {
  const convert = makeUnitConversion(field);
  const rounding: Rounding = field.rounding;
  const { scale, precision } = field;

  return (value) => {
    const decimal = convert(value);
    if (decimal === undefined) return fail('invalid_decimal', '不是有效的数字', 'is not a valid number');

    const text = scale === undefined ? plainText(decimal) : roundToText(decimal, scale, rounding);
    if (precision !== undefined) {
      const allowed = precision - (scale ?? 0);
      const digits = integerDigits(toDecimal(text)!);
      if (digits > allowed) {
        return fail('too_many_digits', `整数部分有 ${digits} 位，N(${precision},${scale ?? 0}) 最多允许 ${allowed} 位`, `has ${digits} integer digits; N(${precision},${scale ?? 0}) allows ${allowed}`);
      }
    }
    return ok(text);
  };
}

function makeIntegerConverter(field: FieldMapping): Converter {
  const convert = makeUnitConversion(field);
  const rounding: Rounding = field.rounding;

  return (value) => {
    const decimal = convert(value);
    if (decimal === undefined) return fail('invalid_integer', '不是有效的整数', 'is not a valid integer');

    // A value with decimals is rounded only when a unit conversion made it so;
    // a fractional source value is a data error.
    const hasConversion = field.convert !== undefined;
    const whole = hasConversion ? toDecimal(roundToText(decimal, 0, rounding))! : decimal;
    if (!whole.eq(whole.round(0, 0))) return fail('invalid_integer', '带有小数部分，不是整数', 'has a fractional part; it is not an integer');

    const text = plainText(whole);
    const number = Number(text);
    if (!Number.isSafeInteger(number)) {
      return fail('unsafe_integer', '超出 JavaScript 安全整数范围（±2^53-1）；请改用 type: string 或 decimal', 'is outside the safe integer range (±2^53-1); use type string or decimal');
    }
    return ok(number);
  };
}

const ZERO_DATE = failure('zero_date', '源值为零日期（0000-00-00）', 'the source value is a zero date (0000-00-00)');
const PARTIAL_DATE = failure('partial_date', '源值为不完整日期（月或日为 00）', 'the source value is a partial date (month or day 00)');

/**
 * Shared frame of the date and datetime converters: text only, instants with
 * an offset go straight to the target zone, zero and partial dates become
 * null with the reason, and wall times go to `fromWall`.
 */
function makeTemporalConverter(
  invalid: ValueFailure,
  format: string,
  zones: ConverterZones,
  fromWall: (parsed: Extract<ParsedTemporal, { kind: 'date' | 'naive' }>) => Conversion,
): Converter {
  return (value) => {
    if (typeof value !== 'string') return { ok: false, failure: invalid };

    const parsed = parseTemporal(value);
    switch (parsed.kind) {
      case 'date':
      case 'naive':
        return fromWall(parsed);
      case 'instant':
        return ok(formatInstant(parsed.epochMillis, zones.target, format));
      case 'zero':
        return { ok: true, value: null, nullReason: ZERO_DATE };
      case 'partial':
        return { ok: true, value: null, nullReason: PARTIAL_DATE };
      case 'invalid':
        return { ok: false, failure: invalid };
    }
  };
}

function makeDateConverter(field: FieldMapping, zones: ConverterZones): Converter {
  const format = field.format ?? 'yyyyMMdd';
  const invalid = failure('invalid_date', '不是有效的日期（应为 YYYY-MM-DD）', 'is not a valid date (expected YYYY-MM-DD)');

  return makeTemporalConverter(invalid, format, zones, (parsed) => {
    if (parsed.kind === 'date') return ok(formatWallDate(parsed.wall, format));

    // A datetime sent as a date is read in the source zone and dated in the
    // profile zone, the same day a DT14 field of that instant would show.
    const resolved = resolveWallTime(parsed.wall, zones.source, 'earlier', 'forward');
    return resolved.ok ? ok(formatInstant(resolved.epochMillis, zones.target, format)) : { ok: false, failure: invalid };
  });
}

function makeDatetimeConverter(field: FieldMapping, zones: ConverterZones): Converter {
  const format = field.format ?? 'yyyyMMddHHmmss';
  const invalid = failure('invalid_datetime', '不是有效的日期时间（应为 YYYY-MM-DD HH:MM:SS）', 'is not a valid datetime (expected YYYY-MM-DD HH:MM:SS)');

  return makeTemporalConverter(invalid, format, zones, (parsed) => {
    const resolved = resolveWallTime(parsed.wall, zones.source, field.ambiguous, field.nonexistent);
    if (resolved.ok) return ok(formatInstant(resolved.epochMillis, zones.target, format));
    if (resolved.reason === 'nonexistent') {
      return fail('dst_gap', `该时刻在时区 ${zones.source.name} 的夏令时跳变中不存在`, `this wall time does not exist in ${zones.source.name} (DST gap)`);
    }
    return fail('dst_overlap', `该时刻在时区 ${zones.source.name} 中出现两次（夏令时回拨），无法确定`, `this wall time occurs twice in ${zones.source.name} (DST overlap)`);
  });
}

function makeBooleanConverter(field: FieldMapping): Converter {
  const nonZero = field.booleanRule === 'nonZero';

  return (value) => {
    if (typeof value === 'boolean') return ok(value);

    const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined;
    if (number === 0) return ok(false);
    if (number === 1) return ok(true);
    if (number !== undefined && nonZero) return ok(true);
    return fail('invalid_boolean', '布尔值只接受 0 或 1（booleanRule: nonZero 时非零即为真）', 'a boolean accepts 0 or 1 only (with booleanRule nonZero, any non-zero number is true)');
  };
}

/** Parses JSON text (MariaDB's JSON arrives as text); parsed values pass through. */
export function parseJsonText(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

function makeObjectConverter(): Converter {
  return (value) => {
    const parsed = parseJsonText(value);
    if (!parsed.ok) return fail('invalid_json', '不是有效的 JSON 文本', 'is not valid JSON text');
    if (parsed.value === null) return { ok: true, value: null };
    if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return fail('invalid_type', '需要 JSON 对象', 'expected a JSON object');
    return ok(parsed.value);
  };
}

function makeArrayConverter(field: FieldMapping): Converter {
  const separator = field.split;

  return (value) => {
    if (separator !== undefined && typeof value === 'string') {
      return ok(value.split(separator).map((item) => item.trim()).filter((item) => item !== ''));
    }

    const parsed = parseJsonText(value);
    if (!parsed.ok) return fail('invalid_json', '不是有效的 JSON 文本；若是分隔的文本，请设置 split', 'is not valid JSON text; set split for delimited text');
    if (!Array.isArray(parsed.value)) return fail('invalid_type', '需要数组', 'expected an array');
    return ok(parsed.value);
  };
}
