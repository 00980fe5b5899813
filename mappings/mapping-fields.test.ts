import { describe, expect, it } from 'vitest';
import { bodyOf, compileText, problemsOf, withFields } from './test-support/compile-text.js';

describe('field sources', () => {
  it('column shorthand and const', () => {
    const mapping = compileText(withFields('  sku: code\n  unit: { const: "007" }\n  count: { const: 5 }'));
    expect(bodyOf(mapping, { id: '1', code: 'SKU-1' })).toEqual({ sku: 'SKU-1', unit: '007', count: '5' });
  });

  it('expression with string functions', () => {
    const mapping = compileText(withFields(`  note: { expr: 'concat(upper(code), " / ", trim(supplier))' }
  short: { expr: 'substr(name, 0, 2)' }
  padded: { expr: 'padStart(str(n), 4, "0")' }
  first: { expr: 'coalesce(a, b, "none")' }
  fixed: { expr: 'replace(code, "-", "_")' }`));
    const body = bodyOf(mapping, { id: '1', code: 'sku-1', supplier: '  深圳 ', name: '𠮷野家', n: 7, a: null, b: '' });
    expect(body).toEqual({ note: 'SKU-1 / 深圳', short: '𠮷野', padded: '0007', first: 'none', fixed: 'sku_1' });
  });

  it('expression arithmetic is decimal', () => {
    const mapping = compileText(withFields(`  total: { expr: 'price * qty + 0.1', type: decimal }
  sum: { expr: 'dec_add(a, b)', type: decimal }
  rounded: { expr: 'dec_round(dec_mul(a, 3), 2)' }
  halfEven: { expr: 'dec_round("2.345", 2, "halfEven")' }`));
    const body = bodyOf(mapping, { id: '1', price: '12345678901234.5678', qty: 2, a: 0.1, b: 0.2 });
    expect(body.total).toBe('24691357802469.2356');
    expect(body.sum).toBe('0.3');
    expect(body.rounded).toBe('0.30');
    expect(body.halfEven).toBe('2.34');
  });

  it('expression failure is a row problem', () => {
    const mapping = compileText(withFields("  total: { expr: 'name * 2' }"));
    expect(problemsOf(mapping, { id: '1', name: 'abc' })).toEqual(['total expression_failed']);
  });

  it('null and absent optional fields are omitted', () => {
    const mapping = compileText(withFields('  a: colA\n  b: colB\n  c: colC'));
    const body = bodyOf(mapping, { id: '1', colA: null, colC: '' });
    expect(body).toEqual({});
    expect(Object.keys(body)).not.toContain('a');
  });

  it('required field reports required', () => {
    const mapping = compileText(withFields('  name: { column: name, required: true }'));
    const result = mapping.map({ id: '1', name: '' }, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.code).toBe('required');
    expect(result.problems[0]!.path).toBe('name');
    expect(result.problems[0]!.message['zh-CN']).toContain('源列 name');
    expect(result.problems[0]!.message.en).toContain('source column name');
  });

  it('keepEmpty sends empty text', () => {
    const mapping = compileText(withFields('  name: { column: name, keepEmpty: true }'));
    expect(bodyOf(mapping, { id: '1', name: '' })).toEqual({ name: '' });
  });

  it('body keeps mapping field order', () => {
    const mapping = compileText(withFields('  zeta: z\n  alpha: a\n  mid: m'));
    const body = bodyOf(mapping, { id: '1', a: 'A', z: 'Z', m: 'M' });
    expect(JSON.stringify(body)).toBe('{"zeta":"Z","alpha":"A","mid":"M"}');
  });
});

