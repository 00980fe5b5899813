/**
 * Naive wall-clock times for the demo WMS, as whole microseconds counted
 * from 1970-01-01 00:00:00 of the same wall clock. The demo stores
 * Asia/Shanghai local time without a zone, and that zone has no daylight
 * saving, so plain UTC calendar arithmetic on these counts is exact.
 */

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

const NAIVE_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6})$/;

/** Returns the microsecond count of a wall-clock time; months are 1-based. */
export function naiveMicros(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second) * 1000;
}

/** Formats a microsecond count as 'YYYY-MM-DD HH:MM:SS.ffffff'. */
export function formatNaiveDateTime(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const fraction = String(micros - Math.floor(micros / MICROS_PER_SECOND) * MICROS_PER_SECOND).padStart(6, '0');
  const iso = new Date(millis).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
}

/** Formats the date part of a microsecond count as 'YYYY-MM-DD'. */
export function formatNaiveDate(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(0, 10);
}

/** Formats the date part as 'YYYYMMDD', as used inside document numbers. */
export function compactDate(micros: number): string {
  return formatNaiveDate(micros).replaceAll('-', '');
}

/** Parses 'YYYY-MM-DD HH:MM:SS.ffffff' back to microseconds; throws on any other text. */
export function parseNaiveDateTime(text: string): number {
  const match = NAIVE_DATETIME.exec(text);
  if (match === null) {
    throw new RangeError(`parseNaiveDateTime: expected 'YYYY-MM-DD HH:MM:SS.ffffff', got "${text}"`);
  }

  const [, year, month, day, hour, minute, second, fraction] = match;
  return naiveMicros(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second)) + Number(fraction);
}
