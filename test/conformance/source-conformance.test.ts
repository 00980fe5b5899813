import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { OwhError } from '../../config/errors.js';
import {
  createSourceReader,
  type ChildSpec,
  type Position,
  type QualityIssue,
  type ReadOptions,
  type ReadSpec,
  type ReadWindow,
  type SourceReader,
  type SourceWarning,
} from '../../connectors/sources/index.js';
import { runOnSnapshotForTest } from '../../connectors/sources/sql-source.js';
import { MARIADB } from '../support/databases.js';
import { runProbe } from './run-probe.js';
import { TARGETS, type Target } from './source-targets.js';

/**
 * One set of behaviours, run against MariaDB, PostgreSQL and SQLite. Each
 * test writes its own tables through a writable fixture connection and
 * reads them through a reader, as a pipeline would.
 */

interface ReadResult {
  pages: string[][];
  rows: Record<string, unknown>[];
  positions: Position[];
  issues: QualityIssue[];
}

async function readAll(reader: SourceReader, spec: ReadSpec, window: ReadWindow = { from: null }, options: ReadOptions = {}): Promise<ReadResult> {
  const result: ReadResult = { pages: [], rows: [], positions: [], issues: [] };

  for await (const page of reader.readPages(spec, window, options)) {
    result.pages.push(page.positions.map((p) => p.key.join('/')));
    result.rows.push(...page.rows);
    result.positions.push(...page.positions);
    result.issues.push(...(page.issues ?? []));
  }
  return result;
}

function values(count: number, row: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => row(i + 1)).join(', ');
}

function utf8Hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').toUpperCase().match(/../g)!.join(' ');
}

