import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OwhError } from '../config/errors.js';
import { compileMapping } from './mapping-compiler.js';
import { loadMapping, parseMapping } from './mapping-loader.js';
import { runMappingTests } from './mapping-tests.js';

const VALID = `version: 1
kind: goods
source:
  table: goods
  key: [id]
  cursor: { column: "COALESCE(update_time, create_time)" }
recordKey: "{goods_code}"
fields:
  sku: goods_code
  unit: { column: goods_unit, lookup: units }
lookups:
  units: { file: ./units.lookup.yaml }
`;

function loadError(text: string): OwhError {
  try {
    parseMapping(text, 'bad.yaml', process.cwd());
  } catch (error) {
    if (error instanceof OwhError) return error;
    throw error;
  }
  throw new Error('expected parseMapping to throw');
}

describe('load errors', () => {
  it('unknown key lists allowed keys', () => {
    const error = loadError(VALID.replace('  sku: goods_code', '  sku: { colum: goods_code }'));
    expect(error.category).toBe('config');
    expect(error.text.en).toContain('bad.yaml');
    expect(error.text.en).toContain('line 9 column 10');
    expect(error.text.en).toContain('key fields.sku.colum');
    expect(error.text.en).toContain('allowed keys: column, const, expr');
    expect(error.text['zh-CN']).toContain('第 9 行第 10 列');
    expect(error.text['zh-CN']).toContain('未知的键 colum');
  });

  it('bad enum value names value and choices', () => {
    const error = loadError(VALID.replace('  sku: goods_code', '  sku: { column: goods_code, type: money }'));
    expect(error.text.en).toContain('line 9 column 36');
    expect(error.text.en).toContain('key fields.sku.type, value "money"');
    expect(error.text.en).toContain('"decimal"');
  });

  it('missing key points at its parent', () => {
    const error = loadError(VALID.replace('  key: [id]\n', ''));
    expect(error.text.en).toContain('key source.key');
    expect(error.text.en).toContain('required key is missing');
    expect(error.text.en).toContain('line 4 column 3');
  });

  it('needs exactly one value source', () => {
    const error = loadError(VALID.replace('  sku: goods_code', '  sku: { column: goods_code, const: "x" }'));
    expect(error.text.en).toContain('give exactly one of these keys: column, const, expr');
  });

  it('YAML syntax error has a position', () => {
    const error = loadError('version: 1\nkind: [goods\n');
    expect(error.text.en).toMatch(/line \d+ column \d+/);
    expect(error.text.en).toContain('YAML syntax error');
  });

  it('version must be 1', () => {
    const error = loadError(VALID.replace('version: 1', 'version: 2'));
    expect(error.text.en).toContain('key version, value 2');
  });
});

describe('loadMapping', () => {
  function writeMapping(lookup: string | undefined): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'owh-mapping-'));
    mkdirSync(path.join(dir, 'goods'));
    const file = path.join(dir, 'goods', 'goods.yaml');
    writeFileSync(file, VALID);
    if (lookup !== undefined) writeFileSync(path.join(dir, 'goods', 'units.lookup.yaml'), lookup);
    return file;
  }

  it('reads lookup files next to the mapping', () => {
    const mapping = loadMapping(writeMapping('Dozen: "012"\nUnits: "007"\n'));
    const compiled = compileMapping(mapping, { sourceZone: 'UTC', targetZone: 'Asia/Shanghai', pipeline: 'goods' });
    expect(compiled.map({ id: '1', goods_code: 'A', goods_unit: 'Dozen' }, {})).toMatchObject({ ok: true, body: { sku: 'A', unit: '012' } });
  });

  it('missing lookup file is a config error', () => {
    const file = writeMapping(undefined);
    expect(() => loadMapping(file)).toThrow(/cannot read lookup file .*units\.lookup\.yaml/);
  });

  it('nested lookup file is rejected', () => {
    expect(() => loadMapping(writeMapping('Dozen: { factor: 12 }\n'))).toThrow(/must be a flat map/);
  });

  it('missing mapping file names the path', () => {
    expect(() => loadMapping('/nonexistent/owh/goods.yaml')).toThrow(/goods\.yaml/);
  });
});

describe('runMappingTests', () => {
  const withTests = (tests: string) => `version: 1
kind: goods
source: { table: goods, key: [id], cursor: { column: update_time } }
recordKey: "{code}"
fields:
  sku: code
  weight: { column: w, type: decimal, scale: 2 }
tests:
${tests}`;

  it('reports a passing and a failing case', () => {
    const file = parseMapping(
      withTests(`  - name: passes
    input: { row: { id: 1, code: A, w: 0.30000000000000004 } }
    expect: { key: A, op: upsert, body: { sku: A, weight: "0.30" } }
  - name: wrong body
    input: { row: { id: 1, code: A, w: 1 } }
    expect: { body: { sku: A, weight: "1" } }
  - name: problems
    input: { row: { id: 1, code: A, w: abc } }
    expectProblems: [{ path: weight, code: invalid_decimal }]`),
      'tests.yaml',
      process.cwd(),
    );
    const results = runMappingTests(file);
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['passes', true],
      ['wrong body', false],
      ['problems', true],
    ]);
    expect(results[1]!.failures[0]!.en).toContain('"weight":"1.00"');
  });

  it('body key order is compared', () => {
    const file = parseMapping(
      withTests(`  - name: order
    input: { row: { id: 1, code: A, w: 1 } }
    expect: { body: { weight: "1.00", sku: A } }`),
      'tests.yaml',
      process.cwd(),
    );
    expect(runMappingTests(file)[0]!.passed).toBe(false);
  });
});
