import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WAREHOUSE_TEMPLATES } from './demo-catalog-places.js';
import { buildInbound } from './demo-inbound-rows.js';
import { buildInventory } from './demo-inventory-rows.js';
import { buildSkus, buildWarehouses } from './demo-master-rows.js';
import { DEMO_WMS_TABLES, StockLedger, type DemoRow, type DemoTables } from './demo-model.js';
import { buildOutbound } from './demo-outbound-rows.js';
import { DemoRandom } from './demo-random.js';
import { buildReturns } from './demo-return-rows.js';

export { applyDemoChanges } from './apply-demo-changes.js';
export { DEMO_WMS_TABLES } from './demo-model.js';

export interface DemoWmsOptions {
  /** Seed of the pseudo-random data; the same seed gives the same file. Default 20250101. */
  seed?: number;
  /** Number of warehouses, 1 to 8. Default 4. */
  warehouses?: number;
  /** Number of SKUs. Default 300. */
  skus?: number;
  /** Number of inbound orders. Default 2000. */
  inbound?: number;
  /** Number of outbound orders. Default 3000. */
  outbound?: number;
  /** Number of returns. Default 5 % of the outbound orders (150 for 3000); fewer when few sales qualify. */
  returns?: number;
}

export const DEMO_WMS_DEFAULTS = {
  seed: 20250101,
  warehouses: 4,
  skus: 300,
  inbound: 2000,
  outbound: 3000,
} as const;

const SCHEMA_FILE = new URL('./demo-wms-schema.sql', import.meta.url);

/**
 * Creates the demo WMS database at `filePath`, replacing any file there,
 * and fills it with invented but valid overseas-warehouse data. The same
 * options give a byte-identical file. Returns the row count per table.
 */
export function generateDemoWms(filePath: string, options: DemoWmsOptions = {}): { counts: Record<string, number> } {
  const settings = resolveOptions(options);
  const tables = inventData(settings);

  // A fresh file, so the bytes depend on the seed alone.
  mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(filePath + suffix, { force: true });

  const db = new Database(filePath);
  try {
    // The file is rebuilt from scratch on failure, so durability buys nothing here.
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.exec(readFileSync(SCHEMA_FILE, 'utf8'));

    const counts: Record<string, number> = {};
    for (const table of DEMO_WMS_TABLES) {
      const rows = tables[table] ?? [];
      insertRows(db, table, rows);
      counts[table] = rows.length;
    }
    return { counts };
  } finally {
    db.close();
  }
}

type ResolvedOptions = Required<DemoWmsOptions>;

function resolveOptions(options: DemoWmsOptions): ResolvedOptions {
  const outbound = options.outbound ?? DEMO_WMS_DEFAULTS.outbound;
  const resolved: ResolvedOptions = {
    seed: options.seed ?? DEMO_WMS_DEFAULTS.seed,
    warehouses: options.warehouses ?? DEMO_WMS_DEFAULTS.warehouses,
    skus: options.skus ?? DEMO_WMS_DEFAULTS.skus,
    inbound: options.inbound ?? DEMO_WMS_DEFAULTS.inbound,
    outbound,
    returns: options.returns ?? Math.round(outbound / 20),
  };

  if (!Number.isSafeInteger(resolved.seed)) {
    throw new RangeError(`generateDemoWms: seed must be a safe integer, got ${resolved.seed}`);
  }
  checkCount('warehouses', resolved.warehouses, 1, WAREHOUSE_TEMPLATES.length);
  checkCount('skus', resolved.skus, 1, 100_000);
  checkCount('inbound', resolved.inbound, 0, 1_000_000);
  checkCount('outbound', resolved.outbound, 0, 1_000_000);
  checkCount('returns', resolved.returns, 0, 1_000_000);
  return resolved;
}

function checkCount(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`generateDemoWms: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/**
 * Invents every table in memory. Each table draws from its own random
 * stream, so changing one count leaves the tables built before it alone.
 */
function inventData(settings: ResolvedOptions): DemoTables {
  const stream = (name: string) => new DemoRandom(settings.seed, name);
  const ledger = new StockLedger();

  const { rows: warehouseRows, warehouses } = buildWarehouses(stream('warehouse'), settings.warehouses);
  const { rows: skuRows, skus } = buildSkus(stream('sku'), settings.skus);
  const inbound = buildInbound(stream('inbound'), settings.inbound, warehouses, skus, ledger);
  const outbound = buildOutbound(stream('outbound'), settings.outbound, warehouses, ledger);
  const returns = buildReturns(stream('return'), settings.returns, outbound.sales, ledger);
  const inventory = buildInventory(stream('inventory'), warehouses, ledger);

  return {
    wh_warehouse: warehouseRows,
    wh_sku: skuRows,
    wh_inbound_order: inbound.orders,
    wh_inbound_line: inbound.lines,
    wh_outbound_order: outbound.orders,
    wh_outbound_line: outbound.lines,
    wh_return_order: returns.orders,
    wh_return_line: returns.lines,
    wh_inventory: inventory,
  };
}

/** Inserts rows in one transaction; the columns are those of the first row. */
function insertRows(db: Database.Database, table: string, rows: readonly DemoRow[]): void {
  if (rows.length === 0) return;

  const columns = Object.keys(rows[0]!);
  const statement = db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`,
  );
  db.transaction(() => {
    for (const row of rows) statement.run(row);
  })();
}