describe.each(TARGETS)('$name source', (target: Target) => {
  let up = false;
  let reader: SourceReader;
  const t = target.types;

  beforeAll(async () => {
    up = await target.available();
    if (!up) return;

    await target.setup();
    reader = createSourceReader(target.config());
  });

  afterAll(async () => {
    if (!up) return;
    await reader.close();
    await target.teardown();
  });

  function skipWithoutServer(ctx: TestContext): void {
    if (!up) ctx.skip();
  }

  describe('keyset paging', () => {
    it('splits equal cursors across page boundaries', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE tie_inventory (id ${t.int} PRIMARY KEY, sku ${t.text} NOT NULL, qty ${t.int} NOT NULL, updated_at ${t.datetime} NOT NULL);
        CREATE INDEX tie_inventory_cursor ON tie_inventory (updated_at, id);
        INSERT INTO tie_inventory VALUES (101,'A',5,'2024-05-01 10:00:00'), (102,'B',6,'2024-05-01 10:00:00'),
          (103,'C',7,'2024-05-01 10:00:00'), (104,'D',8,'2024-05-01 10:00:01');`);
      const spec: ReadSpec = { table: 'tie_inventory', key: ['id'], cursor: { column: 'updated_at' }, pageSize: 2 };

      const run = await readAll(reader, spec, { from: { cursor: '2024-05-01 09:59:59', key: ['0'] } });

      expect(run.pages).toEqual([['101', '102'], ['103', '104']]);
      expect(run.positions.at(-1)).toEqual({ cursor: '2024-05-01 10:00:01', key: ['104'] });
      expect(run.rows.map((r) => r.qty)).toEqual([5, 6, 7, 8]);

      const again = await readAll(reader, spec, { from: run.positions.at(-1)! });
      expect(again.pages).toEqual([]);
    });

    it('resumes inside a tie from a stored position', async (ctx) => {
      skipWithoutServer(ctx);
      const spec: ReadSpec = { table: 'tie_inventory', key: ['id'], cursor: { column: 'updated_at' }, pageSize: 2 };

      // A crash after 101 and 102 were sent: the next run starts inside the tie.
      const next = await readAll(reader, spec, { from: { cursor: '2024-05-01 10:00:00', key: ['102'] } });

      expect(next.pages).toEqual([['103', '104']]);
    });

    it('reads a bulk import sharing one timestamp exactly once', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE bulk_import (id ${t.int} PRIMARY KEY, sku ${t.text} NOT NULL, updated_at ${t.datetime} NOT NULL);
        INSERT INTO bulk_import VALUES ${values(1200, (i) => `(${i}, 'SKU-${i}', '2024-05-02 00:00:00')`)};`);
      const spec: ReadSpec = { table: 'bulk_import', key: ['id'], cursor: { column: 'updated_at' }, pageSize: 500 };

      const run = await readAll(reader, spec);

      expect(run.pages.map((p) => p.length)).toEqual([500, 500, 200]);
      expect(new Set(run.positions.map((p) => p.key[0])).size).toBe(1200);
      expect(run.positions.at(-1)).toEqual({ cursor: '2024-05-02 00:00:00', key: ['1200'] });
    });

    it('orders multi-column text and number keys', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE stock_by_bin (openid ${t.text} NOT NULL, bin_name ${t.text} NOT NULL, seq ${t.int} NOT NULL, qty ${t.int} NOT NULL,
          update_time ${t.datetime6} NULL, create_time ${t.datetime6} NOT NULL, PRIMARY KEY (openid, bin_name, seq));
        INSERT INTO stock_by_bin VALUES
          ('t1','A-10',2,1,NULL,'2024-06-18 10:00:00.000000'), ('t1','A-10',10,2,NULL,'2024-06-18 10:00:00.000000'),
          ('t1','A-9',1,3,NULL,'2024-06-18 10:00:00.000000'), ('t2','A-1',1,4,'2025-01-01 00:00:00.000001','2024-06-18 10:00:00.000000');`);
      const spec: ReadSpec = {
        table: 'stock_by_bin',
        key: ['openid', 'bin_name', 'seq'],
        cursor: { column: 'COALESCE(update_time, create_time)', kind: 'datetime' },
        pageSize: 1,
      };

      const run = await readAll(reader, spec);

      // Numbers compare as numbers (2 before 10), text as text ('A-10' before 'A-9').
      expect(run.pages.flat()).toEqual(['t1/A-10/2', 't1/A-10/10', 't1/A-9/1', 't2/A-1/1']);
      expect(run.positions.at(-1)!.cursor).toMatch(/^2025-01-01 00:00:00\.000001$/);
    });

    it('compares BIGINT keys past 2^53 exactly', async (ctx) => {
      skipWithoutServer(ctx);
      const ids = ['9007199254740991', '9007199254740992', '9007199254740993', '9007199254740994', '9223372036854770000', '9223372036854775000'];
      if (target.name === 'mariadb') ids.push('18446744073709551614', target.maxKey);
      await target.exec(`
        CREATE TABLE qty_log (id ${t.widestInt} PRIMARY KEY, qty ${t.int} NOT NULL, updated_at ${t.datetime6} NOT NULL);
        INSERT INTO qty_log VALUES ${ids.map((id) => `(${id}, 1, '2025-01-01 00:00:00.000001')`).join(', ')};`);
      const spec: ReadSpec = { table: 'qty_log', key: ['id'], cursor: { column: 'updated_at' }, pageSize: 1 };

      const run = await readAll(reader, spec);

      expect(run.pages.flat()).toEqual(ids);
      expect(run.rows.map((r) => r.id)).toEqual(ids);

      const resumed = await readAll(reader, spec, { from: { cursor: run.positions[1]!.cursor, key: ['9007199254740992'] } });
      expect(resumed.pages.flat()).toEqual(ids.slice(2));
    });

    it('reads from a query with a where condition', async (ctx) => {
      skipWithoutServer(ctx);
      const spec: ReadSpec = {
        query: 'SELECT id, sku, qty, updated_at FROM tie_inventory',
        key: ['id'],
        cursor: { column: 'updated_at' },
        where: "sku <> 'B'",
        pageSize: 2,
      };

      const run = await readAll(reader, spec);

      expect(run.pages).toEqual([['101', '103'], ['104']]);
      expect(await reader.count(spec)).toBe(3);
    });
  });

  describe('upper bound', () => {
    it('leaves rows inside the commit lag to the next run', async (ctx) => {
      skipWithoutServer(ctx);
      const zone = 'Asia/Shanghai';
      const local = (secondsAgo: number): string =>
        DateTime.now().setZone(zone).minus({ seconds: secondsAgo }).toFormat('yyyy-MM-dd HH:mm:ss.SSS');
      await target.exec(`
        CREATE TABLE lagged_move (id ${t.int} PRIMARY KEY, updated_at ${t.datetime6} NOT NULL);
        INSERT INTO lagged_move VALUES (1, '${local(7200)}'), (2, '${local(5)}');`);
      const spec: ReadSpec = { table: 'lagged_move', key: ['id'], cursor: { column: 'updated_at' }, commitLagSeconds: 60 };

      const upper = await reader.upperBound(spec);
      const first = await readAll(reader, spec);

      expect(upper! < local(5)).toBe(true);
      expect(upper! > local(7200)).toBe(true);
      expect(first.pages).toEqual([['1']]);

      const next = await readAll(reader, { ...spec, commitLagSeconds: 1 }, { from: first.positions.at(-1)! });
      expect(next.pages).toEqual([['2']]);
    });

    it('keeps one snapshot for a whole run', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE snapshot_move (id ${t.int} PRIMARY KEY, updated_at ${t.datetime} NOT NULL);
        INSERT INTO snapshot_move VALUES (1, '2024-05-01 10:00:00');`);
      const spec: ReadSpec = { table: 'snapshot_move', key: ['id'], cursor: { column: 'updated_at' } };
      const snapshot = await reader.snapshot();

      try {
        const upper = await snapshot.upperBound(spec);
        await target.exec(`INSERT INTO snapshot_move VALUES (2, '2024-05-01 10:00:01');`);

        const pages: string[][] = [];
        for await (const page of snapshot.readPages(spec, { from: null, upper })) pages.push(page.positions.map((p) => p.key[0]!));

        expect(await snapshot.upperBound(spec)).toBe(upper);
        expect(pages).toEqual([['1']]);
      } finally {
        await snapshot.release();
      }

      const later = await readAll(reader, spec);
      expect(later.pages).toEqual([['1', '2']]);
    });

    it('takes the greatest value as the bound of integer cursors', async (ctx) => {
      skipWithoutServer(ctx);
      const spec: ReadSpec = { table: 'qty_log', key: ['id'], cursor: { column: 'id' } };
      const empty: ReadSpec = { ...spec, where: 'qty < 0' };

      expect(await reader.upperBound(spec)).toBe(target.name === 'mariadb' ? target.maxKey : '9223372036854775000');
      expect(await reader.upperBound(empty)).toBeNull();
      expect((await readAll(reader, empty)).pages).toEqual([]);
    });
  });

  describe('value types', () => {
    it('keeps BIGINT and DECIMAL digits as strings', async (ctx) => {
      skipWithoutServer(ctx);
      const bigId = target.maxKey;
      await target.exec(`
        CREATE TABLE pallet (id ${t.widestInt} PRIMARY KEY, qty ${t.decimal(18, 4)} NOT NULL, weight_kg ${t.decimal(10, 3)} NULL,
          updated_at ${t.datetime} NOT NULL);
        INSERT INTO pallet VALUES (42,'1.5000','0.100','2024-05-01 10:00:00'),
          (9023393775362049,'12345678901234.5678','999999.999','2024-05-01 10:00:00'),
          (${bigId},'-0.0001',NULL,'2024-05-01 10:00:00');`);
      const spec: ReadSpec = { table: 'pallet', key: ['id'], cursor: { column: 'updated_at' } };

      const run = await readAll(reader, spec);

      expect(run.rows.map((r) => r.id)).toEqual(['42', '9023393775362049', bigId]);
      expect(run.rows.map((r) => r.qty)).toEqual(['1.5000', '12345678901234.5678', '-0.0001']);
      expect(run.rows.map((r) => r.weight_kg)).toEqual(['0.100', '999999.999', null]);
      expect(await reader.count(spec)).toBe(3);
    });

    it('keeps small integers and flags as numbers', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE bin_flags (id ${t.int} PRIMARY KEY, is_locked ${t.smallFlag} NOT NULL, pick_priority ${t.smallFlag} NOT NULL,
          attrs ${t.json} NULL, updated_at ${t.datetime} NOT NULL);
        INSERT INTO bin_flags VALUES (1,0,0,'{"zone":"A","temp":-18}','2024-05-01 10:00:00'), (2,1,5,'{"zone":"B"}','2024-05-01 10:00:00'),
          (3,-1,9,NULL,'2024-05-01 10:00:00');`);
      const spec: ReadSpec = { table: 'bin_flags', key: ['id'], cursor: { column: 'updated_at' } };

      const run = await readAll(reader, spec);

      expect(run.rows.map((r) => r.is_locked)).toEqual([0, 1, -1]);
      expect(run.rows.map((r) => r.pick_priority)).toEqual([0, 5, 9]);
      if (target.name === 'postgres') {
        // jsonb is parsed by the reader.
        expect(run.rows.map((r) => r.attrs)).toEqual([{ zone: 'A', temp: -18 }, { zone: 'B' }, null]);
      } else {
        // MariaDB's JSON is a LONGTEXT and SQLite's is TEXT: the text as stored.
        expect(run.rows.map((r) => r.attrs)).toEqual(['{"zone":"A","temp":-18}', '{"zone":"B"}', null]);
      }
    });

    it('reads emoji and astral CJK exactly', async (ctx) => {
      skipWithoutServer(ctx);
      const charsetSuffix = target.name === 'mariadb' ? ' CHARSET=utf8mb4' : '';
      await target.exec(`
        CREATE TABLE remark (id ${t.int} PRIMARY KEY, note ${t.text} NOT NULL, updated_at ${t.datetime} NOT NULL)${charsetSuffix};
        INSERT INTO remark VALUES (1,'托盘😀破损','2024-05-01 10:00:00'), (2,'𠮷野家','2024-05-01 10:00:00');`);
      const warnings: SourceWarning[] = [];
      const connection = { ...(target.config().connection as Record<string, unknown>) };
      if (target.name === 'mariadb') connection.charset = 'UTF8_GENERAL_CI';
      const threeByteReader = createSourceReader(target.config({ connection }), { onWarning: (w) => warnings.push(w) });

      try {
        const run = await readAll(threeByteReader, { table: 'remark', key: ['id'], cursor: { column: 'updated_at' } });
        const notes = run.rows.map((r) => String(r.note));

        expect(notes).toEqual(['托盘😀破损', '𠮷野家']);
        expect(utf8Hex(notes[0]!)).toBe('E6 89 98 E7 9B 98 F0 9F 98 80 E7 A0 B4 E6 8D 9F');
        expect(utf8Hex(notes[1]!)).toBe('F0 A0 AE B7 E9 87 8E E5 AE B6');
      } finally {
        await threeByteReader.close();
      }

      if (target.name === 'mariadb') {
        expect(warnings.map((w) => [w.code, w.value])).toEqual([['charset-replaced', 'UTF8_GENERAL_CI']]);
        expect(threeByteReader.warnings).toHaveLength(1);
      }
    });

    it('shows a 3-byte charset loses emoji without the override', async (ctx) => {
      skipWithoutServer(ctx);
      if (target.name !== 'mariadb') ctx.skip();

      // The control for the test above: the same read over a plain mysql2
      // connection with the 3-byte charset replaces the emoji.
      const conn = await createConnection({ ...MARIADB, database: 'owh_src_conformance', charset: 'UTF8_GENERAL_CI' });
      try {
        const [rows] = await conn.query('SELECT note FROM remark ORDER BY id');
        expect((rows as Array<{ note: string }>).map((r) => r.note)).toEqual(['托盘?破损', '?野家']);
      } finally {
        await conn.end();
      }
    });
  });

  describe('dates', () => {
    it('applies the zero and partial date policies', async (ctx) => {
      skipWithoutServer(ctx);
      if (target.name === 'postgres') ctx.skip(); // PostgreSQL cannot store zero or partial dates.
      await target.exec(`
        CREATE TABLE lot (id ${t.int} PRIMARY KEY, expiry ${t.date} NULL, produced_at ${t.datetime} NULL, updated_at ${t.datetime} NOT NULL);
        INSERT INTO lot VALUES (1,'0000-00-00','0000-00-00 00:00:00','2024-05-01 10:00:00'),
          (2,'2013-03-00','2013-03-05 08:00:00','2024-05-01 10:00:01'), (3,'2024-02-29','2024-02-29 23:59:59','2024-05-01 10:00:02');`);
      const spec: ReadSpec = { table: 'lot', key: ['id'], cursor: { column: 'updated_at' } };
      const reported: QualityIssue[] = [];

      const run = await readAll(reader, spec, { from: null }, { onQuality: (issue) => reported.push(issue) });

      expect(run.rows.map((r) => [r.expiry, r.produced_at])).toEqual([
        [null, null],
        [null, '2013-03-05 08:00:00'],
        ['2024-02-29', '2024-02-29 23:59:59'],
      ]);
      expect(run.issues).toEqual([
        { table: 'lot', column: 'expiry', key: ['1'], value: '0000-00-00', rule: 'zero-date', action: 'null' },
        { table: 'lot', column: 'produced_at', key: ['1'], value: '0000-00-00 00:00:00', rule: 'zero-date', action: 'null' },
        { table: 'lot', column: 'expiry', key: ['2'], value: '2013-03-00', rule: 'partial-date', action: 'null' },
      ]);
      expect(reported).toEqual(run.issues);
    });

    it('passes partial dates through when asked', async (ctx) => {
      skipWithoutServer(ctx);
      if (target.name === 'postgres') ctx.skip();
      const passing = createSourceReader(target.config({ partialDates: 'passthrough' }));

      try {
        const run = await readAll(passing, { table: 'lot', key: ['id'], cursor: { column: 'updated_at' } });
        expect(run.rows.map((r) => r.expiry)).toEqual([null, '2013-03', '2024-02-29']);
        expect(run.issues.map((i) => i.action)).toEqual(['null', 'null', 'passthrough']);
      } finally {
        await passing.close();
      }
    });

    it('stops on a zero date under the error policy', async (ctx) => {
      skipWithoutServer(ctx);
      if (target.name === 'postgres') ctx.skip();
      const strict = createSourceReader(target.config({ zeroDates: 'error' }));

      try {
        const failure = await readAll(strict, { table: 'lot', key: ['id'], cursor: { column: 'updated_at' } }).catch((e: unknown) => e);

        expect(failure).toBeInstanceOf(OwhError);
        const error = failure as OwhError;
        expect(error.details).toMatchObject({ table: 'lot', column: 'expiry', key: ['1'], value: '0000-00-00' });
        expect(error.text.en).toContain('0000-00-00');
        expect(error.text['zh-CN']).toContain('lot');
      } finally {
        await strict.close();
      }
    });

    it('reads stored fraction digits unchanged', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE fine_clock (id ${t.int} PRIMARY KEY, update_time ${t.datetime6} NOT NULL);
        INSERT INTO fine_clock VALUES (1,'2024-06-18 10:00:00.000001'), (2,'2024-12-31 23:59:59.999999');`);
      const spec: ReadSpec = { table: 'fine_clock', key: ['id'], cursor: { column: 'update_time' }, pageSize: 1 };

      const run = await readAll(reader, spec);

      expect(run.rows.map((r) => r.update_time)).toEqual(['2024-06-18 10:00:00.000001', '2024-12-31 23:59:59.999999']);
      expect(run.positions.map((p) => p.cursor)).toEqual(['2024-06-18 10:00:00.000001', '2024-12-31 23:59:59.999999']);
    });

    it('gives the same dates under every host zone', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE stock_move (id ${t.int} PRIMARY KEY, qty ${t.int} NOT NULL, moved_at ${t.datetime} NOT NULL);
        INSERT INTO stock_move VALUES (1,5,'2024-03-01 16:12:08'), (2,3,'2024-11-03 01:30:00'), (3,7,'2024-03-10 02:30:00');
        CREATE TABLE receipt (id ${t.int} PRIMARY KEY, receipt_date ${t.date} NOT NULL);
        INSERT INTO receipt VALUES (1,'2019-08-30'), (2,'2024-01-01'), (3,'1960-06-02');`);
      const reads = {
        reads: [
          {
            config: target.config({ timezone: 'UTC' }),
            spec: { table: 'stock_move', key: ['id'], cursor: { column: 'id' } },
            instants: { column: 'moved_at', zones: ['UTC', 'Asia/Shanghai'] },
          },
          { config: target.config(), spec: { table: 'receipt', key: ['id'], cursor: { column: 'id' } } },
        ],
      };
      type ProbeOutput = { tz: string; hostOffsetMinutes: number; results: Array<{ rows: Record<string, unknown>[]; instants: Record<string, string[]> }> };
      const hostZones = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati'];

      const outputs = await Promise.all(
        hostZones.map((tz) => runProbe<ProbeOutput>('test/conformance/tz-probe.ts', reads, { env: { TZ: tz } })),
      );

      // The probes really ran with different host zones.
      expect(new Set(outputs.map((o) => o.hostOffsetMinutes)).size).toBe(hostZones.length);
      for (const output of outputs) {
        const [moves, receipts] = output.results;
        expect(moves!.rows.map((r) => r.moved_at)).toEqual(['2024-03-01 16:12:08', '2024-11-03 01:30:00', '2024-03-10 02:30:00']);
        expect(moves!.instants.UTC).toEqual(['2024-03-01T16:12:08Z', '2024-11-03T01:30:00Z', '2024-03-10T02:30:00Z']);
        expect(moves!.instants['Asia/Shanghai']).toEqual(['2024-03-01T08:12:08Z', '2024-11-02T17:30:00Z', '2024-03-09T18:30:00Z']);
        expect(receipts!.rows.map((r) => r.receipt_date)).toEqual(['2019-08-30', '2024-01-01', '1960-06-02']);
      }
    });
  });

  describe('child tables', () => {
    const lines: ChildSpec = {
      table: 'outbound_order_line',
      parentKey: 'order_id',
      key: ['id'],
      cursor: { column: 'updated_at' },
    };
    const orders: ReadSpec = { table: 'outbound_order', key: ['id'], cursor: { column: 'updated_at' } };

    it('finds parents whose lines changed and reads current lines', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE outbound_order (id ${t.int} PRIMARY KEY, status ${t.text} NOT NULL, updated_at ${t.datetime} NOT NULL);
        CREATE TABLE outbound_order_line (id ${t.int} PRIMARY KEY, order_id ${t.int} NOT NULL, sku ${t.text} NOT NULL, qty ${t.int} NOT NULL,
          updated_at ${t.datetime} NOT NULL);
        INSERT INTO outbound_order VALUES (500,'PICKING','2024-05-01 08:00:00'), (501,'NEW','2024-05-01 07:00:00');
        INSERT INTO outbound_order_line VALUES (9001,500,'SKU-1',10,'2024-05-01 08:00:00'), (9002,500,'SKU-2',4,'2024-05-01 08:00:00'),
          (9003,501,'SKU-3',1,'2024-05-01 07:00:00');`);
      const checkpoint = '2024-05-01 08:00:00';

      const first = await reader.fetchChildren(lines, ['500', '501']);
      expect(first.get('500')!.map((l) => l.sku)).toEqual(['SKU-1', 'SKU-2']);

      await target.exec(`
        UPDATE outbound_order_line SET qty = 12, updated_at = '2024-05-02 09:00:00' WHERE id = 9001;
        DELETE FROM outbound_order_line WHERE id = 9002;`);
      const snapshot = await reader.snapshot();
      try {
        const upper = (await snapshot.upperBound(orders))!;
        const parentPages = await collect(snapshot.readPages(orders, { from: { cursor: checkpoint, key: ['500'] }, upper }));
        const changed = (await collect(snapshot.changedParents(lines, { from: checkpoint, upper }))).flat();
        const parents = await snapshot.fetchByKeys(orders, changed.map((k) => [k]));
        const current = await snapshot.fetchChildren(lines, changed);

        expect(parentPages).toEqual([]);
        expect(changed).toEqual(['500']);
        expect(parents.rows.map((r) => r.status)).toEqual(['PICKING']);
        expect(parents.positions).toEqual([{ cursor: '2024-05-01 08:00:00', key: ['500'] }]);
        expect(current.get('500')!.map((l) => [l.sku, l.qty])).toEqual([['SKU-1', 12]]);
      } finally {
        await snapshot.release();
      }
    });

    it('pages changed parents in key order', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE many_lines (id ${t.int} PRIMARY KEY, order_id ${t.bigint} NOT NULL, updated_at ${t.datetime} NOT NULL);
        INSERT INTO many_lines VALUES ${values(30, (i) => `(${i}, ${9007199254740990n + BigInt(i % 7)}, '2024-05-02 09:00:00')`)};`);
      const child: ChildSpec = { table: 'many_lines', parentKey: 'order_id', key: ['id'], cursor: { column: 'updated_at' }, pageSize: 3 };

      const batches = await collect(reader.changedParents(child, { from: '2024-05-01 00:00:00', upper: '2024-05-03 00:00:00' }));

      expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
      expect(batches.flat()).toEqual(Array.from({ length: 7 }, (_, i) => String(9007199254740990n + BigInt(i))));
    });
  });

  describe('read-only sessions', () => {
    it('rejects a write on the reader connection', async (ctx) => {
      skipWithoutServer(ctx);
      await target.exec(`
        CREATE TABLE guarded (id ${t.int} PRIMARY KEY, updated_at ${t.datetime} NOT NULL);
        INSERT INTO guarded VALUES (1, '2024-05-01 10:00:00');`);
      const snapshot = await reader.snapshot();

      try {
        await expect(runOnSnapshotForTest(snapshot, "INSERT INTO guarded VALUES (2, '2024-05-01 10:00:00')")).rejects.toThrow(
          /read.only|readonly/i,
        );
      } finally {
        await snapshot.release();
      }

      const flag = await reader.snapshot();
      try {
        if (target.name === 'mariadb') {
          // MariaDB 10.x names it tx_read_only (transaction_read_only from 11.1).
          const result = await runOnSnapshotForTest(flag, 'SELECT @@SESSION.tx_read_only AS ro');
          expect(Number(result.rows[0]!.ro)).toBe(1);
        }
        if (target.name === 'postgres') {
          const result = await runOnSnapshotForTest(flag, 'SHOW transaction_read_only');
          expect(result.rows[0]!.transaction_read_only).toBe('on');
        }
      } finally {
        await flag.release();
      }

      expect(await reader.count({ table: 'guarded', key: ['id'], cursor: { column: 'updated_at' } })).toBe(1);
    });
  });

  describe('sqlite locking', () => {
    it('lets the WMS write while a rollback-journal read is open', async (ctx) => {
      if (target.name !== 'sqlite') ctx.skip();
      const directory = mkdtempSync(path.join(tmpdir(), 'owh-src-journal-'));
      const file = path.join(directory, 'legacy.sqlite');
      const writer = new Database(file);
      writer.exec(`CREATE TABLE legacy_move (id INTEGER PRIMARY KEY, updated_at DATETIME NOT NULL);
        INSERT INTO legacy_move VALUES (1, '2024-05-01 10:00:00'), (2, '2024-05-01 10:00:01');`);
      const legacy = createSourceReader(target.config({ connection: { filename: file } }));
      const spec: ReadSpec = { table: 'legacy_move', key: ['id'], cursor: { column: 'updated_at' }, pageSize: 1 };

      try {
        const pages = legacy.readPages(spec, { from: null });
        const first = await pages.next();

        // A held SHARED lock would make this fail with "database is locked".
        writer.exec(`INSERT INTO legacy_move VALUES (3, '2024-05-01 10:00:02')`);
        const rest = await collect(pages);

        expect(first.value?.positions[0]?.key).toEqual(['1']);
        expect(rest.length).toBeGreaterThan(0);
      } finally {
        await legacy.close();
        writer.close();
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });

  describe('memory', () => {
    it('keeps heap flat as the table grows', { timeout: 90_000 }, async (ctx) => {
      skipWithoutServer(ctx);
      const rows = 200_000;
      const payload = `RPAD(CAST(n AS ${target.name === 'postgres' ? 'TEXT' : 'CHAR'}), 150, 'x')`;
      const fill: Record<Target['name'], string> = {
        mariadb: `INSERT INTO heap_rows SELECT seq, RPAD(CAST(seq AS CHAR), 150, 'x'), '2024-01-01 00:00:00' + INTERVAL (seq DIV 7) SECOND FROM seq_1_to_${rows};`,
        postgres: `INSERT INTO heap_rows SELECT n, ${payload}, TIMESTAMP '2024-01-01 00:00:00' + (n / 7) * INTERVAL '1 second' FROM generate_series(1, ${rows}) AS n;`,
        sqlite: `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${rows})
          INSERT INTO heap_rows SELECT n, n || substr('${'x'.repeat(150)}', 1, 150 - length(n)), datetime('2024-01-01 00:00:00', '+' || (n / 7) || ' seconds') FROM s;`,
      };
      await target.exec(`
        CREATE TABLE heap_rows (id ${t.bigint} PRIMARY KEY, payload ${t.text} NOT NULL, updated_at ${t.datetime} NOT NULL);
        ${fill[target.name]}
        CREATE INDEX heap_rows_cursor ON heap_rows (updated_at, id);`);
      type HeapOutput = { rows: number; peakHeap: number };
      const probe = (limit: number) =>
        runProbe<HeapOutput>(
          'test/conformance/heap-probe.ts',
          { config: target.config(), spec: { table: 'heap_rows', key: ['id'], cursor: { column: 'updated_at' }, where: `id <= ${limit}`, pageSize: 1000 } },
          { nodeFlags: ['--expose-gc'] },
        );

      const small = await probe(50_000);
      const large = await probe(rows);

      expect(small.rows).toBe(50_000);
      expect(large.rows).toBe(rows);
      expect(large.peakHeap).toBeLessThan(small.peakHeap * 1.2 + 4 * 1024 * 1024);
    });
  });
});

async function collect<T>(generator: AsyncGenerator<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of generator) items.push(item);
  return items;
}
