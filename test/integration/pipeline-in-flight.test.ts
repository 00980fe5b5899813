import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SqliteStateStore } from '../../pipelines/state/sqlite-state-store.js';
import { startHarness, type SyncHarness } from '../support/sync-harness.js';
import { createTinyWms } from '../support/tiny-wms.js';

const ROWS = 200;
const BATCH_SIZE = 10;

/** Greatest number of requests the sandbox was handling at the same moment. */
function maxOverlap(requests: SyncHarness['requests']): number {
  const edges = requests.flatMap((request) => [
    { at: request.at - request.durationMs, step: 1 },
    { at: request.at, step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);

  let open = 0;
  let max = 0;
  for (const edge of edges) {
    open += edge.step;
    max = Math.max(max, open);
  }
  return max;
}

describe('batches in flight', () => {
  let dir: string;
  let harness: SyncHarness;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-in-flight-'));
    const tiny = createTinyWms(dir, ROWS);
    harness = await startHarness({
      wmsFile: tiny.wmsFile,
      pipelines: { goods: tiny.mappingFile },
      pipelineSettings: { batchSize: BATCH_SIZE, maxBatchesInFlight: 4 },
      platform: { retry: { retries: 0, minDelayMs: 10, maxDelayMs: 10, maxWaitMs: 1000 } },
    });
  });

  afterEach(async () => {
    await harness.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function storeState() {
    const loaded = harness.loaded();
    const store = new SqliteStateStore(loaded.resolve(loaded.config.state.path));
    try {
      return {
        checkpoint: await store.getCheckpoint('goods'),
        pending: await store.pendingBatches('goods'),
        ledger: await store.ledgerCount('goods'),
      };
    } finally {
      await store.close();
    }
  }

  it('overlaps sends and commits every batch', async () => {
    harness.sandbox.faults.add({ rules: [{ type: 'slow', delayMs: 100 }] });

    const [summary] = await harness.run();

    expect(summary.outcome).toBe('finished');
    expect(summary.counts).toMatchObject({ read: ROWS, sent: ROWS, accepted: ROWS });
    expect(harness.requests).toHaveLength(ROWS / BATCH_SIZE);
    expect(maxOverlap(harness.requests)).toBeGreaterThan(1);
    expect(maxOverlap(harness.requests)).toBeLessThanOrEqual(4);

    const state = await storeState();
    expect(state.checkpoint?.position?.key).toEqual([String(ROWS)]);
    expect(state.pending).toEqual([]);
    expect(state.ledger).toBe(ROWS);
  });

  it('commits no batch after a failed one', async () => {
    // The third request is refused for good (a 401 is not retried), the others succeed.
    harness.sandbox.faults.add({ rules: [{ type: 'sequence', steps: [200, 200, 401] }] });

    const [failed] = await harness.run();
    expect(failed.outcome).toBe('failed');

    // Committed batches are a prefix of the seal order: every pending batch
    // comes after every committed one, and the checkpoint lies before them.
    const afterFailure = await storeState();
    const pendingSeqs = afterFailure.pending.map((batch) => batch.seq);
    expect(pendingSeqs.length).toBeGreaterThan(0);
    expect(afterFailure.ledger).toBe((Math.min(...pendingSeqs) - 1) * BATCH_SIZE);
    expect(Number(afterFailure.checkpoint?.position?.key[0] ?? 0)).toBe(afterFailure.ledger);

    // The next run resends the pending batches with their messageIds and
    // finishes; the sandbox stores every record once.
    harness.sandbox.faults.clear();
    const [second] = await harness.run();
    expect(second.outcome).toBe('finished');

    const finalState = await storeState();
    expect(finalState.pending).toEqual([]);
    expect(finalState.ledger).toBe(ROWS);

    const stats = (await (await fetch(`${harness.sandbox.url}/_sandbox/stats`)).json()) as { acceptedByKind: Record<string, number> };
    expect(stats.acceptedByKind.goods).toBe(ROWS);
    for (const key of ['SKU-1', 'SKU-25', `SKU-${ROWS}`]) {
      const record = (await (await fetch(`${harness.sandbox.url}/_sandbox/records/goods/${key}`)).json()) as { version: number };
      expect(record.version).toBe(1);
    }
  });
});