describe('lookups and defaults', () => {
  const lookups = `lookups:
  warehouses: { "tenant-a": "SZ-LAX-01", "tenant-b": "SZ-ONT-02" }
  priorities: { 1: HIGH, 2: LOW }`;

  it('translates values through a table', () => {
    const mapping = compileText(withFields('  wh: { column: openid, lookup: warehouses }\n  prio: { column: p, lookup: priorities }', lookups));
    expect(bodyOf(mapping, { id: '1', openid: 'tenant-b', p: 1 })).toEqual({ wh: 'SZ-ONT-02', prio: 'HIGH' });
  });

  it('missing entry is a problem', () => {
    const mapping = compileText(withFields('  wh: { column: openid, lookup: warehouses }', lookups));
    expect(problemsOf(mapping, { id: '1', openid: 'tenant-x' })).toEqual(['wh lookup_missing']);
  });

  it('default covers a miss and a null', () => {
    const mapping = compileText(withFields('  wh: { column: openid, lookup: warehouses, default: "SZ-DEFAULT" }\n  country: { column: c, default: "USA" }', lookups));
    expect(bodyOf(mapping, { id: '1', openid: 'tenant-x', c: null })).toEqual({ wh: 'SZ-DEFAULT', country: 'USA' });
  });

  it('expression lookup function', () => {
    const mapping = compileText(withFields('  wh: { expr: \'lookup("warehouses", openid)\' }', lookups));
    expect(bodyOf(mapping, { id: '1', openid: 'tenant-a' })).toEqual({ wh: 'SZ-LAX-01' });
  });
});

describe('decimal fields', () => {
  it('keeps big decimals exact', () => {
    const mapping = compileText(withFields('  v: { column: v, type: decimal, scale: 4 }\n  raw: { column: v, type: decimal }'));
    expect(bodyOf(mapping, { id: '1', v: '12345678901234.5678' })).toEqual({ v: '12345678901234.5678', raw: '12345678901234.5678' });
  });

  it('rounds a double through its shortest text', () => {
    const mapping = compileText(withFields('  v: { column: v, type: decimal, scale: 5 }'));
    expect(bodyOf(mapping, { id: '1', v: 0.1 + 0.2 })).toEqual({ v: '0.30000' });
    expect(bodyOf(mapping, { id: '1', v: 126.60000000000001 })).toEqual({ v: '126.60000' });
    expect(bodyOf(mapping, { id: '1', v: 1e-7 })).toEqual({ v: '0.00000' });
  });

  it('rounding modes', () => {
    const fields = ['halfUp', 'halfEven', 'down', 'up'].map((mode) => `  ${mode}: { column: v, type: decimal, scale: 1, rounding: ${mode} }`).join('\n');
    const mapping = compileText(withFields(fields));
    expect(bodyOf(mapping, { id: '1', v: '2.25' })).toEqual({ halfUp: '2.3', halfEven: '2.2', down: '2.2', up: '2.3' });
    expect(bodyOf(mapping, { id: '1', v: '-0.04' })).toEqual({ halfUp: '0.0', halfEven: '0.0', down: '0.0', up: '-0.1' });
  });

  it('precision limit is a problem', () => {
    const mapping = compileText(withFields('  area: { column: v, type: decimal, precision: 5, scale: 2 }'));
    expect(bodyOf(mapping, { id: '1', v: '999.994' })).toEqual({ area: '999.99' });
    expect(problemsOf(mapping, { id: '1', v: '999.995' })).toEqual(['area too_many_digits']);
  });

  it('invalid number is a problem', () => {
    const mapping = compileText(withFields('  v: { column: v, type: decimal, scale: 2 }'));
    expect(problemsOf(mapping, { id: '1', v: '1,5' })).toEqual(['v invalid_decimal']);
  });

  it('unit conversion multiplies exactly', () => {
    const mapping = compileText(withFields(`  kg: { column: grams, type: decimal, scale: 5, convert: { multiply: "0.001" } }
  units: { column: dozens, type: decimal, scale: 5, convert: { multiply: "12" } }
  tonnes: { column: kg, type: decimal, scale: 3, convert: { divide: "1000" } }`));
    expect(bodyOf(mapping, { id: '1', grams: '123456789012.345', dozens: 25, kg: 0.30000000000000004 })).toEqual({
      kg: '123456789.01235',
      units: '300.00000',
      tonnes: '0.000',
    });
  });
});

