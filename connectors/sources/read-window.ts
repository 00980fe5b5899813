import { instantText, instantToNaive, parseUtcClock } from './datetime-text.js';

/**
 * Computes a run's upper bound from the database clock (read in UTC inside
 * the run's snapshot) minus the commit-lag margin.
 *
 * A transaction stamps its rows when it writes them but they become visible
 * when it commits. Reading only up to `clock - lag` leaves the rows of
 * transactions still open, if they commit within `lag` seconds, to the next
 * run instead of skipping them for good.
 *
 * - datetime cursors: wall-clock text in the source's zone, six fractional
 *   digits (`2024-06-18 09:59:00.123456`), because the rows hold that zone's
 *   local time.
 * - timestamptz cursors: the instant as `2024-06-18T01:59:00.123456Z`.
 */
export function upperBoundFromClock(
  utcClock: string,
  kind: 'datetime' | 'timestamptz',
  zone: string,
  lagSeconds: number,
): string {
  const clock = parseUtcClock(utcClock);
  const boundMs = clock.ms - Math.round(lagSeconds * 1000);

  if (kind === 'timestamptz') return instantText(boundMs, clock.micros);
  return instantToNaive(boundMs, zone, clock.micros);
}
