import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SqliteStateStore } from '../../pipelines/state/sqlite-state-store.js';
import type { OutboxBatch } from '../../pipelines/state/state-store.js';

function batch(messageId: string, seq: number, checkpointCursor: string | null): OutboxBatch {
  return {
    messageId,
    pipeline: 'goods',
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

describe('sqlite state store', () => {
  let dir: string;
  let store: SqliteStateStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-state-'));
    store = new SqliteStateStore(path.join(dir, 'state.sqlite'));
    await store.migrate();
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the checkpoint until a commit', async () => {
    await store.addToOutbox([batch('A', 1, null), batch('B', 2, '2024-05-01 10:00:00.000001')]);
    expect(await store.getCheckpoint('goods')).toBeNull();

    await store.commitBatch({
      messageId: 'A',
      pipeline: 'goods',
      kind: 'goods',
      accepted: [{ key: 'k-1', hash: 'h-1' }],
      deleted: [],
      rejected: [],
      receipt: { messageId: 'A', status: 'accepted', code: '0', message: 'ok' },
      checkpoint: null,
    });
    expect(await store.getCheckpoint('goods')).toBeNull();
    expect((await store.pendingBatches('goods')).map((b) => b.messageId)).toEqual(['B']);

    await store.commitBatch({
      messageId: 'B',
      pipeline: 'goods',
      kind: 'goods',
      accepted: [{ key: 'k-2', hash: 'h-2' }],
      deleted: [],
      rejected: [],
      receipt: { messageId: 'B', status: 'accepted', code: '0', message: 'ok' },
      checkpoint: { position: { cursor: '2024-05-01 10:00:00.000001', key: ['2'] }, childCursors: {} },
    });
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

  it('stores a dead letter once per problem', async () => {
    const letter = {
      pipeline: 'goods',
      runId: 'r1',
      kind: 'goods',
      recordKey: 'SKU-1',
      stage: 'validate' as const,
      reasonCode: 'too_long',
      detail: [{ path: 'sku', code: 'too_long' }],
    };
    await store.addDeadLetters([letter]);
    await store.addDeadLetters([{ ...letter, runId: 'r2' }]);

    const letters = await store.listDeadLetters({ pipeline: 'goods' });
    expect(letters).toHaveLength(1);
    expect(letters[0].recordKey).toBe('SKU-1');
  });

  it('lets one owner hold a lock', async () => {
    expect(await store.acquireLock('pipeline:goods', 'run-1', 60_000)).toBe(true);
    expect(await store.acquireLock('pipeline:goods', 'run-2', 60_000)).toBe(false);

    await store.releaseLock('pipeline:goods', 'run-1');
    expect(await store.acquireLock('pipeline:goods', 'run-2', 60_000)).toBe(true);
  });

  it('survives reopening the file', async () => {
    await store.saveCheckpoint('goods', { position: { cursor: '2024-06-18 10:00:00.000000', key: ['9007199254740993'] }, childCursors: { lines: 'x' } });
    await store.close();

    store = new SqliteStateStore(path.join(dir, 'state.sqlite'));
    await store.migrate();
    const checkpoint = await store.getCheckpoint('goods');
    expect(checkpoint?.position?.key).toEqual(['9007199254740993']);
    expect(checkpoint?.childCursors).toEqual({ lines: 'x' });
  });
});
