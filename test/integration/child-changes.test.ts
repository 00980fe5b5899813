import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startHarness, type SyncHarness } from '../support/sync-harness.js';

// Orders and lines joined on the order number, not on the order's id, as
// WMS schemas built on string codes do.
const SCHEMA = `
  CREATE TABLE outbound_order (id INTEGER PRIMARY KEY, order_no TEXT NOT NULL, status TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE outbound_order_line (id INTEGER PRIMARY KEY, order_no TEXT NOT NULL, sku TEXT NOT NULL, qty TEXT NOT NULL, updated_at TEXT NOT NULL, is_deleted INTEGER NOT NULL DEFAULT 0);
  INSERT INTO outbound_order VALUES (500, 'CK-500', 'PICKING', '2024-05-01 08:00:00.000000');
  INSERT INTO outbound_order VALUES (501, 'CK-501', 'PICKING', '2024-05-01 08:00:00.000000');
  INSERT INTO outbound_order_line VALUES (9001, 'CK-500', 'SKU-1', '10', '2024-05-01 08:00:00.000000', 0);
  INSERT INTO outbound_order_line VALUES (9002, 'CK-500', 'SKU-2', '4', '2024-05-01 08:00:00.000000', 0);
  INSERT INTO outbound_order_line VALUES (9003, 'CK-501', 'SKU-3', '1', '2024-05-01 08:00:00.000000', 0);
`;

const MAPPING = `version: 1
kind: outbound
source:
  table: outbound_order
  key: [id]
  cursor: { column: updated_at, kind: datetime }
children:
  lines:
    table: outbound_order_line
    parentKey: order_no
    parentColumn: order_no
    key: [id]
    orderBy: [id]
    changeCursor: { column: updated_at, kind: datetime }
    where: "is_deleted = 0"
    fields:
      gnum: { expr: rowNumber, type: decimal, scale: 0 }
      sku: sku
      qty: { column: qty, type: decimal, scale: 5 }
      unit: { const: "007" }
recordKey: "{order_no}"
fields:
  copNo: order_no
  copWarehouseCode: { const: US-LAX01 }
  outboundType: { const: "03" }
  outboundTime: { column: updated_at, type: datetime }
`;

interface RecordView {
  version: number;
  body: { lines: Array<{ sku: string; qty: string }> };
}

describe('child row changes', () => {
  let dir: string;
  let wmsFile: string;
  let harness: SyncHarness;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-child-'));
    wmsFile = path.join(dir, 'wms.sqlite');
    const db = new Database(wmsFile);
    db.exec(SCHEMA);
    db.close();

    const mappingFile = path.join(dir, 'outbound.yaml');
    fs.writeFileSync(mappingFile, MAPPING);
    harness = await startHarness({ wmsFile, pipelines: { outbound: mappingFile } });
  });

  afterEach(async () => {
    await harness.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function record(key: string): Promise<RecordView> {
    return (await (await fetch(`${harness.sandbox.url}/_sandbox/records/outbound/${key}`)).json()) as RecordView;
  }

  it('re-sends the parent of an edited line', async () => {
    const [first] = await harness.run();
    expect(first.counts).toMatchObject({ read: 2, sent: 2, accepted: 2 });

    // Line 9001 changes and line 9002 is deleted; the order row is untouched.
    const db = new Database(wmsFile);
    db.prepare(`UPDATE outbound_order_line SET qty = '12', updated_at = '2024-05-02 09:00:00.000000' WHERE id = 9001`).run();
    db.prepare(`DELETE FROM outbound_order_line WHERE id = 9002`).run();
    db.close();

    const [second] = await harness.run();
    expect(second.counts).toMatchObject({ sent: 1, accepted: 1 });

    const order = await record('CK-500');
    expect(order.version).toBe(2);
    expect(order.body.lines).toEqual([expect.objectContaining({ sku: 'SKU-1', qty: '12.00000' })]);
    expect((await record('CK-501')).version).toBe(1);
  });

  it('re-sends the parent of a soft-deleted line', async () => {
    await harness.run();

    // The deleted line leaves the child filter; its parent must still be re-sent.
    const db = new Database(wmsFile);
    db.prepare(`UPDATE outbound_order_line SET is_deleted = 1, updated_at = '2024-05-02 10:00:00.000000' WHERE id = 9002`).run();
    db.close();

    const [second] = await harness.run();
    expect(second.counts).toMatchObject({ sent: 1, accepted: 1 });
    expect((await record('CK-500')).body.lines.map((line) => line.sku)).toEqual(['SKU-1']);
  });

  it('finds a physically deleted line on a full refresh', async () => {
    await harness.run();

    const db = new Database(wmsFile);
    db.prepare(`DELETE FROM outbound_order_line WHERE id = 9002`).run();
    db.close();

    // Nothing with a timestamp changed, so an incremental run cannot see it.
    const [incremental] = await harness.run();
    expect(incremental.counts.sent).toBe(0);

    const [refresh] = await harness.run([], { fullRefresh: true });
    expect(refresh.counts).toMatchObject({ sent: 1, unchanged: 1 });
    expect((await record('CK-500')).body.lines.map((line) => line.sku)).toEqual(['SKU-1']);
  });

  it('sends nothing when no line changed', async () => {
    await harness.run();
    const [second] = await harness.run();
    expect(second.counts).toMatchObject({ read: 0, sent: 0 });
  });
});
