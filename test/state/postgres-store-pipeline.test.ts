import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { PostgresStateStore } from '../../pipelines/state/postgres-state-store.js';
import { freshPostgres, POSTGRES, serverAvailable } from '../support/databases.js';
import { startHarness, type SyncHarness } from '../support/sync-harness.js';
import { createTinyWms, touchTinyRows } from '../support/tiny-wms.js';

/**
 * A real pipeline with `state.driver: postgres`: the tiny WMS, the sandbox
 * over HTTP and the state in PostgreSQL, reached through `${ENV}` in the
 * config as a deployment would.
 */

const DATABASE = 'owh_state_pipeline';
const SCHEMA = 'sync_state';
const URL_VARIABLE = 'OWH_TEST_STATE_URL';
const ROWS = 120;
const PG_UP = await serverAvailable('postgres');

interface SandboxStats {
  acceptedByKind: Record<string, number>;
  duplicatesSeen: number;
}

async function queryState(sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ ...POSTGRES, database: DATABASE });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!PG_UP)('pipeline on the postgres state store', () => {
  let dir: string;
  let wmsFile: string;
  let harness: SyncHarness;

  beforeEach(async () => {
    await freshPostgres(DATABASE);
    process.env[URL_VARIABLE] = `postgres://${POSTGRES.user}@${POSTGRES.host}:${POSTGRES.port}/${DATABASE}`;

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-pg-state-'));
    const tiny = createTinyWms(dir, ROWS);
    wmsFile = tiny.wmsFile;
    harness = await startHarness({
      wmsFile,
      pipelines: { goods: tiny.mappingFile },
      pipelineSettings: { batchSize: 50 },
      state: { driver: 'postgres', connection: `\${${URL_VARIABLE}}`, schema: SCHEMA },
    });
  });

  afterEach(async () => {
    await harness.close();
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env[URL_VARIABLE];
  });

  async function sandboxStats(): Promise<SandboxStats> {
    return (await (await fetch(`${harness.sandbox.url}/_sandbox/stats`)).json()) as SandboxStats;
  }

  it('keeps checkpoint and ledger in postgres', async () => {
    const [first] = await harness.run();
    expect(first.outcome).toBe('finished');
    expect(first.counts).toMatchObject({ read: ROWS, sent: ROWS, accepted: ROWS });

    const checkpoints = await queryState(`SELECT pipeline, position_json FROM ${SCHEMA}.checkpoints`);
    expect(checkpoints).toHaveLength(1);
    expect(JSON.parse(checkpoints[0].position_json as string).key).toEqual([String(ROWS)]);
    const [ledger] = await queryState(`SELECT COUNT(*)::int AS n FROM ${SCHEMA}.ledger WHERE kind = 'goods'`);
    expect(ledger.n).toBe(ROWS);
    const [outbox] = await queryState(`SELECT COUNT(*)::int AS n FROM ${SCHEMA}.outbox WHERE status = 'pending'`);
    expect(outbox.n).toBe(0);
    expect(fs.existsSync(path.join(harness.dir, 'state.sqlite'))).toBe(false);

    const requestsAfterFirst = harness.requests.length;
    const [second] = await harness.run();
    expect(second.outcome).toBe('finished');
    expect(second.counts).toMatchObject({ read: 0, sent: 0 });
    expect(harness.requests.length).toBe(requestsAfterFirst);

    const store = new PostgresStateStore({ connection: process.env[URL_VARIABLE]!, schema: SCHEMA });
    try {
      const runs = await store.recentRuns('goods', 10);
      expect(runs.map((run) => run.outcome)).toEqual(['finished', 'finished']);
      expect((await store.getCheckpoint('goods'))?.position?.key).toEqual([String(ROWS)]);
    } finally {
      await store.close();
    }
  });

  it('sends a changed row once more', async () => {
    await harness.run();
    const [before] = await queryState(`SELECT content_hash FROM ${SCHEMA}.ledger WHERE record_key = 'SKU-5'`);

    touchTinyRows(wmsFile, [5], '99.90');
    const [changed] = await harness.run();

    expect(changed.counts).toMatchObject({ read: 1, sent: 1, accepted: 1 });
    const [after] = await queryState(`SELECT content_hash FROM ${SCHEMA}.ledger WHERE record_key = 'SKU-5'`);
    expect(after.content_hash).not.toBe(before.content_hash);
  });

  it('sends nothing twice from two workers', async () => {
    // Two runs at once open two stores (two pools) on one schema, as two
    // workers would. The pipeline lock lets one send, and the other skips or
    // finds the work done.
    const results = await Promise.all([harness.run(), harness.run()]);
    const summaries = results.flat();

    for (const summary of summaries) {
      if (summary.outcome === 'failed') expect(summary.error?.text.en).toContain('already running in another process');
    }
    const accepted = summaries.reduce((sum, summary) => sum + summary.counts.accepted, 0);
    expect(accepted).toBe(ROWS);
    const stats = await sandboxStats();
    expect(stats.acceptedByKind.goods).toBe(ROWS);
    expect(stats.duplicatesSeen).toBe(0);
    const [locks] = await queryState(`SELECT COUNT(*)::int AS n FROM ${SCHEMA}.locks`);
    expect(locks.n).toBe(0);
  });
});
