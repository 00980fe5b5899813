import { describe, expect, it } from 'vitest';
import { isValidUscc } from '../../../connectors/platform/formats.js';
import { makeAirWaybill, makeContainerNo, makeEan13, makeExportEntryId, makeExportInvtNo, makeS10, makeUscc } from './demo-codes.js';
import { formatScaled, parseScaled, scaleUnits } from './demo-decimal.js';
import { DemoRandom } from './demo-random.js';
import { formatNaiveDateTime, naiveMicros, parseNaiveDateTime } from './demo-time.js';

describe('DemoRandom', () => {
  it('repeats a sequence for the same seed and stream', () => {
    const a = new DemoRandom(42, 'sku');
    const b = new DemoRandom(42, 'sku');
    const draws = Array.from({ length: 50 }, () => a.nextUint32());
    expect(Array.from({ length: 50 }, () => b.nextUint32())).toEqual(draws);
  });

  it('differs between seeds and between streams', () => {
    const first = (random: DemoRandom) => Array.from({ length: 5 }, () => random.nextUint32());
    expect(first(new DemoRandom(1))).not.toEqual(first(new DemoRandom(2)));
    expect(first(new DemoRandom(1, 'inbound'))).not.toEqual(first(new DemoRandom(1, 'outbound')));
  });

  it('keeps int() within its bounds, wide ranges included', () => {
    const random = new DemoRandom(3);
    for (let i = 0; i < 2000; i++) {
      const small = random.int(-3, 3);
      expect(small).toBeGreaterThanOrEqual(-3);
      expect(small).toBeLessThanOrEqual(3);
    }
    const from = naiveMicros(2025, 1, 1);
    const until = naiveMicros(2026, 12, 31);
    for (let i = 0; i < 2000; i++) {
      const wide = random.int(from, until);
      expect(wide).toBeGreaterThanOrEqual(from);
      expect(wide).toBeLessThanOrEqual(until);
    }
  });

  it('samples distinct elements', () => {
    const picked = new DemoRandom(9).sample([1, 2, 3, 4, 5, 6], 4);
    expect(new Set(picked).size).toBe(4);
  });

  it('rejects an empty range or array', () => {
    expect(() => new DemoRandom(1).int(5, 4)).toThrow(RangeError);
    expect(() => new DemoRandom(1).pick([])).toThrow(RangeError);
  });
});

describe('demo decimals', () => {
  it.each([
    [1999, 2, '19.99'],
    [5, 2, '0.05'],
    [-5, 3, '-0.005'],
    [120, 0, '120'],
    [34_019_512, 6, '34.019512'],
  ])('formats %d at scale %d as %s', (units, scale, text) => {
    expect(formatScaled(units, scale)).toBe(text);
    expect(parseScaled(text, scale)).toBe(units);
  });

  it('rounds half away from zero in integers', () => {
    expect(scaleUnits(1250, 108, 100)).toBe(1350);
    expect(scaleUnits(5, 1, 2)).toBe(3);
    expect(scaleUnits(-5, 1, 2)).toBe(-3);
    expect(scaleUnits(4, 1, 3)).toBe(1);
  });

  it('rejects text with another scale', () => {
    expect(() => parseScaled('1.5', 2)).toThrow(RangeError);
  });
});

describe('demo times', () => {
  it('formats and parses naive microsecond text', () => {
    const text = '2026-02-28 23:59:59.000001';
    expect(formatNaiveDateTime(parseNaiveDateTime(text))).toBe(text);
    expect(formatNaiveDateTime(naiveMicros(2025, 1, 6, 9, 30))).toBe('2025-01-06 09:30:00.000000');
  });
});

describe('demo codes', () => {
  it('builds USCCs that pass the GB 32100 check', () => {
    for (const [region, body] of [['440305', '59834127'], ['330782', '62384017'], ['441900', '00000000']] as const) {
      const uscc = makeUscc(region, body);
      expect(uscc).toHaveLength(18);
      expect(isValidUscc(uscc), uscc).toBe(true);
    }
  });

  it('builds declaration numbers in the customs shapes', () => {
    expect(makeExportEntryId('5316', 2025, 123)).toBe('531620250000000123');
    expect(makeExportInvtNo('5316', 2026, 45)).toBe('53162026E000000045');
  });

  it('computes the check digits of carrier and barcode numbers', () => {
    expect(makeEan13('690123456789')).toBe('6901234567892');
    expect(makeS10('EE', '47326580', 'JP')).toBe('EE473265804JP');
    expect(makeContainerNo('CSQ', '305438')).toBe('CSQU3054383');
    expect(makeAirWaybill('999', 1234567)).toBe('999-12345675');
  });
});
