import { describe, expect, it } from 'vitest';
import { classifyDateText, naiveToInstant, truncatePartialDate } from '../../../connectors/sources/datetime-text.js';
import { upperBoundFromClock } from '../../../connectors/sources/read-window.js';

describe('naiveToInstant', () => {
  it('attaches the declared zone', () => {
    expect(naiveToInstant('2024-03-01 16:12:08', 'UTC')).toBe('2024-03-01T16:12:08Z');
    expect(naiveToInstant('2024-03-01 16:12:08', 'Asia/Shanghai')).toBe('2024-03-01T08:12:08Z');
    expect(naiveToInstant('2024-11-03 01:30:00', 'Asia/Shanghai')).toBe('2024-11-02T17:30:00Z');
    expect(naiveToInstant('2024-03-10 02:30:00', 'Asia/Shanghai')).toBe('2024-03-09T18:30:00Z');
  });

  it('keeps fraction digits as written', () => {
    expect(naiveToInstant('2024-06-18 10:00:00.000001', 'Asia/Shanghai')).toBe('2024-06-18T02:00:00.000001Z');
    expect(naiveToInstant('2024-12-31 23:59:59.999999', 'UTC')).toBe('2024-12-31T23:59:59.999999Z');
    expect(naiveToInstant('2024-06-11 08:00:01.5', 'UTC')).toBe('2024-06-11T08:00:01.5Z');
  });

  it('shifts a spring-forward gap forward', () => {
    expect(naiveToInstant('2024-03-10 02:30:00', 'America/New_York')).toBe('2024-03-10T07:30:00Z');
    expect(naiveToInstant('2024-03-31 02:30:00', 'Europe/Berlin')).toBe('2024-03-31T01:30:00Z');
  });

  it('takes the earlier offset when ambiguous', () => {
    expect(naiveToInstant('2024-11-03 01:30:00', 'America/New_York')).toBe('2024-11-03T05:30:00Z');
    expect(naiveToInstant('2024-10-27 02:30:00', 'Europe/Berlin')).toBe('2024-10-27T00:30:00Z');
  });

  it('crosses a year boundary', () => {
    expect(naiveToInstant('2025-01-01 00:00:00.000001', 'Asia/Shanghai')).toBe('2024-12-31T16:00:00.000001Z');
  });

  it('rejects text that is not a datetime', () => {
    expect(() => naiveToInstant('0000-00-00 00:00:00', 'UTC')).toThrow(RangeError);
    expect(() => naiveToInstant('2024-02-30 10:00:00', 'UTC')).toThrow(RangeError);
    expect(() => naiveToInstant('2024-02-01 10:00:00', 'Mars/Olympus')).toThrow(/Unknown time zone/);
  });
});

describe('classifyDateText', () => {
  it('tells zero, partial and invalid dates apart', () => {
    expect(classifyDateText('0000-00-00')).toBe('zero');
    expect(classifyDateText('0000-00-00 00:00:00')).toBe('zero');
    expect(classifyDateText('2013-03-00')).toBe('partial');
    expect(classifyDateText('2013-00-00 08:00:00')).toBe('partial');
    expect(classifyDateText('2024-02-30')).toBe('invalid');
    expect(classifyDateText('2024-02-29 23:59:59.999999')).toBe('valid');
    expect(classifyDateText('infinity')).toBe('unparsed');
  });

  it('truncates partial dates to their known parts', () => {
    expect(truncatePartialDate('2013-03-00')).toBe('2013-03');
    expect(truncatePartialDate('2013-00-00 08:00:00')).toBe('2013');
  });
});

describe('upperBoundFromClock', () => {
  it('subtracts the lag in the source zone', () => {
    expect(upperBoundFromClock('2024-06-18 02:00:30.123456', 'datetime', 'Asia/Shanghai', 30)).toBe('2024-06-18 10:00:00.123456');
    expect(upperBoundFromClock('2024-06-18 02:00:30', 'timestamptz', 'Asia/Shanghai', 0)).toBe('2024-06-18T02:00:30.000000Z');
  });

  it('moves across a DST change as an instant', () => {
    // 07:10Z on 2024-03-10 is 03:10 EDT; eleven minutes earlier is 01:59 EST.
    expect(upperBoundFromClock('2024-03-10 07:10:00', 'datetime', 'America/New_York', 660)).toBe('2024-03-10 01:59:00.000000');
  });
});
