import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SqliteStateStore } from '../../pipelines/state/sqlite-state-store.js';
import { startHarness, type SyncHarness } from '../support/sync-harness.js';
import { createTinyWms } from '../support/tiny-wms.js';

const ROWS = 150;
const BIN = path.resolve('bin/owh-sync.js');

/** Polls until `condition` holds, failing after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface RecordView {
  version: number;
  messageIds: string[];
}

describe('crash between send and checkpoint', () => {
  let dir: string;
  let harness: SyncHarness;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-crash-'));
    const { wmsFile, mappingFile } = createTinyWms(dir, ROWS);
    harness = await startHarness({
      wmsFile,
      pipelines: { goods: mappingFile },
      pipelineSettings: { batchSize: 50 },
      // Slow retries keep the process busy retrying when the test kills it.
      platform: { retry: { retries: 20, minDelayMs: 300, maxDelayMs: 600, maxWaitMs: 10_000 } },
    });
  });

  afterEach(async () => {
    await harness.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resends the stored batch with its messageId and stores nothing twice', async () => {
    // The platform stores the first batch, then responds 500 to it and every retry.
    harness.sandbox.faults.add({ rules: [{ type: 'storeThenFail', then: 500, count: 1000 }] });

    const child = spawn(process.execPath, [BIN, 'run', 'goods', '--config', harness.configFile, '--lang', 'en'], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor(() => harness.requests.length >= 2, 30_000);
    child.kill('SIGKILL');
    await exited;

    // After the kill: the batch is still pending and the checkpoint has not moved.
    const loaded = harness.loaded();
    const store = new SqliteStateStore(loaded.resolve(loaded.config.state.path));
    const pending = await store.pendingBatches('goods');
    const checkpoint = await store.getCheckpoint('goods');
    await store.close();

    expect(pending).toHaveLength(1);
    expect(checkpoint?.position ?? null).toBeNull();
    const firstMessageId = pending[0].messageId;
    expect(harness.requests[0].messageId).toBe(firstMessageId);

    // Restart with a healthy platform.
    harness.sandbox.faults.clear();
    const [summary] = await harness.run();

    expect(summary.outcome).toBe('finished');
    const stats = (await (await fetch(`${harness.sandbox.url}/_sandbox/stats`)).json()) as {
      acceptedByKind: Record<string, number>;
      duplicatesSeen: number;
    };
    expect(stats.acceptedByKind.goods).toBe(ROWS);
    expect(stats.duplicatesSeen).toBeGreaterThanOrEqual(1);

    const sku1 = (await (await fetch(`${harness.sandbox.url}/_sandbox/records/goods/SKU-1`)).json()) as RecordView;
    expect(sku1.version).toBe(1);
    expect(sku1.messageIds).toEqual([firstMessageId]);

    const resend = harness.requests.filter((request) => request.messageId === firstMessageId);
    expect(resend.length).toBeGreaterThanOrEqual(3);

    const store2 = new SqliteStateStore(loaded.resolve(loaded.config.state.path));
    expect((await store2.getCheckpoint('goods'))?.position?.key).toEqual([String(ROWS)]);
    expect(await store2.pendingBatches('goods')).toEqual([]);
    await store2.close();
  });
});
