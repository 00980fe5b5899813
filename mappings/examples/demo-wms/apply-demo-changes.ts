import { DateTime } from 'luxon';
import Database from 'better-sqlite3';
import { makeExportEntryId } from './demo-codes.js';
import { formatScaled, parseScaled, scaleUnits } from './demo-decimal.js';
import { DEMO_WMS_TABLES } from './demo-model.js';
import { compactDate, formatNaiveDate, formatNaiveDateTime, MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, parseNaiveDateTime } from './demo-time.js';

const MICROS_PER_MILLISECOND = 1000;

/** Customs office of the new inbound order's declaration. */
const NEW_INBOUND_OFFICE = '5316';

/** Units per carton on the new inbound order's lines. */
const NEW_INBOUND_UNITS_PER_CARTON = 24;

export interface DemoChanges {
  /** Changed rows by table, named by business key: 'SKU', 'order no/line no', 'warehouse/SKU'. */
  changed: Record<string, string[]>;
}

interface SkuRow {
  id: number;
  sku: string;
  declared_price: string;
}

interface InventoryRow {
  id: number;
  wh_code: string;
  sku: string;
  owner_code: string;
  owner_name: string;
  owner_uscc: string | null;
  available_qty: number;
  unit_code: string;
}

/**
 * Makes the few edits that the demo's second run must pick up. They are two
 * SKU price changes, one outbound line quantity whose order row stays
 * untouched, one SKU soft delete, one new inbound order with three lines,
 * and the three stock rows that inbound order fills.
 *
 * Every edit gets its own updated_at, later than any updated_at in the
 * file and close to `now` (the current time by default). The choice of rows
 * depends only on the data, so the same file and clock always give the same
 * edits. Runs in one transaction and throws when the file lacks the rows it
 * needs.
 */
export function applyDemoChanges(filePath: string, options: { now?: Date } = {}): DemoChanges {
  const db = new Database(filePath, { fileMustExist: true });
  try {
    return db.transaction(() => applyChanges(db, options.now ?? new Date()))();
  } finally {
    db.close();
  }
}

function applyChanges(db: Database.Database, now: Date): DemoChanges {
  const changed: Record<string, string[]> = {};
  const record = (table: string, key: string) => (changed[table] ??= []).push(key);

  // Edits are one millisecond apart, after the latest change in the file and
  // close to now in the WMS zone, because a real WMS stamps an edit with the
  // current time.
  let clock = Math.max(latestUpdate(db), recentWmsTime(now));
  const nextTime = () => (clock += MICROS_PER_MILLISECOND);

  for (const sku of changeSkuPrices(db, nextTime)) record('wh_sku', sku);
  record('wh_outbound_line', changeOutboundLineQty(db, formatNaiveDateTime(nextTime())));
  record('wh_sku', softDeleteUnusedSku(db, formatNaiveDateTime(nextTime())));

  const inbound = addInboundOrder(db, nextTime());
  record('wh_inbound_order', inbound.inboundNo);
  for (const line of inbound.lines) record('wh_inbound_line', `${inbound.inboundNo}/${line.lineNo}`);

  for (const line of inbound.lines) {
    const row = line.stock;
    const available = row.available_qty + line.qty;
    const price = db.prepare<[string], { declared_price: string }>('SELECT declared_price FROM wh_sku WHERE sku = ?').get(row.sku)!;
    db.prepare('UPDATE wh_inventory SET available_qty = ?, inventory_value = ?, updated_at = ? WHERE id = ?').run(
      available,
      formatScaled(available * parseScaled(price.declared_price, 2), 2),
      formatNaiveDateTime(nextTime()),
      row.id,
    );
    record('wh_inventory', `${row.wh_code}/${row.sku}`);
  }

  return { changed };
}

/** 50 ms before now, as naive Asia/Shanghai time in microseconds (the demo WMS zone). */
function recentWmsTime(now: Date): number {
  const text = DateTime.fromJSDate(now).setZone('Asia/Shanghai').minus({ milliseconds: 50 }).toFormat('yyyy-MM-dd HH:mm:ss.SSS');
  return parseNaiveDateTime(`${text}000`);
}

function latestUpdate(db: Database.Database): number {
  const union = DEMO_WMS_TABLES.map((table) => `SELECT MAX(updated_at) AS latest FROM ${table}`).join(' UNION ALL ');
  const row = db.prepare<[], { latest: string | null }>(`SELECT MAX(latest) AS latest FROM (${union})`).get();
  if (row?.latest == null) throw new Error('applyDemoChanges: the file has no rows; run generateDemoWms first');
  return parseNaiveDateTime(row.latest);
}

