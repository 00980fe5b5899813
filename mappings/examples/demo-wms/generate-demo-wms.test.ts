import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidUscc } from '../../../connectors/platform/formats.js';
import { DEMO_WMS_TABLES, generateDemoWms } from './generate-demo-wms.js';

/** Every decimal column of the schema with its scale. */
const DECIMAL_COLUMNS: Record<string, Record<string, number>> = {
  wh_warehouse: { latitude: 6, longitude: 6, area_m2: 2, used_area_m2: 2, capacity_m3: 2 },
  wh_sku: {
    legal_qty: 3,
    declared_price: 2,
    gross_weight_kg: 3,
    net_weight_kg: 3,
    length_cm: 1,
    width_cm: 1,
    height_cm: 1,
  },
  wh_inbound_order: { gross_weight_kg: 3, volume_m3: 3, total_value: 2 },
  wh_inbound_line: { price: 2, total_price: 2 },
  wh_outbound_order: { goods_value: 2, freight: 2, gross_weight_kg: 3 },
  wh_outbound_line: { price: 2, total_price: 2 },
  wh_inventory: { inventory_value: 2 },
};

const USCC_COLUMNS: Array<[string, string]> = [
  ['wh_warehouse', 'operator_uscc'],
  ['wh_sku', 'owner_uscc'],
  ['wh_inbound_order', 'owner_uscc'],
  ['wh_outbound_order', 'seller_uscc'],
  ['wh_inventory', 'owner_uscc'],
];

const DATETIME_COLUMNS: Record<string, string[]> = {
  wh_warehouse: ['created_at', 'updated_at'],
  wh_sku: ['created_at', 'updated_at'],
  wh_inbound_order: ['arrived_at', 'putaway_at', 'created_at', 'updated_at'],
  wh_inbound_line: ['created_at', 'updated_at'],
  wh_outbound_order: ['ordered_at', 'shipped_at', 'created_at', 'updated_at'],
  wh_outbound_line: ['created_at', 'updated_at'],
  wh_return_order: ['received_at', 'created_at', 'updated_at'],
  wh_return_line: ['created_at', 'updated_at'],
  wh_inventory: ['created_at', 'updated_at'],
};

const UNIT_CODES = new Set(['001', '006', '007', '011', '012', '015', '016', '019', '025', '035', '140']);
const CURRENCIES = new Set(['USD', 'GBP', 'EUR', 'JPY', 'CAD', 'AUD', 'PLN']);
const COUNTRIES = new Set(['USA', 'CAN', 'GBR', 'IRL', 'DEU', 'FRA', 'NLD', 'AUT', 'POL', 'ITA', 'CZE', 'SVK', 'LTU', 'JPN', 'AUS', 'CHN', 'VNM']);

let dir: string;
let file: string;
let counts: Record<string, number>;
let db: Database.Database;

function all<T>(sql: string): T[] {
  return db.prepare<[], T>(sql).all();
}

