import { DateTime, IANAZone } from 'luxon';

/**
 * Wall-clock and instant helpers for source datetimes. Every step goes
 * through luxon with an explicit zone, so results do not depend on the host's
 * TZ. Calendar dates are handled as text and never pass through Date.
 *
 * NOTE: unify with `naiveToInstant` in connectors/sources/datetime-text.ts
 * once that is committed. Its defaults match ours (gap: forward, overlap:
 * earlier), but it has no `later` or `problem` policies, which mappings offer.
 */

/** Policy for a wall-clock time that occurs twice (autumn DST overlap). */
export type AmbiguousPolicy = 'earlier' | 'later' | 'problem';
/** Policy for a wall-clock time that never occurs (spring DST gap). */
export type NonexistentPolicy = 'forward' | 'problem';

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type ParsedTemporal =
  | { kind: 'date'; wall: WallTime }
  | { kind: 'naive'; wall: WallTime }
  | { kind: 'instant'; epochMillis: number }
  | { kind: 'zero' }
  | { kind: 'partial' }
  | { kind: 'invalid' };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NAIVE_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/;
const OFFSET_RE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Classifies date or datetime text: a calendar date, a naive wall time, an
 * instant with an offset, a zero value ('0000-00-00'), a partial value
 * ('2013-03-00') or invalid text. Fractional seconds are dropped because the
 * platform's formats stop at whole seconds.
 */
export function parseTemporal(text: string): ParsedTemporal {
  const trimmed = text.trim();

  const dateMatch = DATE_RE.exec(trimmed);
  if (dateMatch) return classifyWall('date', dateMatch);

  const naiveMatch = NAIVE_RE.exec(trimmed);
  if (naiveMatch) return classifyWall('naive', naiveMatch);

  if (OFFSET_RE.test(trimmed)) {
    const parsed = DateTime.fromISO(trimmed.replace(' ', 'T'), { zone: 'UTC', setZone: true });
    if (parsed.isValid) return { kind: 'instant', epochMillis: parsed.toMillis() };
  }
  return { kind: 'invalid' };
}

function classifyWall(kind: 'date' | 'naive', match: RegExpExecArray): ParsedTemporal {
  const wall: WallTime = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4] ?? 0),
    minute: Number(match[5] ?? 0),
    second: Number(match[6] ?? 0),
  };

  if (wall.year === 0 && wall.month === 0 && wall.day === 0) return { kind: 'zero' };
  if (wall.month === 0 || wall.day === 0) return { kind: 'partial' };
  if (wall.month > 12 || wall.day > daysInMonth(wall.year, wall.month)) return { kind: 'invalid' };
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) return { kind: 'invalid' };
  return kind === 'date' ? { kind: 'date', wall } : { kind: 'naive', wall };
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return days[month - 1] ?? 0;
}

export type WallResolution =
  | { ok: true; epochMillis: number }
  | { ok: false; reason: 'nonexistent' | 'ambiguous'; candidates: number[] };

/**
 * Finds the instant a wall-clock time denotes in `zone`. The candidates are
 * the offsets in force a day before, at, and a day after the wall time read
 * as UTC; an offset counts only if the zone really uses it at the resulting
 * instant. None valid means a DST gap, two valid means an overlap.
 */
export function resolveWallTime(
  wall: WallTime,
  zone: IANAZone,
  ambiguous: AmbiguousPolicy,
  nonexistent: NonexistentPolicy,
): WallResolution {
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const day = 86_400_000;
  const offsets = new Set([zone.offset(wallAsUtc - day), zone.offset(wallAsUtc), zone.offset(wallAsUtc + day)]);

  const instants: number[] = [];
  for (const offsetMinutes of offsets) {
    const instant = wallAsUtc - offsetMinutes * 60_000;
    if (zone.offset(instant) === offsetMinutes && !instants.includes(instant)) instants.push(instant);
  }
  instants.sort((a, b) => a - b);

  if (instants.length === 1) return { ok: true, epochMillis: instants[0]! };

  if (instants.length === 0) {
    if (nonexistent === 'problem') return { ok: false, reason: 'nonexistent', candidates: [] };

    // Reading the wall time with the offset in force before the gap moves it
    // forward by the gap's length (02:30 becomes 03:30 in a one-hour gap).
    const before = zone.offset(wallAsUtc - day);
    return { ok: true, epochMillis: wallAsUtc - before * 60_000 };
  }

  if (ambiguous === 'problem') return { ok: false, reason: 'ambiguous', candidates: instants };
  return { ok: true, epochMillis: ambiguous === 'earlier' ? instants[0]! : instants[instants.length - 1]! };
}

/** Formats an instant in `zone` with luxon tokens, in a fixed locale so digits never vary by host. */
export function formatInstant(epochMillis: number, zone: IANAZone, format: string): string {
  return DateTime.fromMillis(epochMillis, { zone, locale: 'en-US', numberingSystem: 'latn' }).toFormat(format);
}

/** Formats a calendar date with luxon tokens without any zone arithmetic. */
export function formatWallDate(wall: WallTime, format: string): string {
  if (format === 'yyyyMMdd') return `${pad(wall.year, 4)}${pad(wall.month, 2)}${pad(wall.day, 2)}`;
  return DateTime.fromObject(
    { year: wall.year, month: wall.month, day: wall.day },
    { zone: 'UTC', locale: 'en-US', numberingSystem: 'latn' },
  ).toFormat(format);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Returns the IANA zone for a name, or undefined when luxon does not know it. */
export function zoneOrUndefined(name: string): IANAZone | undefined {
  return IANAZone.isValidZone(name) ? IANAZone.create(name) : undefined;
}
