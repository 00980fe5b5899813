import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { CommitInput, DeadLetterInput, OutboxBatch, StateStore } from '../../pipelines/state/state-store.js';
import { emptyCounts } from '../../pipelines/state/state-store.js';
import { postgresTarget, sqliteTarget, type StoreTarget } from './store-targets.js';

/**
 * One suite, run against every state store back end: the SQLite file and,
 * when the local server is up, PostgreSQL. Both must behave the same for the
 * pipeline runner, so every method and every guarantee is checked here once.
 */

const ISO_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** 2^53 + 1: a BIGINT key that a JS number would round to 2^53. */
const PAST_2_53 = '9007199254740993';
const AT_2_53 = '9007199254740992';

const TARGETS: StoreTarget[] = [sqliteTarget(), await postgresTarget()];

function batch(messageId: string, seq: number, checkpointCursor: string | null, pipeline = 'goods'): OutboxBatch {
  return {
    messageId,
    pipeline,
    kind: 'goods',
    appType: '1',
    payloadText: '{"records":[]}',
    records: [{ key: `k-${seq}`, hash: `h-${seq}`, op: 'upsert' }],
    checkpoint: checkpointCursor ? { position: { cursor: checkpointCursor, key: [String(seq)] }, childCursors: {} } : null,
    seq,
    status: 'pending',
    attempts: 0,
    createdAt: new Date().toISOString(),
  };
}

function commit(messageId: string, overrides: Partial<CommitInput> = {}): CommitInput {
  return {
    messageId,
    pipeline: 'goods',
    kind: 'goods',
    accepted: [],
    deleted: [],
    rejected: [],
    receipt: { messageId, status: 'accepted', code: '0', message: 'ok' },
    checkpoint: null,
    ...overrides,
  };
}

function letter(recordKey: string, overrides: Partial<DeadLetterInput> = {}): DeadLetterInput {
  return {
    pipeline: 'goods',
    runId: 'r1',
    kind: 'goods',
    recordKey,
    stage: 'validate',
    reasonCode: 'too_long',
    detail: [{ path: 'sku', code: 'too_long' }],
    ...overrides,
  };
}