function count(sql: string): number {
  return db.prepare<[], { n: number }>(sql).get()!.n;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'demo-wms-'));
  file = path.join(dir, 'demo.sqlite');
  counts = generateDemoWms(file).counts;
  db = new Database(file, { readonly: true });
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('generateDemoWms counts', () => {
  it('creates the documented default volumes', () => {
    expect(counts.wh_warehouse).toBe(4);
    expect(counts.wh_sku).toBe(300);
    expect(counts.wh_inbound_order).toBe(2000);
    expect(counts.wh_outbound_order).toBe(3000);
    expect(counts.wh_return_order).toBe(150);
  });

  it('reports the row counts in the file', () => {
    for (const table of DEMO_WMS_TABLES) {
      expect(count(`SELECT COUNT(*) AS n FROM ${table}`), table).toBe(counts[table]);
    }
  });

  it('gives inbound orders 1 to 5 lines', () => {
    const perOrder = all<{ n: number }>('SELECT COUNT(l.id) AS n FROM wh_inbound_order o LEFT JOIN wh_inbound_line l ON l.inbound_id = o.id GROUP BY o.id');
    expect(Math.min(...perOrder.map((row) => row.n))).toBe(1);
    expect(Math.max(...perOrder.map((row) => row.n))).toBe(5);
  });

  it('gives outbound orders 1 to 4 lines', () => {
    const perOrder = all<{ n: number }>('SELECT COUNT(l.id) AS n FROM wh_outbound_order o LEFT JOIN wh_outbound_line l ON l.outbound_id = o.id GROUP BY o.id');
    expect(Math.min(...perOrder.map((row) => row.n))).toBe(1);
    expect(Math.max(...perOrder.map((row) => row.n))).toBe(4);
  });

  it('gives every return at least one line', () => {
    expect(count('SELECT COUNT(*) AS n FROM wh_return_order o WHERE NOT EXISTS (SELECT 1 FROM wh_return_line l WHERE l.return_id = o.id)')).toBe(0);
  });

  it('keeps one stock row per warehouse and received SKU', () => {
    const received = count(
      'SELECT COUNT(*) AS n FROM (SELECT DISTINCT o.wh_code, l.sku FROM wh_inbound_order o JOIN wh_inbound_line l ON l.inbound_id = o.id)',
    );
    expect(counts.wh_inventory).toBe(received);
  });

  it('numbers lines from 1 without gaps', () => {
    for (const [table, parent] of [['wh_inbound_line', 'inbound_id'], ['wh_outbound_line', 'outbound_id'], ['wh_return_line', 'return_id']]) {
      const gaps = count(`SELECT COUNT(*) AS n FROM (SELECT ${parent}, COUNT(*) AS c, MAX(line_no) AS m, MIN(line_no) AS f FROM ${table} GROUP BY ${parent}) WHERE c <> m OR f <> 1`);
      expect(gaps, table).toBe(0);
    }
  });

  it('names Chinese goods, some with emoji', () => {
    expect(count("SELECT COUNT(*) AS n FROM wh_sku WHERE sku_name GLOB '*[一-龥]*'")).toBe(300);
    expect(count("SELECT COUNT(*) AS n FROM wh_sku WHERE sku_name LIKE '%🐱%' OR sku_name LIKE '%🎄%'")).toBeGreaterThan(0);
  });
});

describe('generateDemoWms determinism', () => {
  it('writes identical bytes and rows for the same seed', () => {
    const again = path.join(dir, 'again.sqlite');
    generateDemoWms(again);
    expect(readFileSync(again).equals(readFileSync(file))).toBe(true);

    const other = new Database(again, { readonly: true });
    try {
      for (const table of DEMO_WMS_TABLES) {
        const sql = `SELECT * FROM ${table} ORDER BY id`;
        expect(other.prepare(sql).all(), table).toEqual(db.prepare(sql).all());
      }
    } finally {
      other.close();
    }
  });

  it('writes different rows for another seed', () => {
    const other = path.join(dir, 'other-seed.sqlite');
    generateDemoWms(other, { seed: 7 });
    const otherDb = new Database(other, { readonly: true });
    try {
      const sql = 'SELECT inbound_no, wh_code, total_value FROM wh_inbound_order ORDER BY id LIMIT 20';
      expect(otherDb.prepare(sql).all()).not.toEqual(db.prepare(sql).all());
    } finally {
      otherDb.close();
    }
  });

  it('replaces an existing file', () => {
    const target = path.join(dir, 'replaced.sqlite');
    generateDemoWms(target, { skus: 10, inbound: 5, outbound: 5 });
    const { counts: second } = generateDemoWms(target, { skus: 12, inbound: 6, outbound: 0 });

    const reopened = new Database(target, { readonly: true });
    try {
      expect(reopened.prepare('SELECT COUNT(*) AS n FROM wh_sku').get()).toEqual({ n: 12 });
      expect(second.wh_outbound_order).toBe(0);
    } finally {
      reopened.close();
    }
  });
});

