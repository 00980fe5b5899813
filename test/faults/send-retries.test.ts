import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SqliteStateStore } from '../../pipelines/state/sqlite-state-store.js';
import { startHarness, type SyncHarness } from '../support/sync-harness.js';
import { createTinyWms } from '../support/tiny-wms.js';

// 150 rows in batches of 50: three messages per full run.
const ROWS = 150;

describe('sending with faults', () => {
  let dir: string;
  let harness: SyncHarness;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-faults-'));
    const { wmsFile, mappingFile } = createTinyWms(dir, ROWS);
    harness = await startHarness({ wmsFile, pipelines: { goods: mappingFile }, pipelineSettings: { batchSize: 50 } });
  });

  afterEach(async () => {
    await harness.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Injected faults respond before the envelope is read, so those requests
  // carry no messageId. Tests count every POST and check statuses in order.
  function statuses(): number[] {
    return harness.requests.filter((request) => request.method === 'POST').map((request) => request.httpStatus);
  }

  async function pendingMessageIds(): Promise<string[]> {
    const store = new SqliteStateStore(harness.loaded().resolve(harness.loaded().config.state.path));
    try {
      return (await store.pendingBatches('goods')).map((batch) => batch.messageId);
    } finally {
      await store.close();
    }
  }

  async function storedMessage(messageId: string): Promise<number> {
    return (await fetch(`${harness.sandbox.url}/_sandbox/messages/${messageId}`)).status;
  }

  async function checkpointCursor(): Promise<string | undefined> {
    const store = new SqliteStateStore(harness.loaded().resolve(harness.loaded().config.state.path));
    try {
      return (await store.getCheckpoint('goods'))?.position?.key[0];
    } finally {
      await store.close();
    }
  }

  it('retries 503 twice then succeeds', async () => {
    harness.sandbox.faults.add({ rules: [{ type: 'sequence', steps: [503, 503, 200] }] });

    const [summary] = await harness.run();

    expect(summary.outcome).toBe('finished');
    expect(summary.counts.accepted).toBe(ROWS);
    expect(statuses()).toEqual([503, 503, 200, 200, 200]);
  });

  it('does not retry a 400 and quarantines the batch', async () => {
    harness.sandbox.faults.add({ rules: [{ type: 'status', status: 400, count: 1 }] });

    const [summary] = await harness.run();

    expect(statuses()).toEqual([400, 200, 200]);
    expect(summary.outcome).toBe('finished');
    expect(summary.counts.rejected).toBe(50);
    expect(summary.counts.accepted).toBe(100);
    expect(await checkpointCursor()).toBe(String(ROWS));

    // Once the cause is fixed, a full refresh sends the quarantined records
    // again under a new messageId and skips the accepted ones.
    const [refresh] = await harness.run([], { fullRefresh: true });
    expect(refresh.outcome).toBe('finished');
    expect(refresh.counts).toMatchObject({ sent: 50, accepted: 50, unchanged: 100 });
  });

  it('stops on a 401 and keeps the checkpoint', async () => {
    harness.sandbox.faults.add({ rules: [{ type: 'status', status: 401, count: 1 }] });

    const [first] = await harness.run();

    expect(statuses()).toEqual([401]);
    expect(first.outcome).toBe('failed');
    expect(first.error?.category).toBe('records-rejected');
    expect(await checkpointCursor()).toBeUndefined();

    // Once the cause is fixed, the pending batch goes out with its original messageId.
    const [pending] = await pendingMessageIds();
    expect(pending).toMatch(/^[0-9A-F-]{36}$/);
    const [second] = await harness.run();
    expect(second.outcome).toBe('finished');
    expect(await storedMessage(pending)).toBe(200);
    expect(await checkpointCursor()).toBe(String(ROWS));
  });

  it('splits a batch the platform finds too large', async () => {
    harness.sandbox.faults.add({ rules: [{ type: 'status', status: 413, count: 1 }] });

    const [summary] = await harness.run();

    expect(summary.outcome).toBe('finished');
    expect(summary.counts.accepted).toBe(ROWS);
    // The refused message, its two halves, then the two other batches.
    expect(statuses()).toEqual([413, 200, 200, 200, 200]);
    const stats = (await (await fetch(`${harness.sandbox.url}/_sandbox/stats`)).json()) as { acceptedByKind: Record<string, number> };
    expect(stats.acceptedByKind.goods).toBe(ROWS);
  });

  it('treats a 409 duplicate as stored', async () => {
    harness.sandbox.faults.add({ rules: [{ type: 'status', status: 409, count: 1 }] });

    const [summary] = await harness.run();

    expect(summary.outcome).toBe('finished');
    expect(statuses()).toEqual([409, 200, 200]);
    expect(await checkpointCursor()).toBe(String(ROWS));
  });

  // The HTTP-date form is measured against the response's Date header, which
  // has one-second resolution, so only a wait of at least one second is pinned.
  it.each([
    { form: 'seconds' as const, seconds: 1 },
    { form: 'date' as const, seconds: 2 },
  ])('waits Retry-After in $form form', async ({ form, seconds }) => {
    harness.sandbox.faults.add({ rules: [{ type: 'status', status: 429, count: 1, retryAfterSeconds: seconds, retryAfterForm: form }] });

    const [summary] = await harness.run();

    expect(summary.outcome).toBe('finished');
    const [first, second] = harness.requests;
    expect(first.httpStatus).toBe(429);
    expect(second.httpStatus).toBe(200);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
  });

  it('stops cleanly when asked to wait too long', async () => {
    harness.sandbox.faults.add({ rules: [{ type: 'status', status: 503, count: 1, retryAfterSeconds: 7200, retryAfterForm: 'seconds' }] });

    const [summary] = await harness.run();

    expect(summary.outcome).toBe('failed');
    expect(summary.error?.category).toBe('platform-unreachable');
    expect(summary.error?.text.en).toContain('rate limited until');
    expect(harness.requests).toHaveLength(1);
    expect(await checkpointCursor()).toBeUndefined();
  });
});