/** Raises the declared price of the first two live SKUs by 8 %. */
function changeSkuPrices(db: Database.Database, nextTime: () => number): string[] {
  const rows = db
    .prepare<[], SkuRow>('SELECT id, sku, declared_price FROM wh_sku WHERE is_deleted = 0 ORDER BY id LIMIT 2')
    .all();
  if (rows.length < 2) throw new Error('applyDemoChanges: expected at least 2 live SKUs');

  const update = db.prepare('UPDATE wh_sku SET declared_price = ?, updated_at = ? WHERE id = ?');
  for (const row of rows) {
    const newCents = scaleUnits(parseScaled(row.declared_price, 2), 108, 100);
    update.run(formatScaled(newCents, 2), formatNaiveDateTime(nextTime()), row.id);
  }
  return rows.map((row) => row.sku);
}

/** Adds one unit to the first line of the newest sale with several lines, and leaves the order row as it is. */
function changeOutboundLineQty(db: Database.Database, updatedAt: string): string {
  const line = db
    .prepare<[], { id: number; line_no: number; qty: number; price: string; outbound_no: string }>(
      `SELECT l.id, l.line_no, l.qty, l.price, o.outbound_no
         FROM wh_outbound_line l JOIN wh_outbound_order o ON o.id = l.outbound_id
        WHERE o.outbound_type = '01' AND l.is_deleted = 0
          AND (SELECT COUNT(*) FROM wh_outbound_line x WHERE x.outbound_id = o.id) >= 2
        ORDER BY o.id DESC, l.line_no
        LIMIT 1`,
    )
    .get();
  if (line === undefined) throw new Error('applyDemoChanges: expected a B2C outbound order with at least 2 lines');

  const qty = line.qty + 1;
  db.prepare('UPDATE wh_outbound_line SET qty = ?, total_price = ?, updated_at = ? WHERE id = ?').run(
    qty,
    formatScaled(qty * parseScaled(line.price, 2), 2),
    updatedAt,
    line.id,
  );
  return `${line.outbound_no}/${line.line_no}`;
}

/**
 * Soft-deletes the newest live SKU that no document or stock row uses,
 * because a WMS lets only such a listing be withdrawn. Without one it takes
 * the newest live SKU.
 */
function softDeleteUnusedSku(db: Database.Database, updatedAt: string): string {
  const unused = db
    .prepare<[], { id: number; sku: string }>(
      `SELECT id, sku FROM wh_sku s
        WHERE is_deleted = 0
          AND NOT EXISTS (SELECT 1 FROM wh_inventory i WHERE i.sku = s.sku)
          AND NOT EXISTS (SELECT 1 FROM wh_inbound_line l WHERE l.sku = s.sku)
          AND NOT EXISTS (SELECT 1 FROM wh_outbound_line l WHERE l.sku = s.sku)
        ORDER BY id DESC LIMIT 1`,
    )
    .get();
  const target = unused ?? db.prepare<[], { id: number; sku: string }>('SELECT id, sku FROM wh_sku WHERE is_deleted = 0 ORDER BY id DESC LIMIT 1').get();
  if (target === undefined) throw new Error('applyDemoChanges: no live SKU left to delete');

  db.prepare('UPDATE wh_sku SET is_deleted = 1, updated_at = ? WHERE id = ?').run(updatedAt, target.id);
  return target.sku;
}

interface NewInbound {
  inboundNo: string;
  lines: Array<{ lineNo: number; qty: number; stock: InventoryRow }>;
}

/**
 * Adds a 9810 export-stock inbound order, put away at `at`, for three SKUs
 * of one owner that the first warehouse already stocks.
 */
