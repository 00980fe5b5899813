import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SqliteStateStore } from '../../pipelines/state/sqlite-state-store.js';
import { startHarness, type SyncHarness } from '../support/sync-harness.js';
import { createTinyWms, touchTinyRows } from '../support/tiny-wms.js';

const ROWS = 120;

interface RecordView {
  version: number;
  appType: string;
  body: Record<string, unknown>;
}

describe('pipeline records', () => {
  let dir: string;
  let harness: SyncHarness;
  let wmsFile: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-records-'));
    const tiny = createTinyWms(dir, ROWS);
    wmsFile = tiny.wmsFile;
    harness = await startHarness({ wmsFile, pipelines: { goods: tiny.mappingFile }, pipelineSettings: { batchSize: 50 } });
  });

  afterEach(async () => {
    await harness.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function record(key: string): Promise<RecordView> {
    return (await (await fetch(`${harness.sandbox.url}/_sandbox/records/goods/${encodeURIComponent(key)}`)).json()) as RecordView;
  }

  async function deadLetters() {
    const loaded = harness.loaded();
    const store = new SqliteStateStore(loaded.resolve(loaded.config.state.path));
    try {
      return await store.listDeadLetters({ pipeline: 'goods', unresolvedOnly: true });
    } finally {
      await store.close();
    }
  }

  it('sends only changed rows on the next run', async () => {
    const [first] = await harness.run();
    expect(first.counts).toMatchObject({ read: ROWS, sent: ROWS, accepted: ROWS, unchanged: 0 });

    const [idle] = await harness.run();
    expect(idle.counts).toMatchObject({ read: 0, sent: 0 });

    touchTinyRows(wmsFile, [3, 77], '99.90');
    const [second] = await harness.run();
    expect(second.counts).toMatchObject({ read: 2, sent: 2, accepted: 2 });

    const sku3 = await record('SKU-3');
    expect(sku3.version).toBe(2);
    expect(sku3.appType).toBe('2');
    expect(sku3.body.declaredPrice).toBe('99.90000');
  });

  it('skips rows whose content did not change', async () => {
    await harness.run();

    // A timestamp bump with the same values reads the rows but sends nothing.
    touchTinyRows(wmsFile, [5, 6], '5.50');
    const db = new Database(wmsFile);
    db.prepare(`UPDATE sku_master SET price = '6.50' WHERE id = 6`).run();
    db.close();

    const [second] = await harness.run();
    expect(second.counts).toMatchObject({ read: 2, unchanged: 2, sent: 0 });
  });

  it('sends a soft delete as the delete operation', async () => {
    await harness.run();

    const db = new Database(wmsFile);
    db.prepare(`UPDATE sku_master SET is_deleted = 1, updated_at = '2024-05-03 08:00:00.000000' WHERE id = 10`).run();
    db.close();

    const [second] = await harness.run();
    expect(second.counts).toMatchObject({ read: 1, sent: 1, deleted: 1 });
    expect((await record('SKU-10')).appType).toBe('3');
  });

  it('finds hard deletes by key reconciliation', async () => {
    await harness.run();

    const db = new Database(wmsFile);
    db.prepare(`DELETE FROM sku_master WHERE id = 2`).run();
    db.prepare(`UPDATE sku_master SET is_deleted = 1, updated_at = '2024-05-03 08:00:00.000000' WHERE id = 3`).run();
    db.close();

    // An incremental run detects the soft delete only.
    const [incremental] = await harness.run();
    expect(incremental.counts).toMatchObject({ sent: 1, deleted: 1 });
    expect((await record('SKU-2')).appType).toBe('1');

    const [reconciled] = await harness.run([], { reconcileDeletes: true });
    expect(reconciled.outcome).toBe('finished');
    expect(reconciled.counts).toMatchObject({ sent: 1, deleted: 1 });
    expect((await record('SKU-2')).appType).toBe('3');

    // Nothing is left to delete the second time.
    const [again] = await harness.run([], { reconcileDeletes: true });
    expect(again.counts).toMatchObject({ sent: 0, deleted: 0 });
  });

  it('deletes a record whose only row left is soft-deleted', async () => {
    await harness.run();

    // A soft-deleted twin of SKU-5 stays behind when the live row is deleted.
    const db = new Database(wmsFile);
    db.prepare(`INSERT INTO sku_master (id, sku, name, hs_code, price, is_deleted, updated_at) VALUES (500, 'SKU-5', '旧', '8518300000', '1.00', 1, '2024-04-01 00:00:00.000000')`).run();
    db.prepare(`DELETE FROM sku_master WHERE id = 5`).run();
    db.close();

    const [reconciled] = await harness.run([], { reconcileDeletes: true });
    expect(reconciled.counts).toMatchObject({ deleted: 1 });
    expect((await record('SKU-5')).appType).toBe('3');
  });

  it('refuses a reconciliation that would delete most records', async () => {
    await harness.run();

    // A filter that matches nothing looks exactly like every row being deleted.
    const mapping = harness.loaded().resolve(harness.loaded().config.pipelines.goods.mapping);
    fs.writeFileSync(mapping, fs.readFileSync(mapping, 'utf8').replace('  key: [id]', '  key: [id]\n  where: "id > 1000000"'));

    const [reconciled] = await harness.run([], { reconcileDeletes: true });
    expect(reconciled.outcome).toBe('failed');
    expect(reconciled.error?.category).toBe('threshold-exceeded');
    expect(reconciled.error?.text.en).toContain('would delete 120 of the platform');
    expect(reconciled.counts.deleted).toBe(0);
    expect((await record('SKU-1')).appType).toBe('1');
  });

  it('dead-letters invalid rows with field, value and reason', async () => {
    const db = new Database(wmsFile);
    db.prepare(`UPDATE sku_master SET hs_code = '85183' WHERE id = 7`).run();
    db.prepare(`UPDATE sku_master SET price = 'abc' WHERE id = 8`).run();
    db.close();

    const [summary] = await harness.run();
    expect(summary.outcome).toBe('finished');
    expect(summary.counts).toMatchObject({ read: ROWS, deadLettered: 2, accepted: ROWS - 2 });

    const letters = await deadLetters();
    const byKey = new Map(letters.map((letter) => [letter.recordKey, letter]));
    const hs = byKey.get('SKU-7')!;
    expect(hs.stage).toBe('validate');
    expect(JSON.stringify(hs.detail)).toContain('hsCode');
    expect(JSON.stringify(hs.detail)).toContain('85183');

    const price = byKey.get('SKU-8')!;
    expect(price.stage).toBe('map');
    expect(JSON.stringify(price.detail)).toContain('declaredPrice');
    expect(JSON.stringify(price.detail)).toContain('abc');

    // Running again does not duplicate the dead letters of rows read again.
    await harness.run();
    expect(await deadLetters()).toHaveLength(2);
  });

  it('resends fixed rows on a full refresh', async () => {
    const db = new Database(wmsFile);
    db.prepare(`UPDATE sku_master SET hs_code = '85183' WHERE id = 7`).run();
    db.close();
    await harness.run();
    expect(await deadLetters()).toHaveLength(1);

    // The fix does not touch updated_at, as a hand edit in the WMS often does not.
    const fix = new Database(wmsFile);
    fix.prepare(`UPDATE sku_master SET hs_code = '8518300000' WHERE id = 7`).run();
    fix.close();

    const [incremental] = await harness.run();
    expect(incremental.counts.sent).toBe(0);

    const [refresh] = await harness.run([], { fullRefresh: true });
    expect(refresh.counts).toMatchObject({ read: ROWS, sent: 1, accepted: 1, unchanged: ROWS - 1 });
    expect(await deadLetters()).toHaveLength(0);
  });

  it('aborts when too many rows are invalid', async () => {
    const db = new Database(wmsFile);
    db.prepare(`UPDATE sku_master SET hs_code = 'x'`).run();
    db.close();
    const loaded = harness.loaded();
    const text = fs.readFileSync(harness.configFile, 'utf8').replace('commitLagSeconds: 0', 'commitLagSeconds: 0\n    deadLetters: { maxCount: 5 }');
    fs.writeFileSync(loaded.file, text);

    const [summary] = await harness.run();
    expect(summary.outcome).toBe('failed');
    expect(summary.error?.category).toBe('threshold-exceeded');
    expect(summary.error?.text.en).toContain('more than the limit of 5');
    expect(summary.counts.deadLettered).toBe(6);
  });
});
