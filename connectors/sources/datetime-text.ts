import { IANAZone } from 'luxon';

/**
 * Pure conversions between naive datetime text, calendar dates and UTC
 * instants. Nothing here reads the host's TZ: instants are computed with
 * Date.UTC and zone offsets come from luxon's IANA zone data.
 */

const NAIVE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Fields of a naive datetime; `fraction` keeps the digits exactly as written. */
interface NaiveParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
}

/** Returns whether `zone` is an IANA zone name that luxon (and so Intl) recognises. */
export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function parseNaive(text: string): NaiveParts | undefined {
  const match = NAIVE_PATTERN.exec(text);
  if (!match) return undefined;

  const [, year, month, day, hour, minute, second, fraction] = match;
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    fraction: fraction ?? '',
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Formats whole-second UTC milliseconds as `YYYY-MM-DD HH:MM:SS` (date-time separator given). */
function formatWholeSeconds(ms: number, separator: ' ' | 'T'): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `${separator}${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}

/** Zone offset in whole seconds at a UTC instant (historic LMT offsets have seconds). */
function offsetSeconds(zone: IANAZone, utcMs: number): number {
  return Math.round(zone.offset(utcMs) * 60);
}

/**
 * Converts a naive local datetime, written in `zone`, to an ISO-8601 instant
 * ending in `Z`. The fractional digits are carried over unchanged, so
 * `2024-06-18 10:00:00.000001` in Asia/Shanghai becomes
 * `2024-06-18T02:00:00.000001Z` and a value without fraction gets none.
 *
 * Local times that a DST change makes special:
 * - nonexistent (spring forward): the time is shifted forward by the length
 *   of the gap, which is the same as reading it with the offset in force
 *   before the gap. 2024-03-10 02:30 in America/New_York reads as 03:30 EDT,
 *   that is 07:30Z.
 * - ambiguous (fall back): the earlier offset wins, which gives the earlier
 *   instant. 2024-11-03 01:30 in America/New_York reads as 01:30 EDT (05:30Z).
 *
 * Throws a RangeError for text that is not `YYYY-MM-DD HH:MM:SS[.f…]` or an
 * unknown zone; zero and partial dates must be handled before this call.
 */
export function naiveToInstant(text: string, zone: string): string {
  const parts = parseNaive(text);
  if (!parts || !isCalendarDate(parts.year, parts.month, parts.day) || parts.hour > 23 || parts.minute > 59 || parts.second > 59) {
    throw new RangeError(`Invalid naive datetime "${text}": expected YYYY-MM-DD HH:MM:SS[.ffffff] with a real calendar day.`);
  }
  if (!isValidZone(zone)) {
    throw new RangeError(`Unknown time zone "${zone}": expected an IANA name such as Asia/Shanghai or UTC.`);
  }

  const ianaZone = IANAZone.create(zone);
  const wallMs = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const instantMs = resolveWallTime(ianaZone, wallMs);

  const fraction = parts.fraction === '' ? '' : `.${parts.fraction}`;
  return `${formatWholeSeconds(instantMs, 'T')}${fraction}Z`;
}

/**
 * Finds the UTC instant for a wall-clock time (given as if it were UTC).
 * Each candidate offset comes from a day before, at, or a day after the wall
 * time. A candidate is valid when the zone really has that offset at the
 * instant it yields.
 */
function resolveWallTime(zone: IANAZone, wallMs: number): number {
  const candidateOffsets = new Set([
    offsetSeconds(zone, wallMs - MS_PER_DAY),
    offsetSeconds(zone, wallMs),
    offsetSeconds(zone, wallMs + MS_PER_DAY),
  ]);
  const candidates = [...candidateOffsets].map((offset) => ({ offset, instant: wallMs - offset * 1000 }));
  const valid = candidates.filter((c) => offsetSeconds(zone, c.instant) === c.offset).map((c) => c.instant);

  // Ambiguous or unique: the earliest valid instant (earlier offset).
  if (valid.length > 0) return Math.min(...valid);

  // In a gap no offset fits. The smaller offset is the one before the gap,
  // and reading the wall time with it gives the later instant.
  return Math.max(...candidates.map((c) => c.instant));
}

/**
 * Converts a UTC instant (epoch milliseconds plus microseconds below one
 * millisecond) to naive wall-clock text in `zone` with six fractional digits,
 * the format of upper bounds for naive datetime cursors.
 */
export function instantToNaive(utcMs: number, zone: string, micros = 0): string {
  const ianaZone = IANAZone.create(zone);
  const wallMs = utcMs + offsetSeconds(ianaZone, utcMs) * 1000;
  const wholeMs = Math.floor(wallMs / 1000) * 1000;
  const fractionMicros = (wallMs - wholeMs) * 1000 + micros;

  return `${formatWholeSeconds(wholeMs, ' ')}.${pad(fractionMicros, 6)}`;
}

/** Formats UTC epoch milliseconds plus microseconds as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function instantText(utcMs: number, micros = 0): string {
  const wholeMs = Math.floor(utcMs / 1000) * 1000;
  const fractionMicros = (utcMs - wholeMs) * 1000 + micros;

  return `${formatWholeSeconds(wholeMs, 'T')}.${pad(fractionMicros, 6)}Z`;
}

/**
 * Parses UTC datetime text `YYYY-MM-DD HH:MM:SS[.ffffff]` (a database clock
 * read in UTC) into epoch milliseconds plus the microseconds below one
 * millisecond, so no digit passes through a float.
 */
export function parseUtcClock(text: string): { ms: number; micros: number } {
  const parts = parseNaive(text.trim());
  if (!parts) throw new RangeError(`Invalid database clock value "${text}": expected YYYY-MM-DD HH:MM:SS[.ffffff].`);

  const digits = parts.fraction.padEnd(6, '0').slice(0, 6);
  const ms = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) + Number(digits.slice(0, 3));
  return { ms, micros: Number(digits.slice(3)) };
}

/** Returns whether the year, month and day name a real day of the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;

  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthLengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= monthLengths[month - 1]!;
}

/** Kind of a date or datetime text, for the zero-date and partial-date policies. */
export type DateTextClass = 'valid' | 'zero' | 'partial' | 'invalid' | 'unparsed';

/**
 * Classifies a DATE or naive DATETIME text. `zero` is MySQL's all-zero date,
 * `partial` has a zero month or day with a non-zero year (`2013-03-00`),
 * `invalid` names a day the calendar lacks (`2024-02-30`), and `unparsed` is
 * text in another format, which readers pass through unchanged.
 */
export function classifyDateText(text: string): DateTextClass {
  const match = DATE_PATTERN.exec(text.slice(0, 10));
  if (!match) return 'unparsed';
  if (text.length > 10 && !parseNaive(text)) return 'unparsed';

  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);

  if (year === 0 && month === 0 && day === 0) return 'zero';
  if (month === 0 || day === 0) return 'partial';
  if (!isCalendarDate(year, month, day)) return 'invalid';
  return 'valid';
}

/** Shortens a partial date to the parts it has: `2013-03-00` → `2013-03`, `2013-00-00` → `2013`. */
export function truncatePartialDate(text: string): string {
  const year = text.slice(0, 4);
  const month = text.slice(5, 7);

  if (month === '00') return year;
  return `${year}-${month}`;
}
