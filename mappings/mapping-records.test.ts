import { describe, expect, it } from 'vitest';
import { OwhError } from '../config/errors.js';
import { bodyOf, compileText, problemsOf, withFields } from './test-support/compile-text.js';

const ORDER_MAPPING = `version: 1
kind: outbound
source:
  table: outbound_order
  key: [id]
  cursor: { column: updated_at }
  deleted: { when: "is_deleted == 1" }
children:
  lines:
    table: outbound_order_line
    parentKey: order_id
    key: [id]
    changeCursor: { column: updated_at }
    fields:
      gnum: { expr: rowNumber, type: integer }
      sku: sku
      qty: { column: qty, type: decimal, scale: 5, required: true }
      orderRef: { expr: 'concat(parent.code, "-", rowNumber)' }
recordKey: "{code}"
fields:
  copNo: code
  status: status
`;

describe('child lines', () => {
  it('orders lines and numbers them', () => {
    const mapping = compileText(ORDER_MAPPING);
    const lines = [
      { id: '9007199254740994', order_id: 500, sku: 'SKU-3', qty: 1 },
      { id: '9001', order_id: 500, sku: 'SKU-1', qty: 12 },
      { id: '9007199254740993', order_id: 500, sku: 'SKU-2', qty: '4.5' },
    ];
    const body = bodyOf(mapping, { id: 500, code: 'SO-500', status: 'PICKING', is_deleted: 0 }, { lines });
    expect(body).toEqual({
      copNo: 'SO-500',
      status: 'PICKING',
      lines: [
        { gnum: 1, sku: 'SKU-1', qty: '12.00000', orderRef: 'SO-500-1' },
        { gnum: 2, sku: 'SKU-2', qty: '4.50000', orderRef: 'SO-500-2' },
        { gnum: 3, sku: 'SKU-3', qty: '1.00000', orderRef: 'SO-500-3' },
      ],
    });
  });

  it('line problems name the line path', () => {
    const mapping = compileText(ORDER_MAPPING);
    const lines = [
      { id: 1, order_id: 500, sku: 'A', qty: 1 },
      { id: 2, order_id: 500, sku: 'B', qty: null },
    ];
    expect(problemsOf(mapping, { id: 500, code: 'SO-500', is_deleted: 0 }, { lines })).toEqual(['lines[1].qty required']);
  });

  it('no child rows give an empty list', () => {
    const mapping = compileText(ORDER_MAPPING);
    expect(bodyOf(mapping, { id: 500, code: 'SO-500', is_deleted: 0 })).toEqual({ copNo: 'SO-500', lines: [] });
  });

  it('describes the child read for the reader', () => {
    const mapping = compileText(ORDER_MAPPING);
    expect(mapping.children).toEqual([
      {
        field: 'lines',
        table: 'outbound_order_line',
        parentKey: 'order_id',
        parentColumn: 'id',
        key: ['id'],
        orderBy: ['id'],
        changeCursor: { column: 'updated_at' },
        columns: ['order_id', 'id', 'sku', 'qty', 'updated_at'],
      },
    ]);
    expect(mapping.source).toEqual({
      table: 'outbound_order',
      key: ['id'],
      cursor: { column: 'updated_at' },
      columns: ['id', 'code', 'status', 'is_deleted', 'updated_at'],
    });
  });
});

describe('deletes and record keys', () => {
  it('soft delete flag gives op delete', () => {
    const mapping = compileText(ORDER_MAPPING);
    const kept = mapping.map({ id: 1, code: 'SO-1', is_deleted: 0 }, {});
    const removed = mapping.map({ id: 3, code: 'SO-3', is_deleted: 1 }, {});
    expect(kept).toMatchObject({ ok: true, op: 'upsert', key: 'SO-1' });
    expect(removed).toMatchObject({ ok: true, op: 'delete', key: 'SO-3' });
  });

  it('boolean and text delete rules', () => {
    const mapping = compileText(withFields('  name: name', '').replace('cursor: { column: updated_at } }', 'cursor: { column: updated_at }, deleted: { when: "not active or state == \\"cancel\\"" } }'));
    expect(mapping.map({ id: 1, active: true, state: 'done' }, {})).toMatchObject({ op: 'upsert' });
    expect(mapping.map({ id: 2, active: false, state: 'done' }, {})).toMatchObject({ op: 'delete' });
    expect(mapping.map({ id: 3, active: true, state: 'cancel' }, {})).toMatchObject({ op: 'delete' });
  });

  it('record key from target fields', () => {
    const text = withFields('  sku: code\n  owner: owner').replace('recordKey: "{id}"', 'recordKey: [owner, sku]');
    expect(compileText(text).map({ id: 1, code: 'A', owner: 'tenant' }, {})).toMatchObject({ key: 'tenant|A' });
  });

  it('record key from the profile default', () => {
    const text = withFields('  sku: code').replace('recordKey: "{id}"\n', '');
    expect(compileText(text, { recordKey: ['sku'] }).map({ id: 1, code: 'A' }, {})).toMatchObject({ key: 'A' });
  });

  it('failed record still has its key', () => {
    const mapping = compileText(withFields('  n: { column: n, type: integer }'));
    expect(mapping.map({ id: '42', n: 'x' }, {})).toMatchObject({ ok: false, key: '42' });
  });
});

describe('compile errors', () => {
  function compileError(text: string, context = {}): OwhError {
    try {
      compileText(text, context);
    } catch (error) {
      if (error instanceof OwhError) return error;
      throw error;
    }
    throw new Error('expected compileMapping to throw');
  }

  it('expression syntax error has line and column', () => {
    const error = compileError(withFields("  a: colA\n  note: { expr: 'upper(a) ~ b' }"));
    expect(error.category).toBe('config');
    expect(error.text.en).toContain('line 7 column 17');
    expect(error.text.en).toContain('fields.note.expr');
    expect(error.text.en).toContain('at character 10 of the expression');
    expect(error.text['zh-CN']).toContain('第 7 行第 17 列');
  });

  it('unknown function is caught at compile time', () => {
    const error = compileError(withFields("  note: { expr: 'shout(a)' }"));
    expect(error.text.en).toContain('unknown function shout');
    expect(error.text.en).toContain('line 6 column 17');
  });

  it('unknown lookup and zone are reported together', () => {
    const error = compileError(withFields('  wh: { column: openid, lookup: nowhere }\n  t: { column: t, type: datetime, sourceZone: Mars/Base }'));
    expect(error.text.en).toContain('no lookup table named nowhere');
    expect(error.text.en).toContain('unknown time zone Mars/Base');
    expect(error.details.issues).toHaveLength(2);
  });

  it('bad default is a compile error', () => {
    const error = compileError(withFields('  v: { column: v, type: decimal, default: "n/a" }'));
    expect(error.text.en).toContain('fields.v.default');
  });

  it('division by zero is a compile error', () => {
    const error = compileError(withFields('  v: { column: v, type: decimal, convert: { divide: "0.0" } }'));
    expect(error.text.en).toContain('fields.v.convert.divide');
    expect(error.text.en).toContain('cannot divide by zero');
  });

  it('missing record key is a compile error', () => {
    const error = compileError(withFields('  sku: code').replace('recordKey: "{id}"\n', ''));
    expect(error.text.en).toContain('recordKey is missing');
  });
});