describe('integer and boolean fields', () => {
  it('TINYINT(1) small integer stays a number', () => {
    const mapping = compileText(withFields('  pickPriority: { column: pick_priority, type: integer }'));
    expect(bodyOf(mapping, { id: '1', pick_priority: 5 })).toEqual({ pickPriority: 5 });
    expect(bodyOf(mapping, { id: '1', pick_priority: 0 })).toEqual({ pickPriority: 0 });
  });

  it('BIGINT beyond 2^53 is a problem as integer', () => {
    const mapping = compileText(withFields('  n: { column: n, type: integer }\n  text: { column: n }'));
    expect(problemsOf(mapping, { id: '1', n: '9007199254740993' })).toEqual(['n unsafe_integer']);
    const asText = compileText(withFields('  text: { column: n }'));
    expect(bodyOf(asText, { id: '1', n: '9007199254740993' })).toEqual({ text: '9007199254740993' });
  });

  it('fractional integer is a problem', () => {
    const mapping = compileText(withFields('  n: { column: n, type: integer }'));
    expect(problemsOf(mapping, { id: '1', n: '2.5' })).toEqual(['n invalid_integer']);
  });

  it('strict boolean rule', () => {
    const mapping = compileText(withFields('  isLocked: { column: is_locked, type: boolean }'));
    expect(bodyOf(mapping, { id: '1', is_locked: 0 })).toEqual({ isLocked: false });
    expect(bodyOf(mapping, { id: '2', is_locked: 1 })).toEqual({ isLocked: true });
    expect(bodyOf(mapping, { id: '3', is_locked: true })).toEqual({ isLocked: true });
    expect(problemsOf(mapping, { id: '4', is_locked: -1 })).toEqual(['isLocked invalid_boolean']);
  });

  it('nonZero boolean rule', () => {
    const mapping = compileText(withFields('  isLocked: { column: is_locked, type: boolean, booleanRule: nonZero }'));
    expect(bodyOf(mapping, { id: '3', is_locked: -1 })).toEqual({ isLocked: true });
    expect(bodyOf(mapping, { id: '1', is_locked: 0 })).toEqual({ isLocked: false });
  });
});

describe('JSON fields', () => {
  it('object from MariaDB JSON text and parsed json', () => {
    const mapping = compileText(withFields('  attrs: { column: attrs, type: object }'));
    expect(bodyOf(mapping, { id: '1', attrs: '{"zone":"A","temp":-18}' })).toEqual({ attrs: { zone: 'A', temp: -18 } });
    expect(bodyOf(mapping, { id: '2', attrs: { zone: 'B' } })).toEqual({ attrs: { zone: 'B' } });
    expect(bodyOf(mapping, { id: '3', attrs: null })).toEqual({});
    expect(problemsOf(mapping, { id: '4', attrs: '{zone' })).toEqual(['attrs invalid_json']);
  });

  it('jsonPath with fallback', () => {
    const mapping = compileText(withFields('  name: { column: name, jsonPath: zh_CN, fallback: [en_US] }\n  fee: { column: fee, jsonPath: "detail[0].cost", type: decimal, scale: 2 }'));
    expect(bodyOf(mapping, { id: '1', name: { en_US: 'Cable', zh_CN: '数据线' }, fee: '{"detail":[{"cost":1530.75}]}' })).toEqual({ name: '数据线', fee: '1530.75' });
    expect(bodyOf(mapping, { id: '2', name: '{"en_US":"Say \\"hi\\" it\'s"}', fee: '{}' })).toEqual({ name: 'Say "hi" it\'s' });
  });

  it('array from JSON and delimited text', () => {
    const mapping = compileText(withFields('  services: { column: s, type: array, split: "," }\n  photos: { column: p, type: array }'));
    expect(bodyOf(mapping, { id: '1', s: '01, 02,03', p: '["a.jpg"]' })).toEqual({ services: ['01', '02', '03'], photos: ['a.jpg'] });
  });
});

describe('string length', () => {
  it('counts code points, not UTF-16 units', () => {
    const mapping = compileText(withFields('  note: { column: note, maxLength: 5 }'));
    expect(bodyOf(mapping, { id: '1', note: '托盘😀破损' })).toEqual({ note: '托盘😀破损' });
    expect(problemsOf(mapping, { id: '2', note: '托盘😀破损了' })).toEqual(['note too_long']);
  });

  it('truncate cuts at a code point', () => {
    const mapping = compileText(withFields('  note: { column: note, maxLength: 3, truncate: true }'));
    expect(bodyOf(mapping, { id: '1', note: '托盘😀破损' })).toEqual({ note: '托盘😀' });
  });
});
