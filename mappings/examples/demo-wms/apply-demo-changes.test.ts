import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDemoChanges } from './apply-demo-changes.js';
import { DEMO_WMS_TABLES, generateDemoWms } from './generate-demo-wms.js';

type Row = Record<string, unknown>;

/** Business key of a row, as applyDemoChanges names it. */
const BUSINESS_KEYS: Record<string, string> = {
  wh_warehouse: 't.wh_code',
  wh_sku: 't.sku',
  wh_inbound_order: 't.inbound_no',
  wh_inbound_line: "(SELECT inbound_no FROM wh_inbound_order o WHERE o.id = t.inbound_id) || '/' || t.line_no",
  wh_outbound_order: 't.outbound_no',
  wh_outbound_line: "(SELECT outbound_no FROM wh_outbound_order o WHERE o.id = t.outbound_id) || '/' || t.line_no",
  wh_return_order: 't.return_no',
  wh_return_line: "(SELECT return_no FROM wh_return_order o WHERE o.id = t.return_id) || '/' || t.line_no",
  wh_inventory: "t.wh_code || '/' || t.sku",
};

/** Reads every row of every table as JSON text, keyed by business key. */
function snapshot(file: string): Map<string, Map<string, string>> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = new Map<string, Map<string, string>>();
    for (const table of DEMO_WMS_TABLES) {
      const rows = db.prepare<[], Row & { business_key: string }>(`SELECT ${BUSINESS_KEYS[table]} AS business_key, t.* FROM ${table} t`).all();
      tables.set(table, new Map(rows.map(({ business_key, ...row }) => [business_key, JSON.stringify(row)])));
    }
    return tables;
  } finally {
    db.close();
  }
}

/** Keys of rows that were added or differ, by table. */
function difference(before: Map<string, Map<string, string>>, after: Map<string, Map<string, string>>): Record<string, string[]> {
  const changed: Record<string, string[]> = {};
  for (const [table, rows] of after) {
    const old = before.get(table)!;
    const keys = [...rows].filter(([key, row]) => old.get(key) !== row).map(([key]) => key);
    const removed = [...old.keys()].filter((key) => !rows.has(key));
    if (keys.length + removed.length > 0) changed[table] = [...keys, ...removed];
  }
  return changed;
}

function latestUpdatedAt(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const union = DEMO_WMS_TABLES.map((table) => `SELECT MAX(updated_at) AS latest FROM ${table}`).join(' UNION ALL ');
    return db.prepare<[], { latest: string }>(`SELECT MAX(latest) AS latest FROM (${union})`).get()!.latest;
  } finally {
    db.close();
  }
}

let dir: string;
let original: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'demo-changes-'));
  original = path.join(dir, 'original.sqlite');
  generateDemoWms(original);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function freshCopy(name: string): string {
  const file = path.join(dir, name);
  copyFileSync(original, file);
  return file;
}