describe('generateDemoWms options', () => {
  it('honours smaller volumes', () => {
    const small = path.join(dir, 'small.sqlite');
    const { counts: smallCounts } = generateDemoWms(small, { seed: 5, warehouses: 2, skus: 20, inbound: 30, outbound: 40 });
    expect(smallCounts.wh_warehouse).toBe(2);
    expect(smallCounts.wh_sku).toBe(20);
    expect(smallCounts.wh_inbound_order).toBe(30);
    expect(smallCounts.wh_outbound_order).toBe(40);
    expect(smallCounts.wh_return_order).toBeLessThanOrEqual(2);
  });

  it.each([
    [{ warehouses: 0 }, /warehouses must be an integer from 1 to 8/],
    [{ warehouses: 9 }, /warehouses must be an integer from 1 to 8/],
    [{ skus: 1.5 }, /skus must be an integer/],
    [{ inbound: -1 }, /inbound must be an integer/],
    [{ seed: Number.NaN }, /seed must be a safe integer/],
  ])('rejects %o', (options, message) => {
    expect(() => generateDemoWms(path.join(dir, 'rejected.sqlite'), options)).toThrow(message);
  });

  it('rejects outbound orders without stock', () => {
    expect(() => generateDemoWms(path.join(dir, 'no-stock.sqlite'), { inbound: 0, outbound: 1 })).toThrow(/need stock/);
  });
});