function addInboundOrder(db: Database.Database, at: number): NewInbound {
  const stock = pickStockRows(db);
  const owner = stock[0]!;
  const day = compactDate(at);
  const updatedAt = formatNaiveDateTime(at);

  const sameDay = db
    .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM wh_inbound_order WHERE inbound_no LIKE ?')
    .get(`RK${day}%`)!;
  const inboundNo = `RK${day}${String(sameDay.n + 1).padStart(4, '0')}`;

  const exportAt = at - 21 * MICROS_PER_DAY;
  const year = Number(formatNaiveDate(exportAt).slice(0, 4));
  const entryPrefix = `${NEW_INBOUND_OFFICE}${year}0`;
  const lastEntry = db
    .prepare<[string], { entry: string | null }>('SELECT MAX(entry_id) AS entry FROM wh_inbound_order WHERE entry_id LIKE ?')
    .get(`${entryPrefix}%`)!;
  const entryId = makeExportEntryId(NEW_INBOUND_OFFICE, year, lastEntry.entry === null ? 1 : Number(lastEntry.entry.slice(9)) + 1);

  const skuInfo = db.prepare<[string], { hs_code: string; declared_price: string; gross_weight_kg: string }>(
    'SELECT hs_code, declared_price, gross_weight_kg FROM wh_sku WHERE sku = ?',
  );
  const lines = stock.map((row, index) => {
    const cartons = 10 + index * 5;
    return { row, cartons, qty: cartons * NEW_INBOUND_UNITS_PER_CARTON, sku: skuInfo.get(row.sku)! };
  });

  const totalCents = lines.reduce((sum, line) => sum + line.qty * parseScaled(line.sku.declared_price, 2), 0);
  const grams = lines.reduce((sum, line) => sum + line.qty * parseScaled(line.sku.gross_weight_kg, 3), 0);
  const cartons = lines.reduce((sum, line) => sum + line.cartons, 0);

  const order = db
    .prepare(
      `INSERT INTO wh_inbound_order (inbound_no, wh_code, inbound_type, trade_mode, entry_id, invt_no, export_date,
         bill_no, first_leg_tracking_no, owner_code, owner_name, owner_uscc, arrived_at, putaway_at, package_count,
         gross_weight_kg, volume_m3, total_value, currency, status, remark, is_deleted, created_at, updated_at)
       VALUES (?, ?, '01', '9810', ?, NULL, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'USD', 30, ?, 0, ?, ?)`,
    )
    .run(
      inboundNo,
      owner.wh_code,
      entryId,
      formatNaiveDate(exportAt),
      owner.owner_code,
      owner.owner_name,
      owner.owner_uscc,
      formatNaiveDateTime(at - 6 * MICROS_PER_HOUR),
      formatNaiveDateTime(at - 10 * MICROS_PER_MINUTE),
      cartons,
      formatScaled(grams + cartons * 350, 3),
      // About 60 litres per carton.
      formatScaled(cartons * 60, 3),
      formatScaled(totalCents, 2),
      '演示第二轮新增入仓单',
      formatNaiveDateTime(at - 8 * MICROS_PER_HOUR),
      updatedAt,
    );

  const insertLine = db.prepare(
    `INSERT INTO wh_inbound_line (inbound_id, line_no, sku, hs_code, qty, unit_code, carton_count, entry_item_no,
       price, total_price, is_deleted, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  lines.forEach((line, index) => {
    const priceCents = parseScaled(line.sku.declared_price, 2);
    insertLine.run(
      order.lastInsertRowid,
      index + 1,
      line.row.sku,
      line.sku.hs_code,
      line.qty,
      line.row.unit_code,
      line.cartons,
      index + 1,
      formatScaled(priceCents, 2),
      formatScaled(priceCents * line.qty, 2),
      formatNaiveDateTime(at - 8 * MICROS_PER_HOUR),
      updatedAt,
    );
  });

  return { inboundNo, lines: lines.map((line, index) => ({ lineNo: index + 1, qty: line.qty, stock: line.row })) };
}

/** Three stock rows of the first warehouse, all of the owner of its oldest stock row, for live SKUs. */
function pickStockRows(db: Database.Database): InventoryRow[] {
  const rows = db
    .prepare<[], InventoryRow>(
      `SELECT i.id, i.wh_code, i.sku, i.owner_code, i.owner_name, i.owner_uscc, i.available_qty, i.unit_code
         FROM wh_inventory i JOIN wh_sku s ON s.sku = i.sku
        WHERE s.is_deleted = 0 AND i.wh_code = (SELECT wh_code FROM wh_warehouse ORDER BY id LIMIT 1)
        ORDER BY i.id`,
    )
    .all();
  if (rows.length === 0) throw new Error('applyDemoChanges: the first warehouse has no stock rows');

  const sameOwner = rows.filter((row) => row.owner_code === rows[0]!.owner_code);
  return (sameOwner.length >= 3 ? sameOwner : rows).slice(0, 3);
}
