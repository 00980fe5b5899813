import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PipelineSummary } from '../../pipelines/pipeline-runner.js';
import { execPostgres, freshPostgres, POSTGRES, serverAvailable } from '../support/databases.js';
import { REPO_ROOT, SAMPLES_DIR, type SampleRun, allFinished, beijingToday, bodyOf, daysSinceBeijingDate, loadSqlFile, outcomesOf, startSampleRun } from './sample-harness.js';

// The Odoo stock sample (PostgreSQL) synced with the bundled example
// mappings into the in-process platform sandbox: a full sync, a run without
// changes and a run after an edit.
const DATABASE = 'owh_it_odoo';
const MAPPINGS = path.join(REPO_ROOT, 'mappings/examples/odoo');
const PIPELINES = ['warehouse', 'goods', 'inbound', 'outbound', 'return', 'inventory'];

const postgresUp = await serverAvailable('postgres');

describe.skipIf(!postgresUp)('Odoo stock sample on PostgreSQL', () => {
  let sample: SampleRun;
  let first: PipelineSummary[];
  let second: PipelineSummary[];
  let third: PipelineSummary[];
  let messagesAfterFirst: number;
  let messagesAfterSecond: number;

  beforeAll(async () => {
    await freshPostgres(DATABASE);
    loadSqlFile(
      'psql',
      ['-h', POSTGRES.host, '-p', String(POSTGRES.port), '-U', POSTGRES.user, '-d', DATABASE, '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-'],
      path.join(SAMPLES_DIR, 'OdooStock.pg.sql'),
    );

    sample = await startSampleRun({
      prefix: 'owh-it-odoo-',
      sourceYaml: [
        '  odoo:',
        '    client: pg',
        `    connection: { host: ${POSTGRES.host}, port: ${POSTGRES.port}, user: ${POSTGRES.user}, database: ${DATABASE} }`,
        '    timezone: UTC',
        // Small pages make every read cross several keyset pages.
        '    pageSize: 2',
      ].join('\n'),
      // No commit lag, so rows stamped just before a run are inside its window.
      pipelinesYaml: PIPELINES.map(
        (name) => `  ${name}: { source: odoo, mapping: ${path.join(MAPPINGS, `${name}.yaml`)}, commitLagSeconds: 0 }`,
      ).join('\n'),
    });

    first = await sample.run();
    messagesAfterFirst = (await sample.stats()).messages;
    second = await sample.run();
    messagesAfterSecond = (await sample.stats()).messages;

    // A cost correction on one delivery move, stamped in UTC as Odoo does.
    await execPostgres(DATABASE, "UPDATE stock_move SET price_unit = 59.5, write_date = now() AT TIME ZONE 'UTC' WHERE id = 7");
    third = await sample.run();
  }, 120_000);

  afterAll(async () => {
    await sample?.close();
  });

  it('finishes every pipeline in every run', () => {
    expect(outcomesOf(first)).toEqual(allFinished(PIPELINES));
    expect(outcomesOf(second)).toEqual(allFinished(PIPELINES));
    expect(outcomesOf(third)).toEqual(allFinished(PIPELINES));
  });

  it('accepts the expected record count per kind', async () => {
    const stats = await sample.stats();
    expect(stats.acceptedByKind).toEqual({ warehouse: 3, goods: 6, inbound: 2, outbound: 2, return: 1, inventory: 2 });
    expect(stats.rejectedRecords).toBe(0);
    expect(first.map((summary) => summary.counts.deadLettered)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  // NOTE: runs that straddle midnight in Beijing (16:00 UTC) see the next
  // day's inventory snapshot as due, so this check fails for them.
  it('sends nothing on the second run', () => {
    expect(second.map((summary) => summary.counts.sent)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(messagesAfterSecond).toBe(messagesAfterFirst);
  });

  it('re-sends a delivery after a move edit', async () => {
    expect(third.map((summary) => summary.counts.sent)).toEqual([0, 0, 0, 1, 0, 0]);

    const delivery = bodyOf(await sample.records('outbound'), 'copNo', 'ONT/OUT/00002')!;
    expect(delivery.lines).toEqual([{ gnum: '1', sku: 'EAR-TWS-BLK', qty: '1.00000', unit: '007', price: '59.50000', totalPrice: '59.50000' }]);
  });

  it('reports the archived warehouse as closed', async () => {
    const records = await sample.records('warehouse');

    expect(bodyOf(records, 'copWarehouseCode', 'NJ')?.status).toBe('3');
    expect(bodyOf(records, 'copWarehouseCode', 'ONT')?.countryCode).toBe('USA');
    expect(bodyOf(records, 'copWarehouseCode', 'FRA')?.countryCode).toBe('DEU');
    expect(bodyOf(records, 'copWarehouseCode', 'FRA')?.address).toBe('Hanauer Landstraße 291');
  });

  it('sends storable variants with translated names', async () => {
    const records = await sample.records('goods');
    const skus = records.map((record) => (record.body as Record<string, unknown>).sku).sort();

    // No service (SHIP-FEE) and no archived variant (OLD-001).
    expect(skus).toEqual(['BOTTLE-350', 'CBL-C-1M', 'EAR-TWS-BLK', 'ODOO-8', 'PET-TREE-L', 'PET-TREE-M']);
    expect(bodyOf(records, 'sku', 'EAR-TWS-BLK')?.goodsName).toBe('无线蓝牙耳机 TWS Pro 🎧');
    expect(bodyOf(records, 'sku', 'BOTTLE-350')?.goodsName).toBe('Kids\' "Bear" Bottle 350ml');
    expect(bodyOf(records, 'sku', 'PET-TREE-M')?.grossWeight).toBe('12.34568');
    expect(bodyOf(records, 'sku', 'ODOO-8')?.unit).toBe('035');
    expect(bodyOf(records, 'sku', 'ODOO-8')?.currency).toBe('EUR');
  });

  it('sends receipts in base units with UTC converted', async () => {
    const records = await sample.records('inbound');
    expect(records.map((record) => (record.body as Record<string, unknown>).copNo).sort()).toEqual(['FRA/IN/00001', 'ONT/IN/00001']);

    const ontario = bodyOf(records, 'copNo', 'ONT/IN/00001')!;
    expect(ontario.inboundTime).toBe('20240611160001');
    expect(ontario.tradeMode).toBe('9810');
    // 25 Dozens of cable are 300 units (product_qty), never 25.
    expect(ontario.lines).toEqual([
      { gnum: '1', sku: 'EAR-TWS-BLK', goodsName: '无线蓝牙耳机 TWS Pro 🎧', qty: '2.00000', unit: '007', price: '58.90000', totalPrice: '117.80000' },
      { gnum: '2', sku: 'CBL-C-1M', goodsName: 'USB-C 快充线 1米 ⚡', qty: '300.00000', unit: '007', price: '0.26667', totalPrice: '80.00000' },
      { gnum: '3', sku: 'PET-TREE-L', goodsName: '猫爬架', qty: '3.00000', unit: '007', price: '33.33333', totalPrice: '100.00000' },
    ]);

    const frankfurt = bodyOf(records, 'copNo', 'FRA/IN/00001')!;
    expect(frankfurt.inboundTime).toBe('20240331085959');
    expect(frankfurt.inboundType).toBe('99');
  });

  it('sends the two 01:30 deliveries an hour apart', async () => {
    const records = await sample.records('outbound');
    expect(records.map((record) => (record.body as Record<string, unknown>).copNo).sort()).toEqual(['ONT/OUT/00001', 'ONT/OUT/00002']);

    // Both were done at 01:30 Los Angeles time on 2024-11-03: PDT, then PST.
    expect(bodyOf(records, 'copNo', 'ONT/OUT/00001')?.outboundTime).toBe('20241103163000');
    expect(bodyOf(records, 'copNo', 'ONT/OUT/00002')?.outboundTime).toBe('20241103173000');
    expect(bodyOf(records, 'copNo', 'ONT/OUT/00001')?.outboundType).toBe('03');
    expect(bodyOf(records, 'copNo', 'ONT/OUT/00002')?.platformName).toBe('Shopify');
  });

  it('sends the return linked to its delivery', async () => {
    const records = await sample.records('return');
    expect(records).toHaveLength(1);

    expect(records[0]!.body).toEqual({
      copNo: 'ONT/RET/00001',
      copWarehouseCode: 'ONT',
      originalOrderNo: 'Shopify #1055',
      originalOutboundCopNo: 'ONT/OUT/00002',
      returnReason: '退货原因：左耳无声 🔇',
      buyerCountry: 'USA',
      receivedTime: '20241121081500',
      lines: [{ gnum: '1', sku: 'EAR-TWS-BLK', qty: '1.00000', unit: '007' }],
    });
  });

  it('snapshots internal quants per warehouse', async () => {
    const records = await sample.records('inventory');
    const snapshotTime = `${beijingToday()}000000`;

    const ontario = bodyOf(records, 'copWarehouseCode', 'ONT')!;
    expect(ontario.snapshotTime).toBe(snapshotTime);
    expect(ontario.lines).toEqual([
      { sku: 'BOTTLE-350', availableQty: '-3.00000', lockedQty: '0.00000', inTransitQty: '0.00000', damagedQty: '0.00000', unit: '007', ageDays: String(daysSinceBeijingDate('2024-11-03')) },
      { sku: 'CBL-C-1M', availableQty: '289.00000', lockedQty: '0.00000', inTransitQty: '0.00000', damagedQty: '0.00000', unit: '007', ageDays: String(daysSinceBeijingDate('2024-06-11')) },
      { sku: 'EAR-TWS-BLK', availableQty: '1.00000', lockedQty: '0.00000', inTransitQty: '0.00000', damagedQty: '0.00000', unit: '007', batchNo: 'SN-TWS-000001', ageDays: String(daysSinceBeijingDate('2024-06-11')) },
      // The returned serial sits in the return location, waiting for inspection.
      { sku: 'EAR-TWS-BLK', availableQty: '0.00000', lockedQty: '1.00000', inTransitQty: '0.00000', damagedQty: '0.00000', unit: '007', batchNo: 'SN-TWS-000002', ageDays: String(daysSinceBeijingDate('2024-11-21')) },
      { sku: 'PET-TREE-L', availableQty: '1.00000', lockedQty: '1.00000', inTransitQty: '0.00000', damagedQty: '0.00000', unit: '007', batchNo: 'LOT-2024-06-A', ageDays: String(daysSinceBeijingDate('2024-06-11')) },
    ]);

    const frankfurt = bodyOf(records, 'copWarehouseCode', 'FRA')!;
    expect(frankfurt.snapshotTime).toBe(snapshotTime);
    expect(frankfurt.lines).toEqual([
      { sku: 'ODOO-8', availableQty: '240.50000', lockedQty: '10.00000', inTransitQty: '0.00000', damagedQty: '0.00000', unit: '035', batchNo: 'CH-2403/31', ageDays: String(daysSinceBeijingDate('2024-03-31')) },
    ]);
  });
});