describe('applyDemoChanges', () => {
  it('changes exactly the rows it reports', () => {
    const file = freshCopy('exact.sqlite');
    const before = snapshot(file);
    const { changed } = applyDemoChanges(file);
    const actual = difference(before, snapshot(file));

    const sorted = (record: Record<string, string[]>) => Object.fromEntries(Object.entries(record).map(([table, keys]) => [table, [...keys].sort()]));
    expect(sorted(actual)).toEqual(sorted(changed));
  });

  it('reports the documented edits', () => {
    const { changed } = applyDemoChanges(freshCopy('documented.sqlite'));
    expect(changed.wh_sku).toHaveLength(3);
    expect(changed.wh_outbound_line).toHaveLength(1);
    expect(changed.wh_inbound_order).toHaveLength(1);
    expect(changed.wh_inbound_line).toHaveLength(3);
    expect(changed.wh_inventory).toHaveLength(3);
    expect(Object.keys(changed).sort()).toEqual(['wh_inbound_line', 'wh_inbound_order', 'wh_inventory', 'wh_outbound_line', 'wh_sku']);
  });

  it('dates every edit after every existing row', () => {
    const file = freshCopy('later.sqlite');
    const latestBefore = latestUpdatedAt(file);
    const before = snapshot(file);
    applyDemoChanges(file);
    const after = snapshot(file);

    const changedTimes: string[] = [];
    for (const [table, keys] of Object.entries(difference(before, after))) {
      for (const key of keys) changedTimes.push((JSON.parse(after.get(table)!.get(key)!) as { updated_at: string }).updated_at);
    }
    expect(changedTimes.length).toBeGreaterThan(0);
    expect(changedTimes.filter((time) => time <= latestBefore)).toEqual([]);
    expect(changedTimes.every((time) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/.test(time))).toBe(true);
  });

  it('changes an outbound line but not its order', () => {
    const file = freshCopy('child-only.sqlite');
    const { changed } = applyDemoChanges(file);
    const [outboundNo, lineNo] = changed.wh_outbound_line![0]!.split('/');

    expect(changed.wh_outbound_order).toBeUndefined();
    const db = new Database(file, { readonly: true });
    try {
      const line = db
        .prepare<[string, number], { qty: number; price: string; total_price: string; updated_at: string; order_updated_at: string }>(
          `SELECT l.qty, l.price, l.total_price, l.updated_at, o.updated_at AS order_updated_at
             FROM wh_outbound_line l JOIN wh_outbound_order o ON o.id = l.outbound_id
            WHERE o.outbound_no = ? AND l.line_no = ?`,
        )
        .get(outboundNo!, Number(lineNo))!;
      expect(line.updated_at > line.order_updated_at).toBe(true);
      expect(Number(line.total_price.replace('.', ''))).toBe(line.qty * Number(line.price.replace('.', '')));
    } finally {
      db.close();
    }
  });

  it('soft-deletes one SKU and reprices two', () => {
    const file = freshCopy('skus.sqlite');
    const before = snapshot(file).get('wh_sku')!;
    const { changed } = applyDemoChanges(file);
    const after = snapshot(file).get('wh_sku')!;

    const states = changed.wh_sku!.map((sku) => ({
      old: JSON.parse(before.get(sku)!) as { declared_price: string; is_deleted: number },
      now: JSON.parse(after.get(sku)!) as { declared_price: string; is_deleted: number },
    }));
    const deleted = states.filter((state) => state.now.is_deleted === 1);
    const repriced = states.filter((state) => state.now.declared_price !== state.old.declared_price);
    expect(deleted).toHaveLength(1);
    expect(repriced).toHaveLength(2);
    expect(repriced.every((state) => state.now.is_deleted === 0 && /^\d+\.\d{2}$/.test(state.now.declared_price))).toBe(true);
  });

  it('adds the new inbound quantities to the stock rows', () => {
    const file = freshCopy('stock.sqlite');
    const before = snapshot(file).get('wh_inventory')!;
    const { changed } = applyDemoChanges(file);

    const db = new Database(file, { readonly: true });
    try {
      const lines = db
        .prepare<[string], { wh_code: string; sku: string; qty: number }>(
          'SELECT o.wh_code, l.sku, l.qty FROM wh_inbound_line l JOIN wh_inbound_order o ON o.id = l.inbound_id WHERE o.inbound_no = ? ORDER BY l.line_no',
        )
        .all(changed.wh_inbound_order![0]!);
      expect(lines.map((line) => `${line.wh_code}/${line.sku}`)).toEqual(changed.wh_inventory);

      for (const line of lines) {
        const key = `${line.wh_code}/${line.sku}`;
        const old = JSON.parse(before.get(key)!) as { available_qty: number };
        const now = db.prepare<[string, string], { available_qty: number }>('SELECT available_qty FROM wh_inventory WHERE wh_code = ? AND sku = ?').get(line.wh_code, line.sku)!;
        expect(now.available_qty, key).toBe(old.available_qty + line.qty);
      }
    } finally {
      db.close();
    }
  });

  it('makes the same edits on identical files', () => {
    // A fixed clock, so that the two calls cannot straddle midnight in Shanghai.
    const now = new Date('2026-11-20T04:00:00Z');
    const first = applyDemoChanges(freshCopy('same-a.sqlite'), { now });
    const second = applyDemoChanges(freshCopy('same-b.sqlite'), { now });
    expect(second).toEqual(first);
  });

  it('can run twice on one file', () => {
    const file = freshCopy('twice.sqlite');
    const first = applyDemoChanges(file);
    const latest = latestUpdatedAt(file);
    const second = applyDemoChanges(file);
    expect(second.changed.wh_inbound_order).not.toEqual(first.changed.wh_inbound_order);
    expect(latestUpdatedAt(file) > latest).toBe(true);
  });

  it('rejects a missing file', () => {
    expect(() => applyDemoChanges(path.join(dir, 'missing.sqlite'))).toThrow();
  });
});