describe('generateDemoWms values', () => {
  it('stores every decimal as text with its column scale', () => {
    for (const [table, columns] of Object.entries(DECIMAL_COLUMNS)) {
      for (const [column, scale] of Object.entries(columns)) {
        const pattern = new RegExp(`^-?\\d+\\.\\d{${scale}}$`);
        const values = all<{ value: unknown; type: string }>(`SELECT ${column} AS value, typeof(${column}) AS type FROM ${table} WHERE ${column} IS NOT NULL`);
        expect(values.length, `${table}.${column}`).toBeGreaterThan(0);

        const wrongType = values.filter((row) => row.type !== 'text');
        expect(wrongType.slice(0, 3), `${table}.${column} type`).toEqual([]);
        const wrongScale = values.filter((row) => !pattern.test(String(row.value)));
        expect(wrongScale.slice(0, 3), `${table}.${column} scale`).toEqual([]);
      }
    }
  });

  it('stores no binary float anywhere', () => {
    for (const table of DEMO_WMS_TABLES) {
      const columns = all<{ name: string }>(`PRAGMA table_info(${table})`).map((column) => column.name);
      const realChecks = columns.map((column) => `SUM(typeof(${column}) = 'real')`).join(' + ');
      expect(count(`SELECT ${realChecks} AS n FROM ${table}`), table).toBe(0);
    }
  });

  it('gives every USCC a valid GB 32100 check character', () => {
    for (const [table, column] of USCC_COLUMNS) {
      const values = all<{ value: string }>(`SELECT DISTINCT ${column} AS value FROM ${table}`).map((row) => row.value);
      expect(values.length, `${table}.${column}`).toBeGreaterThan(0);
      expect(values.filter((value) => !isValidUscc(value)), `${table}.${column}`).toEqual([]);
    }
  });

  it('declares exports by trade mode', () => {
    const orders = all<{ trade_mode: string | null; entry_id: string | null; invt_no: string | null; inbound_type: string }>(
      'SELECT trade_mode, entry_id, invt_no, inbound_type FROM wh_inbound_order',
    );
    for (const order of orders) {
      if (order.trade_mode === '9810' || order.trade_mode === '9710' || order.trade_mode === '0110') {
        expect(order.entry_id).toMatch(/^\d{8}0\d{9}$/);
        expect(order.invt_no).toBeNull();
      } else if (order.trade_mode === '9610') {
        expect(order.invt_no).toMatch(/^\d{8}E\d{9}$/);
        expect(order.entry_id).toBeNull();
      } else {
        expect(order.trade_mode).toBeNull();
        expect(order.inbound_type).not.toBe('01');
        expect(order.entry_id).toBeNull();
        expect(order.invt_no).toBeNull();
      }
    }
    expect(new Set(orders.map((order) => order.trade_mode))).toEqual(new Set(['9810', '9710', '9610', '0110', null]));
  });

  it('keeps declaration numbers unique', () => {
    expect(count('SELECT COUNT(*) - COUNT(DISTINCT entry_id) AS n FROM wh_inbound_order WHERE entry_id IS NOT NULL')).toBe(0);
    expect(count('SELECT COUNT(*) - COUNT(DISTINCT invt_no) AS n FROM wh_inbound_order WHERE invt_no IS NOT NULL')).toBe(0);
  });

  it('uses 10-digit HS codes', () => {
    expect(count("SELECT COUNT(*) AS n FROM wh_sku WHERE hs_code NOT GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'")).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM wh_inbound_line l JOIN wh_sku s ON s.sku = l.sku WHERE l.hs_code <> s.hs_code')).toBe(0);
  });

  it('uses valid EAN-13 barcodes', () => {
    for (const { barcode } of all<{ barcode: string }>('SELECT barcode FROM wh_sku')) {
      const digits = [...barcode].map(Number);
      const sum = digits.slice(0, 12).reduce((total, digit, index) => total + digit * (index % 2 === 0 ? 1 : 3), 0);
      expect(digits[12], barcode).toBe((10 - (sum % 10)) % 10);
    }
  });

  it('uses customs unit codes, ISO countries and currencies', () => {
    const units = all<{ v: string }>(
      'SELECT unit_code AS v FROM wh_sku UNION SELECT legal_unit_code FROM wh_sku UNION SELECT unit_code FROM wh_inbound_line UNION SELECT unit_code FROM wh_outbound_line UNION SELECT unit_code FROM wh_return_line UNION SELECT unit_code FROM wh_inventory',
    );
    expect(units.filter((row) => !UNIT_CODES.has(row.v))).toEqual([]);

    const countries = all<{ v: string }>(
      'SELECT country_iso3 AS v FROM wh_warehouse UNION SELECT origin_country FROM wh_sku UNION SELECT buyer_country FROM wh_outbound_order WHERE buyer_country IS NOT NULL UNION SELECT buyer_country FROM wh_return_order',
    );
    expect(countries.filter((row) => !COUNTRIES.has(row.v))).toEqual([]);

    const currencies = all<{ v: string }>(
      'SELECT currency AS v FROM wh_sku UNION SELECT currency FROM wh_inbound_order UNION SELECT currency FROM wh_outbound_order UNION SELECT currency FROM wh_outbound_line UNION SELECT currency FROM wh_inventory',
    );
    expect(currencies.filter((row) => !CURRENCIES.has(row.v))).toEqual([]);
  });

  it('keeps times in 2025 and 2026 in the naive microsecond format', () => {
    const format = /^202[56]-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/;
    for (const [table, columns] of Object.entries(DATETIME_COLUMNS)) {
      for (const column of columns) {
        const values = all<{ v: string }>(`SELECT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`).map((row) => row.v);
        expect(values.length, `${table}.${column}`).toBeGreaterThan(0);
        expect(values.filter((value) => !format.test(value)).slice(0, 3), `${table}.${column}`).toEqual([]);
      }
    }
  });

  it('sells only stock that arrived before the order', () => {
    const early = count(
      `SELECT COUNT(*) AS n FROM wh_outbound_order o JOIN wh_outbound_line l ON l.outbound_id = o.id
        WHERE o.created_at < (SELECT MIN(i.putaway_at) FROM wh_inbound_order i JOIN wh_inbound_line il ON il.inbound_id = i.id
                               WHERE i.wh_code = o.wh_code AND il.sku = l.sku)`,
    );
    expect(early).toBe(0);
  });

  it('adds line totals up to the order value', () => {
    const mismatches = all<{ outbound_no: string }>(
      `SELECT o.outbound_no FROM wh_outbound_order o JOIN wh_outbound_line l ON l.outbound_id = o.id
        GROUP BY o.id HAVING SUM(CAST(REPLACE(l.total_price, '.', '') AS INTEGER)) <> CAST(REPLACE(o.goods_value, '.', '') AS INTEGER)`,
    );
    expect(mismatches).toEqual([]);
  });

  it('stores no buyer name, street or phone', () => {
    const columns = all<{ name: string }>('PRAGMA table_info(wh_outbound_order)').map((column) => column.name);
    expect(columns.filter((name) => /buyer_(name|address|street|phone)|receiver/.test(name))).toEqual([]);
  });
});