for (const target of TARGETS) {
  describe.skipIf(!target.available)(`${target.name} state store`, () => {
    let store: StateStore;
    /** Extra instances a test opened, closed after it. */
    const workers: StateStore[] = [];

    /** Opens and migrates another instance on the same store, like a second worker. */
    async function openWorker(): Promise<StateStore> {
      const worker = target.open();
      workers.push(worker);
      await worker.migrate();
      return worker;
    }

    beforeAll(async () => {
      await target.prepare();
    });

    beforeEach(async () => {
      await target.reset();
      store = target.open();
      await store.migrate();
    });

    afterEach(async () => {
      for (const worker of workers.splice(0)) await worker.close();
      await store.close();
    });

    afterAll(async () => {
      await target.cleanUp();
    });

    describe('migrations', () => {
      it('applies each version once when repeated', async () => {
        await store.migrate();
        await openWorker();
        const versions = await target.countRows('schema_version');

        expect(versions).toBeGreaterThan(0);
        await store.migrate();
        expect(await target.countRows('schema_version')).toBe(versions);
      });

      it('tolerates workers migrating concurrently', async () => {
        await target.reset();
        const fresh = [target.open(), target.open(), target.open()];
        workers.push(...fresh);

        await Promise.all(fresh.map((worker) => worker.migrate()));

        const versions = await target.countRows('schema_version');
        expect(versions).toBeGreaterThan(0);
        expect(await target.countRows('checkpoints')).toBe(0);
        await fresh[0].saveCheckpoint('goods', { position: null, childCursors: {} });
        expect(await fresh[2].getCheckpoint('goods')).not.toBeNull();
      });
    });

    describe('checkpoints', () => {
      it('returns null before the first save', async () => {
        expect(await store.getCheckpoint('goods')).toBeNull();
      });

      it('saves and overwrites a checkpoint', async () => {
        await store.saveCheckpoint('goods', { position: { cursor: '2024-05-01 10:00:00.000001', key: ['1'] }, childCursors: {} });
        await store.saveCheckpoint('goods', {
          position: { cursor: '2024-05-02 11:00:00.123456', key: ['2', 'B'] },
          childCursors: { lines: '2024-05-02 11:00:00.000009' },
        });

        const checkpoint = await store.getCheckpoint('goods');
        expect(checkpoint?.pipeline).toBe('goods');
        expect(checkpoint?.position).toEqual({ cursor: '2024-05-02 11:00:00.123456', key: ['2', 'B'] });
        expect(checkpoint?.childCursors).toEqual({ lines: '2024-05-02 11:00:00.000009' });
        expect(checkpoint?.updatedAt).toMatch(ISO_TEXT);
        expect(await store.getCheckpoint('orders')).toBeNull();
      });

      it('stores a null position', async () => {
        await store.saveCheckpoint('goods', { position: null, childCursors: { lines: 'x' } });

        const checkpoint = await store.getCheckpoint('goods');
        expect(checkpoint?.position).toBeNull();
        expect(checkpoint?.childCursors).toEqual({ lines: 'x' });
      });

      it('survives reopening the store', async () => {
        await store.saveCheckpoint('goods', {
          position: { cursor: '2024-06-18 10:00:00.000000', key: [PAST_2_53] },
          childCursors: { lines: 'x' },
        });
        await store.close();

        store = target.open();
        await store.migrate();
        const checkpoint = await store.getCheckpoint('goods');
        expect(checkpoint?.position?.key).toEqual([PAST_2_53]);
        expect(checkpoint?.childCursors).toEqual({ lines: 'x' });
      });
    });

    describe('outbox', () => {
      it('returns pending batches in seq order', async () => {
        await store.addToOutbox([batch('B', 2, '2024-05-01 10:00:00.000002'), batch('A', 1, null)]);
        await store.addToOutbox([batch('X', 1, null, 'orders')]);

        const pending = await store.pendingBatches('goods');
        expect(pending.map((b) => b.messageId)).toEqual(['A', 'B']);
        expect(pending[1]).toMatchObject({
          pipeline: 'goods',
          kind: 'goods',
          appType: '1',
          payloadText: '{"records":[]}',
          records: [{ key: 'k-2', hash: 'h-2', op: 'upsert' }],
          checkpoint: { position: { cursor: '2024-05-01 10:00:00.000002', key: ['2'] }, childCursors: {} },
          seq: 2,
          status: 'pending',
          attempts: 0,
        });
        expect(pending[1].createdAt).toMatch(ISO_TEXT);
        expect(pending[0].checkpoint).toBeNull();
      });

      it('keeps the payload text byte for byte', async () => {
        const payloadText = '{"records":[{"goodsName":"测试 \\u00e9\\t","price":12345678901234567890.12345}]}';
        await store.addToOutbox([{ ...batch('A', 1, null), payloadText }]);

        const [stored] = await store.pendingBatches('goods');
        expect(stored.payloadText).toBe(payloadText);
      });

      it('numbers seq after the highest stored one', async () => {
        expect(await store.nextSeq('goods')).toBe(1);

        await store.addToOutbox([batch('A', 1, null), batch('B', 7, null)]);
        await store.commitBatch(commit('B'));

        // Done batches still count, so a resend order is never reused.
        expect(await store.nextSeq('goods')).toBe(8);
        expect(await store.nextSeq('orders')).toBe(1);
      });

      it('counts send attempts', async () => {
        await store.addToOutbox([batch('A', 1, null)]);
        await store.recordAttempt('A');
        await store.recordAttempt('A');

        const [stored] = await store.pendingBatches('goods');
        expect(stored.attempts).toBe(2);
      });

      it('adds a group all or nothing', async () => {
        await store.addToOutbox([batch('A', 1, null)]);

        // The second batch reuses messageId A, so the whole group must fail.
        await expect(store.addToOutbox([batch('C', 2, null), batch('A', 3, null)])).rejects.toThrow();

        const pending = await store.pendingBatches('goods');
        expect(pending.map((b) => b.messageId)).toEqual(['A']);
      });

      it('replaces a split batch by its halves', async () => {
        await store.addToOutbox([batch('A', 1, '2024-05-01 10:00:00.000001'), batch('B', 4, null)]);
        await store.splitBatch('A', [batch('A1', 2, null), batch('A2', 3, '2024-05-01 10:00:00.000001')]);

        const pending = await store.pendingBatches('goods');
        expect(pending.map((b) => b.messageId)).toEqual(['A1', 'A2', 'B']);
        expect(pending[1].checkpoint?.position?.cursor).toBe('2024-05-01 10:00:00.000001');
      });

      it('keeps a batch whose split fails', async () => {
        await store.addToOutbox([batch('A', 1, null), batch('B', 2, null)]);

        // The second half reuses B's messageId, so the split rolls back.
        await expect(store.splitBatch('A', [batch('A1', 3, null), batch('B', 4, null)])).rejects.toThrow();

        const pending = await store.pendingBatches('goods');
        expect(pending.map((b) => b.messageId)).toEqual(['A', 'B']);
      });
    });

    describe('key reconciliation', () => {
      it('lists acknowledged records not seen', async () => {
        await store.addToOutbox([batch('A', 1, null)]);
        await store.commitBatch(
          commit('A', {
            accepted: [
              { key: 'SKU-1', hash: 'h1', keyFields: { sku: 'SKU-1' } },
              { key: 'SKU-2', hash: 'h2', keyFields: { sku: 'SKU-2' } },
              { key: 'SKU-3', hash: 'h3' },
            ],
          }),
        );

        await store.beginReconcile('goods');
        await store.markSeen('goods', ['SKU-1', 'SKU-1', 'SKU-9']);

        expect(await store.unseenRecords('goods', 'goods', null, 10)).toEqual([
          { key: 'SKU-2', keyFields: { sku: 'SKU-2' } },
          { key: 'SKU-3', keyFields: null },
        ]);
        expect(await store.unseenRecords('goods', 'goods', 'SKU-2', 10)).toEqual([{ key: 'SKU-3', keyFields: null }]);
        expect(await store.unseenRecords('other', 'goods', null, 10)).toEqual([]);

        // A new reconciliation drops the marks of the previous one.
        await store.endReconcile('goods');
        await store.beginReconcile('goods');
        expect(await store.unseenRecords('goods', 'goods', null, 10)).toHaveLength(3);
      });
    });

    describe('commitBatch', () => {
      it('keeps the checkpoint until a commit', async () => {
        await store.addToOutbox([batch('A', 1, null), batch('B', 2, '2024-05-01 10:00:00.000001')]);
        expect(await store.getCheckpoint('goods')).toBeNull();

        await store.commitBatch(commit('A', { accepted: [{ key: 'k-1', hash: 'h-1' }] }));
        expect(await store.getCheckpoint('goods')).toBeNull();
        expect((await store.pendingBatches('goods')).map((b) => b.messageId)).toEqual(['B']);

        await store.commitBatch(
          commit('B', {
            accepted: [{ key: 'k-2', hash: 'h-2' }],
            checkpoint: { position: { cursor: '2024-05-01 10:00:00.000001', key: ['2'] }, childCursors: {} },
          }),
        );
        const checkpoint = await store.getCheckpoint('goods');
        expect(checkpoint?.position).toEqual({ cursor: '2024-05-01 10:00:00.000001', key: ['2'] });
        expect(await store.pendingBatches('goods')).toEqual([]);
        expect(await store.ledgerHashes('goods', ['k-1', 'k-2', 'k-3'])).toEqual(
          new Map([
            ['k-1', 'h-1'],
            ['k-2', 'h-2'],
          ]),
        );
      });

      it('updates hashes and removes deleted keys', async () => {
        await store.addToOutbox([batch('A', 1, null), batch('B', 2, null)]);
        await store.commitBatch(commit('A', { accepted: [{ key: 'k-1', hash: 'h-1' }, { key: 'k-2', hash: 'h-2' }] }));
        await store.commitBatch(commit('B', { accepted: [{ key: 'k-1', hash: 'h-1b' }], deleted: ['k-2'] }));

        expect(await store.ledgerHashes('goods', ['k-1', 'k-2'])).toEqual(new Map([['k-1', 'h-1b']]));
        expect(await store.ledgerCount('goods')).toBe(1);
        expect(await store.ledgerCount('orders')).toBe(0);
      });

      it('stores one receipt per message', async () => {
        await store.addToOutbox([batch('A', 1, null)]);
        await store.commitBatch(commit('A', { receipt: { messageId: 'A', status: 'partial', code: '1', message: 'partly', receiptId: 'R-1' } }));

        // A repeated ack (the platform returns duplicate for a resend) replaces the receipt.
        await store.commitBatch(commit('A', { receipt: { messageId: 'A', status: 'duplicate', code: '0', message: 'seen' } }));

        expect(await target.countRows('receipts')).toBe(1);
      });

      it('writes nothing when a step fails', async () => {
        await store.addToOutbox([batch('A', 1, '2024-05-01 10:00:00.000001')]);
        await store.addDeadLetters([letter('k-1')]);

        // The run id is NOT NULL in both stores. This letter fails after the
        // ledger upsert and the dead-letter resolve have run in the transaction.
        const broken = letter('k-9', { runId: null as unknown as string });
        await expect(
          store.commitBatch(
            commit('A', {
              accepted: [{ key: 'k-1', hash: 'h-1' }],
              deleted: ['k-0'],
              rejected: [broken],
              checkpoint: { position: { cursor: '2024-05-01 10:00:00.000001', key: ['1'] }, childCursors: {} },
            }),
          ),
        ).rejects.toThrow();

        expect(await store.ledgerCount('goods')).toBe(0);
        expect(await store.getCheckpoint('goods')).toBeNull();
        expect((await store.pendingBatches('goods')).map((b) => b.messageId)).toEqual(['A']);
        expect(await target.countRows('receipts')).toBe(0);
        const letters = await store.listDeadLetters({ pipeline: 'goods' });
        expect(letters.map((l) => l.recordKey)).toEqual(['k-1']);
        expect(letters[0].resolvedAt).toBeNull();
      });

      it('writes nothing when the last step fails', async () => {
        await store.addToOutbox([batch('Z', 1, null), batch('A', 2, null)]);
        await store.commitBatch(commit('Z', { accepted: [{ key: 'k-0', hash: 'h-0' }] }));
        await store.addDeadLetters([letter('k-1')]);

        // The checkpoint is written last. A BigInt in it makes JSON.stringify
        // throw after every other statement of the commit has run.
        const unserializable = { position: { cursor: 'c', key: [10n as unknown as string] }, childCursors: {} };
        await expect(
          store.commitBatch(
            commit('A', {
              accepted: [{ key: 'k-1', hash: 'h-1' }],
              deleted: ['k-0'],
              rejected: [letter('k-5', { stage: 'platform', reasonCode: 'E1' })],
              checkpoint: unserializable,
            }),
          ),
        ).rejects.toThrow();

        expect(await store.ledgerHashes('goods', ['k-0', 'k-1'])).toEqual(new Map([['k-0', 'h-0']]));
        expect(await store.getCheckpoint('goods')).toBeNull();
        expect((await store.pendingBatches('goods')).map((b) => b.messageId)).toEqual(['A']);
        expect(await target.countRows('receipts')).toBe(1);
        const letters = await store.listDeadLetters({});
        expect(letters.map((l) => l.recordKey)).toEqual(['k-1']);
        expect(letters[0].resolvedAt).toBeNull();
      });

      it('keeps a batch key listed twice once', async () => {
        await store.addToOutbox([batch('A', 1, null)]);
        await store.commitBatch(commit('A', { accepted: [{ key: 'k-1', hash: 'old' }, { key: 'k-1', hash: 'new' }] }));

        expect(await store.ledgerHashes('goods', ['k-1'])).toEqual(new Map([['k-1', 'new']]));
      });
    });

    describe('dead letters', () => {
      it('stores a dead letter once per problem', async () => {
        await store.addDeadLetters([letter('SKU-1')]);
        await store.addDeadLetters([letter('SKU-1', { runId: 'r2' })]);

        const letters = await store.listDeadLetters({ pipeline: 'goods' });
        expect(letters).toHaveLength(1);
        expect(letters[0].recordKey).toBe('SKU-1');
        expect(letters[0].runId).toBe('r1');
      });

      it('stores copies within one call once', async () => {
        await store.addDeadLetters([letter('SKU-1'), letter('SKU-1'), letter('SKU-2')]);

        const letters = await store.listDeadLetters({});
        expect(letters.map((l) => l.recordKey)).toEqual(['SKU-2', 'SKU-1']);
      });

      it('stores each distinct problem of a key', async () => {
        await store.addDeadLetters([
          letter('SKU-1'),
          letter('SKU-1', { detail: [{ path: 'name', code: 'too_long' }] }),
          letter('SKU-1', { stage: 'map', reasonCode: 'bad_date' }),
          letter('SKU-1', { pipeline: 'goods-eu' }),
        ]);

        expect(await store.listDeadLetters({})).toHaveLength(4);
      });

      it('de-duplicates a long detail', async () => {
        // Longer than a PostgreSQL B-tree entry may be, to catch an index on the raw text.
        const detail = [{ path: 'remark', code: 'too_long', value: 'x'.repeat(10_000) }];
        await store.addDeadLetters([letter('SKU-1', { detail })]);
        await store.addDeadLetters([letter('SKU-1', { detail, runId: 'r2' })]);

        const letters = await store.listDeadLetters({});
        expect(letters).toHaveLength(1);
        expect(letters[0].detail).toEqual(detail);
      });

      it('stores a problem again once resolved', async () => {
        await store.addDeadLetters([letter('SKU-1')]);
        const [first] = await store.listDeadLetters({});
        await store.resolveDeadLetters([first.id]);
        await store.addDeadLetters([letter('SKU-1', { runId: 'r2' })]);

        const letters = await store.listDeadLetters({});
        expect(letters).toHaveLength(2);
        expect(letters[0].runId).toBe('r2');
        expect(letters[0].resolvedAt).toBeNull();
        expect(letters[1].resolvedAt).toMatch(ISO_TEXT);
      });

      it('returns every field of a letter', async () => {
        await store.addDeadLetters([
          letter('SKU-1', {
            stage: 'platform',
            reasonCode: 'E102',
            detail: { message: '字段超长' },
            sourceRow: { id: PAST_2_53, name: '测试' },
            payload: { sku: 'SKU-1' },
            messageId: 'M-1',
          }),
          letter('SKU-2'),
        ]);

        const [second, first] = await store.listDeadLetters({});
        expect(first).toMatchObject({
          pipeline: 'goods',
          runId: 'r1',
          kind: 'goods',
          recordKey: 'SKU-1',
          stage: 'platform',
          reasonCode: 'E102',
          detail: { message: '字段超长' },
          sourceRow: { id: PAST_2_53, name: '测试' },
          payload: { sku: 'SKU-1' },
          messageId: 'M-1',
          resolvedAt: null,
        });
        expect(typeof first.id).toBe('number');
        expect(first.createdAt).toMatch(ISO_TEXT);
        expect(second.sourceRow).toBeUndefined();
        expect(second.payload).toBeUndefined();
        expect(second.messageId).toBeUndefined();
      });

      it('filters, orders and limits the list', async () => {
        await store.addDeadLetters([letter('SKU-1'), letter('SKU-2'), letter('SKU-3'), letter('SKU-9', { pipeline: 'orders' })]);
        const all = await store.listDeadLetters({ pipeline: 'goods' });
        await store.resolveDeadLetters([all.find((l) => l.recordKey === 'SKU-2')!.id]);

        expect((await store.listDeadLetters({})).map((l) => l.recordKey)).toEqual(['SKU-9', 'SKU-3', 'SKU-2', 'SKU-1']);
        expect((await store.listDeadLetters({ pipeline: 'goods' })).map((l) => l.recordKey)).toEqual(['SKU-3', 'SKU-2', 'SKU-1']);
        expect((await store.listDeadLetters({ pipeline: 'goods', unresolvedOnly: true })).map((l) => l.recordKey)).toEqual([
          'SKU-3',
          'SKU-1',
        ]);
        expect((await store.listDeadLetters({ limit: 2 })).map((l) => l.recordKey)).toEqual(['SKU-9', 'SKU-3']);
      });

      it('resolves only the ids given', async () => {
        await store.addDeadLetters([letter('SKU-1'), letter('SKU-2')]);
        const [second] = await store.listDeadLetters({});
        await store.resolveDeadLetters([second.id]);
        await store.resolveDeadLetters([]);

        const unresolved = await store.listDeadLetters({ unresolvedOnly: true });
        expect(unresolved.map((l) => l.recordKey)).toEqual(['SKU-1']);
      });

      it('resolves letters of accepted and deleted keys', async () => {
        await store.addDeadLetters([letter('SKU-1'), letter('SKU-2'), letter('SKU-3'), letter('SKU-1', { pipeline: 'goods-eu' })]);
        await store.addToOutbox([batch('A', 1, null)]);

        await store.commitBatch(
          commit('A', {
            accepted: [{ key: 'SKU-1', hash: 'h' }],
            deleted: ['SKU-2'],
            rejected: [letter('SKU-4', { stage: 'platform', reasonCode: 'E1', messageId: 'A' })],
          }),
        );

        const open = await store.listDeadLetters({ unresolvedOnly: true });
        expect(open.map((l) => `${l.pipeline}/${l.recordKey}`).sort()).toEqual(['goods-eu/SKU-1', 'goods/SKU-3', 'goods/SKU-4']);
        const resolved = (await store.listDeadLetters({})).filter((l) => l.resolvedAt !== null);
        expect(resolved.map((l) => l.recordKey).sort()).toEqual(['SKU-1', 'SKU-2']);
      });

      it('stores a rejected record once per commit retry', async () => {
        await store.addToOutbox([batch('A', 1, null)]);
        const rejected = [letter('SKU-4', { stage: 'platform', reasonCode: 'E1', messageId: 'A' })];

        await store.commitBatch(commit('A', { rejected }));
        await store.commitBatch(commit('A', { rejected }));

        expect(await store.listDeadLetters({})).toHaveLength(1);
      });
    });

    describe('ledger', () => {
      it('keeps keys past 2^53 apart', async () => {
        await store.addToOutbox([batch('A', 1, null)]);
        await store.commitBatch(commit('A', { accepted: [{ key: PAST_2_53, hash: 'odd' }, { key: AT_2_53, hash: 'even' }] }));

        const hashes = await store.ledgerHashes('goods', [PAST_2_53, AT_2_53, '9007199254740994']);
        expect(hashes).toEqual(
          new Map([
            [PAST_2_53, 'odd'],
            [AT_2_53, 'even'],
          ]),
        );
      });

      it('looks up more keys than one query takes', async () => {
        const accepted = Array.from({ length: 12_000 }, (_, i) => ({ key: `K-${i}`, hash: `H-${i}` }));
        await store.addToOutbox([batch('A', 1, null)]);
        await store.commitBatch(commit('A', { accepted }));

        const keys = [...accepted.map((r) => r.key), 'missing'];
        const hashes = await store.ledgerHashes('goods', keys);
        expect(hashes.size).toBe(12_000);
        expect(hashes.get('K-11999')).toBe('H-11999');
        expect(await store.ledgerCount('goods')).toBe(12_000);
        expect(await store.ledgerHashes('goods', [])).toEqual(new Map());
      });

      it('separates kinds', async () => {
        await store.addToOutbox([batch('A', 1, null)]);
        await store.commitBatch(commit('A', { accepted: [{ key: 'k-1', hash: 'h-1' }] }));

        expect(await store.ledgerHashes('orders', ['k-1'])).toEqual(new Map());
      });
    });

    describe('runs', () => {
      it('records a run from start to finish', async () => {
        await store.startRun({ runId: 'run-1', pipeline: 'goods', mode: 'run' });
        const [started] = await store.recentRuns('goods', 10);
        expect(started).toMatchObject({ runId: 'run-1', pipeline: 'goods', mode: 'run', finishedAt: null, outcome: null, counts: null, checkpoint: null });
        expect(started.startedAt).toMatch(ISO_TEXT);

        const counts = { ...emptyCounts(), read: 10, sent: 9, accepted: 8, rejected: 1 };
        await store.finishRun('run-1', 'goods', 'finished', counts, '2024-05-01 10:00:00.000001 / 7');

        const [finished] = await store.recentRuns('goods', 10);
        expect(finished.outcome).toBe('finished');
        expect(finished.counts).toEqual(counts);
        expect(finished.checkpoint).toBe('2024-05-01 10:00:00.000001 / 7');
        expect(finished.finishedAt).toMatch(ISO_TEXT);
      });

      it('lists recent runs newest first', async () => {
        await store.startRun({ runId: 'run-1', pipeline: 'goods', mode: 'run' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.startRun({ runId: 'run-1', pipeline: 'orders', mode: 'run' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.startRun({ runId: 'run-2', pipeline: 'goods', mode: 'backfill' });

        expect((await store.recentRuns(undefined, 10)).map((r) => `${r.runId}/${r.pipeline}`)).toEqual([
          'run-2/goods',
          'run-1/orders',
          'run-1/goods',
        ]);
        expect((await store.recentRuns('goods', 10)).map((r) => r.runId)).toEqual(['run-2', 'run-1']);
        expect((await store.recentRuns(undefined, 1)).map((r) => r.runId)).toEqual(['run-2']);
        expect((await store.recentRuns('goods', 1))[0].mode).toBe('backfill');
      });
    });

    describe('locks', () => {
      it('lets one owner hold a lock', async () => {
        expect(await store.acquireLock('pipeline:goods', 'run-1', 60_000)).toBe(true);
        expect(await store.acquireLock('pipeline:goods', 'run-2', 60_000)).toBe(false);

        await store.releaseLock('pipeline:goods', 'run-1');
        expect(await store.acquireLock('pipeline:goods', 'run-2', 60_000)).toBe(true);
      });

      it('lets the holder take its lock again', async () => {
        expect(await store.acquireLock('pipeline:goods', 'run-1', 60_000)).toBe(true);
        expect(await store.acquireLock('pipeline:goods', 'run-1', 60_000)).toBe(true);
        expect(await store.acquireLock('pipeline:orders', 'run-2', 60_000)).toBe(true);
      });

      it('ignores a release by another owner', async () => {
        await store.acquireLock('pipeline:goods', 'run-1', 60_000);
        await store.releaseLock('pipeline:goods', 'run-2');

        expect(await store.acquireLock('pipeline:goods', 'run-2', 60_000)).toBe(false);
      });

      it('hands an expired lock to another worker', async () => {
        const other = await openWorker();
        expect(await store.acquireLock('pipeline:goods', 'worker-a', 1)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 20));

        const judged: string[] = [];
        expect(await other.acquireLock('pipeline:goods', 'worker-b', 60_000, (holder) => (judged.push(holder), false))).toBe(true);
        // An expired holder needs no judgement.
        expect(judged).toEqual([]);
        expect(await store.acquireLock('pipeline:goods', 'worker-a', 60_000)).toBe(false);
      });

      it('takes a live lock only from a stale holder', async () => {
        const other = await openWorker();
        expect(await store.acquireLock('pipeline:goods', 'worker-a', 60_000)).toBe(true);

        const judged: string[] = [];
        expect(await other.acquireLock('pipeline:goods', 'worker-b', 60_000, (holder) => (judged.push(holder), false))).toBe(false);
        expect(await other.acquireLock('pipeline:goods', 'worker-b', 60_000, (holder) => (judged.push(holder), true))).toBe(true);
        expect(judged).toEqual(['worker-a', 'worker-a']);

        // The old holder's release must not free the new holder's lock.
        await store.releaseLock('pipeline:goods', 'worker-a');
        expect(await store.acquireLock('pipeline:goods', 'worker-c', 60_000)).toBe(false);
      });

      it('gives a free lock to exactly one of two workers', async () => {
        const workerA = await openWorker();
        const workerB = await openWorker();

        for (let round = 0; round < 5; round++) {
          const name = `pipeline:race-${round}`;
          const attempts = Array.from({ length: 8 }, (_, i) =>
            (i % 2 === 0 ? workerA : workerB).acquireLock(name, `owner-${i}`, 60_000, () => false),
          );
          const results = await Promise.all(attempts);

          expect(results.filter(Boolean)).toHaveLength(1);
        }
      });

      it('gives a stale lock to exactly one of two workers', async () => {
        const workerA = await openWorker();
        const workerB = await openWorker();
        await store.acquireLock('pipeline:goods', 'crashed', 60_000);

        // Both workers judge the crashed holder stale at the same time.
        const results = await Promise.all([
          workerA.acquireLock('pipeline:goods', 'worker-a', 60_000, (holder) => holder === 'crashed'),
          workerB.acquireLock('pipeline:goods', 'worker-b', 60_000, (holder) => holder === 'crashed'),
        ]);

        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    it('closes twice without error', async () => {
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
}
