import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bodyOf, compileText, problemsOf, withFields } from './test-support/compile-text.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function datetimeMapping(options = '', sourceZone = 'America/Los_Angeles') {
  return compileText(withFields(`  t: { column: t, type: datetime${options} }`), { sourceZone, targetZone: 'Asia/Shanghai' });
}

describe('date fields', () => {
  it('calendar date by text', () => {
    const mapping = compileText(withFields('  d: { column: d, type: date }'));
    expect(bodyOf(mapping, { id: '1', d: '2024-02-29' })).toEqual({ d: '20240229' });
    expect(bodyOf(mapping, { id: '1', d: '0001-01-01' })).toEqual({ d: '00010101' });
  });

  it('date of a datetime in the profile zone', () => {
    // 2024-06-30 23:59:59 UTC is already 1 July in Shanghai.
    const mapping = compileText(withFields('  d: { column: d, type: date }'), { sourceZone: 'UTC', targetZone: 'Asia/Shanghai' });
    expect(bodyOf(mapping, { id: '1', d: '2024-06-30 23:59:59' })).toEqual({ d: '20240701' });
  });

  it('zero and partial dates become null', () => {
    const mapping = compileText(withFields('  d: { column: d, type: date }'));
    const zero = mapping.map({ id: '1', d: '0000-00-00' }, {});
    expect(zero).toMatchObject({ ok: true, body: {} });
    if (zero.ok) expect(zero.warnings.map((w) => w.code)).toEqual(['zero_date']);
    expect(bodyOf(mapping, { id: '2', d: '2013-03-00' })).toEqual({});
    expect(bodyOf(mapping, { id: '3', d: null })).toEqual({});
  });

  it('zero date on a required field is a problem', () => {
    const mapping = compileText(withFields('  d: { column: d, type: date, required: true }\n  t: { column: t, type: datetime, required: true }'));
    expect(problemsOf(mapping, { id: '1', d: '0000-00-00', t: '0000-00-00 00:00:00' })).toEqual(['d zero_date', 't zero_date']);
    expect(problemsOf(mapping, { id: '1', d: '2013-03-00', t: null })).toEqual(['d partial_date', 't required']);
  });

  it('invalid calendar date is a problem', () => {
    const mapping = compileText(withFields('  d: { column: d, type: date }'));
    expect(problemsOf(mapping, { id: '1', d: '2023-02-29' })).toEqual(['d invalid_date']);
  });
});

describe('datetime fields', () => {
  it('naive source text to DT14 in the profile zone', () => {
    const mapping = datetimeMapping('', 'Asia/Shanghai');
    expect(bodyOf(mapping, { id: '1', t: '2024-06-18 10:00:00.000001' })).toEqual({ t: '20240618100000' });

    const fromUtc = datetimeMapping('', 'UTC');
    expect(bodyOf(fromUtc, { id: '1', t: '2024-12-31 16:00:00' })).toEqual({ t: '20250101000000' });
    expect(bodyOf(fromUtc, { id: '1', t: '2024-06-11T08:00:01Z' })).toEqual({ t: '20240611160001' });
  });

  it('DST gap moves forward by default', () => {
    // 02:30 does not exist on 2024-03-10 in Los Angeles; it reads as 03:30 PDT = 10:30Z.
    expect(bodyOf(datetimeMapping(), { id: '1', t: '2024-03-10 02:30:00' })).toEqual({ t: '20240310183000' });
    expect(problemsOf(datetimeMapping(', nonexistent: problem'), { id: '1', t: '2024-03-10 02:30:00' })).toEqual(['t dst_gap']);
  });

  it('DST overlap picks by policy', () => {
    // 01:30 occurs at 08:30Z (PDT) and 09:30Z (PST) on 2024-11-03.
    expect(bodyOf(datetimeMapping(), { id: '1', t: '2024-11-03 01:30:00' })).toEqual({ t: '20241103163000' });
    expect(bodyOf(datetimeMapping(', ambiguous: later'), { id: '1', t: '2024-11-03 01:30:00' })).toEqual({ t: '20241103173000' });
    expect(problemsOf(datetimeMapping(', ambiguous: problem'), { id: '1', t: '2024-11-03 01:30:00' })).toEqual(['t dst_overlap']);
  });

  it('Berlin autumn overlap', () => {
    const mapping = datetimeMapping('', 'Europe/Berlin');
    expect(bodyOf(mapping, { id: '1', t: '2024-10-27 02:30:00' })).toEqual({ t: '20241027083000' });
  });

  it('field sourceZone overrides the source zone', () => {
    const mapping = datetimeMapping(', sourceZone: UTC', 'Asia/Shanghai');
    expect(bodyOf(mapping, { id: '1', t: '2024-07-01 06:30:00' })).toEqual({ t: '20240701143000' });
  });

  it('custom output format', () => {
    const mapping = datetimeMapping(', format: "yyyy-MM-dd HH:mm:ss"', 'Asia/Shanghai');
    expect(bodyOf(mapping, { id: '1', t: '2024-02-29 23:59:59.999999' })).toEqual({ t: '2024-02-29 23:59:59' });
  });

  it('invalid datetime text is a problem', () => {
    expect(problemsOf(datetimeMapping(), { id: '1', t: '2024-13-01 00:00:00' })).toEqual(['t invalid_datetime']);
    expect(problemsOf(datetimeMapping(), { id: '1', t: 'yesterday' })).toEqual(['t invalid_datetime']);
  });

  it('same results under another host TZ', () => {
    const script = path.join('mappings', 'test-support', 'print-datetimes.ts');
    const run = (tz: string) =>
      execFileSync(process.execPath, ['bin/run-ts.js', script], { cwd: repoRoot, env: { ...process.env, TZ: tz }, encoding: 'utf8' });

    const newYork = JSON.parse(run('America/New_York'));
    const kolkata = JSON.parse(run('Asia/Kolkata'));
    expect(newYork).toEqual(kolkata);
    expect(newYork.map((r: { body: { t: string } }) => r.body.t)).toEqual(['20240310183000', '20241103163000', '20240619010000', '20240301155959']);
    expect(newYork[0].body.d).toBe('20240229');
    expect(newYork[0].body.e).toBe('20240310183000');
  });
});
