import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AcceptedRecord } from '../../connectors/platform/sandbox/index.js';
import type { PipelineSummary } from '../../pipelines/pipeline-runner.js';
import { execMariaDb, freshMariaDb, MARIADB, serverAvailable } from '../support/databases.js';
import { REPO_ROOT, SAMPLES_DIR, type SampleRun, allFinished, beijingToday, bodyOf, daysSinceBeijingDate, loadSqlFile, outcomesOf, startSampleRun } from './sample-harness.js';

// The GreaterWMS sample (MariaDB) synced with the bundled example mappings
// into the in-process platform sandbox: a full sync, a run without changes
// and a run after a few edits.
const DATABASE = 'owh_it_greaterwms';
const MAPPINGS = path.join(REPO_ROOT, 'mappings/examples/greaterwms');
const PIPELINES = ['warehouse', 'goods', 'inbound', 'outbound', 'inventory'];

const mariadbUp = await serverAvailable('mariadb');

describe.skipIf(!mariadbUp)('GreaterWMS sample on MariaDB', () => {
  let sample: SampleRun;
  let first: PipelineSummary[];
  let second: PipelineSummary[];
  let third: PipelineSummary[];
  let messagesAfterFirst: number;
  let messagesAfterSecond: number;
  let outboundAfterFirst: AcceptedRecord[];

  beforeAll(async () => {
    await freshMariaDb(DATABASE);
    loadSqlFile('mariadb', [`-h${MARIADB.host}`, `-P${MARIADB.port}`, `-u${MARIADB.user}`, DATABASE], path.join(SAMPLES_DIR, 'GreaterWMS.mysql.sql'));

    sample = await startSampleRun({
      prefix: 'owh-it-greaterwms-',
      sourceYaml: [
        '  greaterwms:',
        '    client: mysql2',
        `    connection: { host: ${MARIADB.host}, port: ${MARIADB.port}, user: ${MARIADB.user}, password: '', database: ${DATABASE} }`,
        '    timezone: Asia/Shanghai',
        "    zeroDates: 'null'",
        // Small pages make every read cross several keyset pages.
        '    pageSize: 2',
      ].join('\n'),
      // No commit lag, so rows stamped just before a run are inside its window.
      pipelinesYaml: PIPELINES.map(
        (name) => `  ${name}: { source: greaterwms, mapping: ${path.join(MAPPINGS, `${name}.yaml`)}, commitLagSeconds: 0 }`,
      ).join('\n'),
    });

    first = await sample.run();
    messagesAfterFirst = (await sample.stats()).messages;
    outboundAfterFirst = await sample.records('outbound');
    second = await sample.run();
    messagesAfterSecond = (await sample.stats()).messages;

    // ORM saves stamp update_time with Beijing wall-clock time. One ASN line
    // changes alone; one DN changes in its header and in a line.
    await execMariaDb(
      DATABASE,
      `UPDATE asndetail SET goods_actual_qty = 146, update_time = UTC_TIMESTAMP(6) + INTERVAL 8 HOUR WHERE id = 2;
       UPDATE dnlist SET total_cost = 60.5, update_time = UTC_TIMESTAMP(6) + INTERVAL 8 HOUR WHERE id = 2;
       UPDATE dndetail SET goods_cost = 60.5, update_time = UTC_TIMESTAMP(6) + INTERVAL 8 HOUR WHERE id = 3;`,
    );
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
    expect(stats.acceptedByKind).toEqual({ warehouse: 3, goods: 7, inbound: 2, outbound: 2, inventory: 1 });
    expect(stats.rejectedRecords).toBe(0);
  });

  it('dead-letters only the bare goods import row', () => {
    const goods = first.find((summary) => summary.pipeline === 'goods')!;
    expect(goods.counts.deadLettered).toBe(1);

    const others = first.filter((summary) => summary.pipeline !== 'goods');
    expect(others.map((summary) => summary.counts.deadLettered)).toEqual([0, 0, 0, 0]);
  });

  // NOTE: runs that straddle midnight in Beijing (16:00 UTC) see the next
  // day's inventory snapshot as due, so this check fails for them.
  it('sends nothing on the second run', () => {
    expect(second.map((summary) => summary.counts.sent)).toEqual([0, 0, 0, 0, 0]);
    expect(messagesAfterSecond).toBe(messagesAfterFirst);
  });

  it('re-sends a document after a line edit', async () => {
    expect(third.map((summary) => summary.counts.sent)).toEqual([0, 0, 1, 1, 0]);

    const asn = bodyOf(await sample.records('inbound'), 'copNo', 'ASN202406181')!;
    expect((asn.lines as Array<Record<string, unknown>>)[1]!.qty).toBe('146.00000');
  });

  it('re-sends a document edited in header and line once', async () => {
    const dn = bodyOf(await sample.records('outbound'), 'copNo', 'DN202406202')!;

    expect(dn.goodsValue).toBe('60.50000');
    expect((dn.lines as Array<Record<string, unknown>>)[0]!.totalPrice).toBe('60.50000');
    expect((await sample.stats()).rejectedRecords).toBe(0);
  });

  it('reports the closed warehouse and cleans the lost emoji', async () => {
    const records = await sample.records('warehouse');

    expect(bodyOf(records, 'copWarehouseCode', 'DE-FRA-01')?.status).toBe('3');
    expect(bodyOf(records, 'copWarehouseCode', 'US-ONT-01')?.status).toBe('1');
    expect(bodyOf(records, 'copWarehouseCode', 'US-EWR-01')?.address).toBe('88 Mill Rd, Edison, NJ 08817, USA');
    expect(records.map((record) => record.body as Record<string, unknown>).map((body) => body.warehouseName)).not.toContain('東京倉庫 TYO-1');
  });

  it('rounds goods doubles to exact decimal text', async () => {
    const records = await sample.records('goods');

    expect(bodyOf(records, 'sku', 'SKU-A0001')?.grossWeight).toBe('0.30000');
    expect(bodyOf(records, 'sku', 'SKU-A0001')?.goodsName).toBe('无线蓝牙耳机 🎧 TWS Pro 黑色');
    expect(bodyOf(records, 'sku', 'SKU-B1001')?.grossWeight).toBe('1.23457');
    expect(bodyOf(records, 'sku', 'SKU-B1001')?.declaredPrice).toBe('19.50000');
  });

  it('keeps the re-created goods over its deleted twin', async () => {
    const records = await sample.records('goods');
    const yogaMats = records.filter((record) => (record.body as Record<string, unknown>).sku === 'SKU-C2001');

    expect(yogaMats).toHaveLength(1);
    expect(yogaMats[0]!.op).toBe('upsert');
    expect((yogaMats[0]!.body as Record<string, unknown>).spec).toBe('8mm');
    expect((yogaMats[0]!.body as Record<string, unknown>).grossWeight).toBe('1.10000');
  });

  it('reads goods whose update_time is NULL', async () => {
    const records = await sample.records('goods');
    expect(bodyOf(records, 'sku', 'SKU-E4001')?.unit).toBe('018');
  });

  it('sends put-away ASNs with lines in exact id order', async () => {
    const records = await sample.records('inbound');
    expect(records.map((record) => (record.body as Record<string, unknown>).copNo).sort()).toEqual(['ASN202406181', 'CUSTOM-海运-0007']);

    const custom = bodyOf(records, 'copNo', 'CUSTOM-海运-0007')!;
    expect(custom.inboundTime).toBe('20250101000000');
    expect(custom.volume).toBe('0.446');
    // Line ids 6, 2^53-1, 2^53 and 2^53+1: a float comparison would tie the last two.
    expect(custom.lines).toEqual([
      { gnum: '1', sku: 'SKU-E4001', goodsName: 'LED 灯带 5m RGB 遥控款', qty: '102.00000', unit: '018', totalPrice: '673.20000' },
      { gnum: '2', sku: 'SKU-F5001', goodsName: 'Phone case iPhone 15 透明防摔 — “Crystal”', qty: '1000.00000', unit: '007', totalPrice: '850.00000' },
      { gnum: '3', sku: 'SKU-A0002', goodsName: 'USB-C 快充线 1m ⚡', qty: '298.00000', unit: '015', totalPrice: '960.00000' },
      { gnum: '4', sku: 'SKU-C2001', goodsName: 'Yoga mat 瑜伽垫 8mm 🧘', qty: '12.00000', unit: '010', totalPrice: '330.00000' },
    ]);

    const done = bodyOf(records, 'copNo', 'ASN202406181')!;
    expect(done.inboundTime).toBe('20240625174501');
    expect(done.grossWeight).toBe('126.60000');
  });

  it('sends shipped DNs with Beijing times', () => {
    const records = outboundAfterFirst;
    expect(records.map((record) => (record.body as Record<string, unknown>).copNo).sort()).toEqual(['DN202406201', 'DN202406202']);

    const pod = bodyOf(records, 'copNo', 'DN202406201')!;
    expect(pod.outboundTime).toBe('20240624152000');
    expect(pod.buyerCountry).toBe('USA');
    expect(pod.freight).toBe('245.10000');
    expect(pod.lines).toEqual([{ gnum: '1', sku: 'SKU-A0001', qty: '40.00000', unit: '007', totalPrice: '2356.00000', currency: 'USD' }]);

    // 23:59:59.999999 is truncated to the second, never rounded into the next day.
    expect(bodyOf(records, 'copNo', 'DN202406202')?.outboundTime).toBe('20240621235959');
    expect(bodyOf(records, 'copNo', 'DN202406202')?.buyerCity).toBe('Austin, TX');
  });

  it('snapshots stock per bin kind and skips the zero-date age', async () => {
    const records = await sample.records('inventory');
    expect(records).toHaveLength(1);

    const body = records[0]!.body as Record<string, unknown>;
    expect(body.copWarehouseCode).toBe('US-ONT-01');
    expect(body.snapshotTime).toBe(`${beijingToday()}000000`);
    expect(body.lines).toEqual([
      { sku: 'SKU-A0001', availableQty: '357.00000', lockedQty: '1.00000', damagedQty: '0.00000', unit: '007', ageDays: String(daysSinceBeijingDate('2024-06-24')) },
      { sku: 'SKU-A0002', availableQty: '443.00000', lockedQty: '0.00000', damagedQty: '0.00000', unit: '015', ageDays: String(daysSinceBeijingDate('2024-06-25')) },
      { sku: 'SKU-C2001', availableQty: '8.00000', lockedQty: '2.00000', damagedQty: '0.00000', unit: '010', ageDays: String(daysSinceBeijingDate('2024-06-30')) },
      { sku: 'SKU-E4001', availableQty: '0.00000', lockedQty: '0.00000', damagedQty: '2.00000', unit: '018', ageDays: String(daysSinceBeijingDate('2025-01-01')) },
      // Its only bin row has the zero date 0000-00-00 as create_time.
      { sku: 'SKU-F5001', availableQty: '1000.00000', lockedQty: '0.00000', damagedQty: '0.00000', unit: '007' },
    ]);
  });
});
