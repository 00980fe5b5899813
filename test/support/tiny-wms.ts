import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

import { computeUsccCheckChar } from '../../connectors/platform/formats.js';

/**
 * Creates a one-table SQLite WMS for pipeline tests (`sku_master` rows that
 * map to valid goods records) and the mapping file for it.
 */
export function createTinyWms(dir: string, rows: number): { wmsFile: string; mappingFile: string } {
  const wmsFile = path.join(dir, 'tiny-wms.sqlite');
  const db = new Database(wmsFile);

  db.exec(`
    CREATE TABLE sku_master (
      id INTEGER PRIMARY KEY,
      sku TEXT NOT NULL,
      name TEXT NOT NULL,
      hs_code TEXT NOT NULL,
      price TEXT NOT NULL,
      is_deleted INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL
    );
  `);
  const insert = db.prepare('INSERT INTO sku_master (id, sku, name, hs_code, price, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= rows; id++) {
      // Pairs of rows share a timestamp, so keyset tie-breaking is exercised.
      const second = String(Math.floor(id / 2) % 60).padStart(2, '0');
      const minute = String(Math.floor(id / 120) % 60).padStart(2, '0');
      insert.run(id, `SKU-${id}`, `测试商品${id}号`, '8518300000', `${id}.50`, `2024-05-01 10:${minute}:${second}.000000`);
    }
  })();
  db.close();

  const mappingFile = path.join(dir, 'goods.yaml');
  fs.writeFileSync(mappingFile, TINY_GOODS_MAPPING);
  return { wmsFile, mappingFile };
}

/** Updates rows of the tiny WMS with a later timestamp. */
export function touchTinyRows(wmsFile: string, ids: number[], price: string): void {
  const db = new Database(wmsFile);
  const update = db.prepare(`UPDATE sku_master SET price = ?, updated_at = ? WHERE id = ?`);
  db.transaction(() => ids.forEach((id) => update.run(price, '2024-05-02 09:00:00.000000', id)))();
  db.close();
}

export const TINY_OWNER_USCC = '91440300MA5G8KQ2X' + computeUsccCheckChar('91440300MA5G8KQ2X');

const TINY_GOODS_MAPPING = `version: 1
kind: goods
source:
  table: sku_master
  key: [id]
  cursor: { column: updated_at, kind: datetime }
  deleted: { when: "is_deleted == 1" }
fields:
  sku: sku
  goodsName: name
  hsCode: hs_code
  spec: { const: "品牌:测试|型号:T1" }
  unit: { const: "007" }
  declaredPrice: { column: price, type: decimal, scale: 5 }
  currency: { const: USD }
`;
