import pg from 'pg';

import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres-migrations.js';
import {
  connectError,
  isoText,
  isoTextOrNull,
  poolConfigFor,
  quoteIdentifier,
  type PostgresConnection,
} from './postgres-connection.js';
import type {
  Checkpoint,
  CheckpointUpdate,
  CommitInput,
  DeadLetter,
  DeadLetterInput,
  OutboxBatch,
  RunCounts,
  RunRecord,
  StateStore,
} from './state-store.js';

export interface PostgresStateOptions {
  connection: PostgresConnection;
  /** Schema that contains the tables, created when missing. */
  schema?: string;
  poolMax?: number;
}

/** Keys per `= ANY($2)` lookup, so one query's parameter stays a few hundred kB at most. */
const LEDGER_CHUNK = 5000;

/** Attempts at a lock whose holder disappears between two statements. */
const LOCK_ATTEMPTS = 3;

type Queryable = pg.Pool | pg.PoolClient;

/**
 * The shared state store: tables in one PostgreSQL schema, reached through
 * a connection pool, so several workers on several hosts can use one store.
 * Locks are rows compared against the database clock, never a worker's.
 */
export class PostgresStateStore implements StateStore {
  readonly #pool: pg.Pool;
  readonly #connection: PostgresConnection;
  readonly #schemaName: string;
  /** Quoted schema name, for building SQL. */
  readonly #schema: string;
  #closed = false;

  constructor(options: PostgresStateOptions) {
    this.#connection = options.connection;
    this.#schemaName = options.schema ?? 'owh_sync';
    this.#schema = quoteIdentifier(this.#schemaName);
    this.#pool = new pg.Pool(poolConfigFor(options.connection, options.poolMax));

    // An idle connection that the server drops emits 'error' on the pool,
    // which would end the process unhandled. The pool discards that client,
    // and the next query opens a new connection or reports its own error.
    this.#pool.on('error', () => undefined);
  }

  /**
   * Creates the schema and applies missing migrations in one transaction,
   * under an advisory lock, so two workers that start together do not both
   * migrate: the second waits, then finds nothing left to do.
   */
  async migrate(): Promise<void> {
    const schema = this.#schema;

    await this.#transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`owh-sync:migrate:${this.#schemaName}`]);

      // Checked before CREATE because CREATE SCHEMA IF NOT EXISTS still needs
      // the CREATE privilege on the database (PostgreSQL 15), which a user
      // given a prepared schema may lack.
      const schemaFound = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.#schemaName]);
      if (schemaFound.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);

      const versionTable = await client.query('SELECT to_regclass($1) AS found', [`${schema}.schema_version`]);
      if (versionTable.rows[0].found === null) {
        await client.query(`CREATE TABLE ${schema}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      }

      const row = await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${schema}.schema_version`);
      const current = Number(row.rows[0].v);
      if (current > POSTGRES_MIGRATIONS.length) throw this.#newerSchemaError(current);

      for (let version = current + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
        await client.query(POSTGRES_MIGRATIONS[version - 1](schema));
        await client.query(`INSERT INTO ${schema}.schema_version (version) VALUES ($1)`, [version]);
      }
    });
  }

  #newerSchemaError(current: number): OwhError {
    return new OwhError(
      'config',
      bi(
        `PostgreSQL 状态库 schema ${this.#schemaName} 的版本为 ${current}，高于本程序支持的 ${POSTGRES_MIGRATIONS.length}：另一个工作进程使用了更新的 owh-sync。请把所有工作进程升级到同一版本。`,
        `the PostgreSQL state store schema ${this.#schemaName} is at version ${current}, newer than the ${POSTGRES_MIGRATIONS.length} this owh-sync supports: another worker runs a newer owh-sync. Upgrade every worker to the same version.`,
      ),
    );
  }

  async getCheckpoint(pipeline: string): Promise<Checkpoint | null> {
    const result = await this.#query(
      `SELECT position_json, child_cursors_json, updated_at FROM ${this.#schema}.checkpoints WHERE pipeline = $1`,
      [pipeline],
    );
    const row = result.rows[0];
    if (!row) return null;

    return {
      pipeline,
      position: row.position_json ? JSON.parse(row.position_json) : null,
      childCursors: JSON.parse(row.child_cursors_json),
      updatedAt: isoText(row.updated_at),
    };
  }

  async saveCheckpoint(pipeline: string, update: CheckpointUpdate): Promise<void> {
    await this.#writeCheckpoint(this.#pool, pipeline, update);
  }

  async #writeCheckpoint(db: Queryable, pipeline: string, update: CheckpointUpdate): Promise<void> {
    await db.query(
      `INSERT INTO ${this.#schema}.checkpoints (pipeline, position_json, child_cursors_json, updated_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (pipeline) DO UPDATE SET position_json = excluded.position_json,
         child_cursors_json = excluded.child_cursors_json, updated_at = excluded.updated_at`,
      [pipeline, update.position ? JSON.stringify(update.position) : null, JSON.stringify(update.childCursors)],
    );
  }

  async addToOutbox(batches: OutboxBatch[]): Promise<void> {
    await this.#transaction((client) => this.#insertBatches(client, batches));
  }

  async #insertBatches(client: pg.PoolClient, batches: OutboxBatch[]): Promise<void> {
    for (const batch of batches) {
      await client.query(
        `INSERT INTO ${this.#schema}.outbox (message_id, pipeline, kind, app_type, payload_text, records_json, checkpoint_json, seq, status, attempts, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $10, $9)`,
        [
          batch.messageId,
          batch.pipeline,
          batch.kind,
          batch.appType,
          batch.payloadText,
          JSON.stringify(batch.records),
          batch.checkpoint ? JSON.stringify(batch.checkpoint) : null,
          batch.seq,
          batch.createdAt,
          batch.attempts,
        ],
      );
    }
  }

  async pendingBatches(pipeline: string): Promise<OutboxBatch[]> {
    const result = await this.#query(
      `SELECT * FROM ${this.#schema}.outbox WHERE pipeline = $1 AND status = 'pending' ORDER BY seq`,
      [pipeline],
    );
    return result.rows.map(toBatch);
  }

  async nextSeq(pipeline: string): Promise<number> {
    const result = await this.#query(`SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM ${this.#schema}.outbox WHERE pipeline = $1`, [
      pipeline,
    ]);
    return Number(result.rows[0].next);
  }

  async recordAttempt(messageId: string): Promise<void> {
    await this.#query(`UPDATE ${this.#schema}.outbox SET attempts = attempts + 1 WHERE message_id = $1`, [messageId]);
  }

  async splitBatch(messageId: string, halves: OutboxBatch[]): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query(`DELETE FROM ${this.#schema}.outbox WHERE message_id = $1`, [messageId]);
      await this.#insertBatches(client, halves);
    });
  }

  async commitBatch(input: CommitInput): Promise<void> {
    const schema = this.#schema;

    // ON CONFLICT DO UPDATE may touch a row once per statement, so a key
    // listed twice keeps its last hash, as the SQLite store's row-by-row upsert does.
    const accepted = new Map(input.accepted.map((record) => [record.key, record]));
    const records = [...accepted.values()];

    await this.#transaction(async (client) => {
      if (accepted.size > 0) {
        await client.query(
          `INSERT INTO ${schema}.ledger (kind, record_key, content_hash, message_id, acknowledged_at, pipeline, key_fields_json)
           SELECT $1, t.record_key, t.content_hash, $2, now(), $5, t.key_fields_json
           FROM unnest($3::text[], $4::text[], $6::text[]) AS t(record_key, content_hash, key_fields_json)
           ON CONFLICT (kind, record_key) DO UPDATE SET content_hash = excluded.content_hash,
             message_id = excluded.message_id, acknowledged_at = excluded.acknowledged_at,
             pipeline = excluded.pipeline, key_fields_json = excluded.key_fields_json`,
          [
            input.kind,
            input.messageId,
            records.map((r) => r.key),
            records.map((r) => r.hash),
            input.pipeline,
            records.map((r) => (r.keyFields ? JSON.stringify(r.keyFields) : null)),
          ],
        );
      }
      if (input.deleted.length > 0) {
        await client.query(`DELETE FROM ${schema}.ledger WHERE kind = $1 AND record_key = ANY($2::text[])`, [input.kind, input.deleted]);
      }

      // A record the platform has now accepted no longer needs attention.
      const settled = [...accepted.keys(), ...input.deleted];
      if (settled.length > 0) {
        await client.query(
          `UPDATE ${schema}.dead_letters SET resolved_at = now()
           WHERE pipeline = $1 AND kind = $2 AND record_key = ANY($3::text[]) AND resolved_at IS NULL`,
          [input.pipeline, input.kind, settled],
        );
      }

      await this.#insertDeadLetters(client, input.rejected);
      await client.query(
        `INSERT INTO ${schema}.receipts (message_id, status, code, message, receipt_id, received_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (message_id) DO UPDATE SET status = excluded.status, code = excluded.code,
           message = excluded.message, receipt_id = excluded.receipt_id, received_at = excluded.received_at`,
        [input.receipt.messageId, input.receipt.status, input.receipt.code, input.receipt.message, input.receipt.receiptId ?? null],
      );
      await client.query(`UPDATE ${schema}.outbox SET status = 'done' WHERE message_id = $1`, [input.messageId]);

      if (input.checkpoint) await this.#writeCheckpoint(client, input.pipeline, input.checkpoint);
    });
  }

  async ledgerHashes(kind: string, keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();

    for (let start = 0; start < keys.length; start += LEDGER_CHUNK) {
      const result = await this.#query(
        `SELECT record_key, content_hash FROM ${this.#schema}.ledger WHERE kind = $1 AND record_key = ANY($2::text[])`,
        [kind, keys.slice(start, start + LEDGER_CHUNK)],
      );
      for (const row of result.rows) found.set(row.record_key, row.content_hash);
    }
    return found;
  }

  async ledgerCount(kind: string): Promise<number> {
    const result = await this.#query(`SELECT COUNT(*) AS n FROM ${this.#schema}.ledger WHERE kind = $1`, [kind]);
    return Number(result.rows[0].n);
  }

  async addDeadLetters(letters: DeadLetterInput[]): Promise<void> {
    await this.#transaction((client) => this.#insertDeadLetters(client, letters));
  }

  /**
   * Inserts dead letters, once per (pipeline, kind, key, stage, reason,
   * detail) among unresolved ones, because a row re-read after a crash must
   * not fill the store with copies. All letters go in one statement, and
   * ordering by the ordinality gives ids in input order.
   */
  async #insertDeadLetters(client: pg.PoolClient, letters: DeadLetterInput[]): Promise<void> {
    if (letters.length === 0) return;

    const columns = {
      pipeline: letters.map((l) => l.pipeline),
      runId: letters.map((l) => l.runId),
      kind: letters.map((l) => l.kind),
      recordKey: letters.map((l) => l.recordKey),
      stage: letters.map((l) => l.stage),
      reasonCode: letters.map((l) => l.reasonCode),
      detail: letters.map((l) => JSON.stringify(l.detail)),
      sourceRow: letters.map((l) => (l.sourceRow === undefined ? null : JSON.stringify(l.sourceRow))),
      payload: letters.map((l) => (l.payload === undefined ? null : JSON.stringify(l.payload))),
      messageId: letters.map((l) => l.messageId ?? null),
    };

    await client.query(
      `INSERT INTO ${this.#schema}.dead_letters (pipeline, run_id, kind, record_key, stage, reason_code, detail_json, source_row_json, payload_json, message_id, created_at)
       SELECT pipeline, run_id, kind, record_key, stage, reason_code, detail_json, source_row_json, payload_json, message_id, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         WITH ORDINALITY AS t(pipeline, run_id, kind, record_key, stage, reason_code, detail_json, source_row_json, payload_json, message_id, ord)
       ORDER BY ord
       ON CONFLICT (pipeline, kind, record_key, stage, reason_code, md5(detail_json)) WHERE resolved_at IS NULL DO NOTHING`,
      Object.values(columns),
    );
  }

  async listDeadLetters(filter: { pipeline?: string; unresolvedOnly?: boolean; limit?: number }): Promise<DeadLetter[]> {
    const where: string[] = [];
    const params: unknown[] = [];

    if (filter.pipeline) {
      params.push(filter.pipeline);
      where.push(`pipeline = $${params.length}`);
    }
    if (filter.unresolvedOnly) where.push('resolved_at IS NULL');
    params.push(filter.limit ?? 100);

    const result = await this.#query(
      `SELECT * FROM ${this.#schema}.dead_letters ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );

    return result.rows.map((row) => ({
      // node-postgres returns bigint as text. Ids stay far below 2^53, so Number is exact.
      id: Number(row.id),
      pipeline: row.pipeline,
      runId: row.run_id,
      kind: row.kind,
      recordKey: row.record_key,
      stage: row.stage,
      reasonCode: row.reason_code,
      detail: JSON.parse(row.detail_json),
      sourceRow: row.source_row_json ? JSON.parse(row.source_row_json) : undefined,
      payload: row.payload_json ? JSON.parse(row.payload_json) : undefined,
      messageId: row.message_id ?? undefined,
      createdAt: isoText(row.created_at),
      resolvedAt: isoTextOrNull(row.resolved_at),
    }));
  }

  async resolveDeadLetters(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#query(`UPDATE ${this.#schema}.dead_letters SET resolved_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async startRun(run: { runId: string; pipeline: string; mode: 'run' | 'backfill' }): Promise<void> {
    await this.#query(`INSERT INTO ${this.#schema}.runs (run_id, pipeline, mode, started_at) VALUES ($1, $2, $3, now())`, [
      run.runId,
      run.pipeline,
      run.mode,
    ]);
  }

  async finishRun(runId: string, pipeline: string, outcome: string, counts: RunCounts, checkpoint: string | null): Promise<void> {
    await this.#query(
      `UPDATE ${this.#schema}.runs SET finished_at = now(), outcome = $1, counts_json = $2, checkpoint = $3 WHERE run_id = $4 AND pipeline = $5`,
      [outcome, JSON.stringify(counts), checkpoint, runId, pipeline],
    );
  }

  async recentRuns(pipeline: string | undefined, limit: number): Promise<RunRecord[]> {
    const result = pipeline
      ? await this.#query(`SELECT * FROM ${this.#schema}.runs WHERE pipeline = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, [
          pipeline,
          limit,
        ])
      : await this.#query(`SELECT * FROM ${this.#schema}.runs ORDER BY started_at DESC, id DESC LIMIT $1`, [limit]);

    return result.rows.map((row) => ({
      runId: row.run_id,
      pipeline: row.pipeline,
      mode: row.mode,
      startedAt: isoText(row.started_at),
      finishedAt: isoTextOrNull(row.finished_at),
      outcome: row.outcome ?? null,
      counts: row.counts_json ? JSON.parse(row.counts_json) : null,
      checkpoint: row.checkpoint ?? null,
    }));
  }

  /**
   * Takes the lock in one statement when it is free, expired or already
   * ours. Otherwise `isStale` judges the live holder, and a stale lock is
   * taken over only if that same holder still has it, so two workers that
   * both judge it stale cannot both win.
   */
  async beginReconcile(pipeline: string): Promise<void> {
    await this.#query(`DELETE FROM ${this.#schema}.reconcile_seen WHERE pipeline = $1`, [pipeline]);
  }

  async markSeen(pipeline: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#query(
      `INSERT INTO ${this.#schema}.reconcile_seen (pipeline, record_key)
       SELECT $1, k FROM unnest($2::text[]) AS k ON CONFLICT DO NOTHING`,
      [pipeline, keys],
    );
  }

  async unseenRecords(
    pipeline: string,
    kind: string,
    after: string | null,
    limit: number,
  ): Promise<Array<{ key: string; keyFields: Record<string, unknown> | null }>> {
    const schema = this.#schema;
    const result = await this.#query(
      `SELECT l.record_key, l.key_fields_json FROM ${schema}.ledger l
       WHERE l.pipeline = $1 AND l.kind = $2 AND ($3::text IS NULL OR l.record_key > $3::text)
         AND NOT EXISTS (SELECT 1 FROM ${schema}.reconcile_seen s WHERE s.pipeline = l.pipeline AND s.record_key = l.record_key)
       ORDER BY l.record_key LIMIT $4`,
      [pipeline, kind, after, limit],
    );
    return result.rows.map((row: Record<string, unknown>) => ({
      key: row.record_key as string,
      keyFields: row.key_fields_json ? (JSON.parse(row.key_fields_json as string) as Record<string, unknown>) : null,
    }));
  }

  async endReconcile(pipeline: string): Promise<void> {
    await this.#query(`DELETE FROM ${this.#schema}.reconcile_seen WHERE pipeline = $1`, [pipeline]);
  }

  async acquireLock(name: string, owner: string, ttlMs: number, isStale?: (holder: string) => boolean): Promise<boolean> {
    const schema = this.#schema;

    for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      const taken = await this.#query(
        `INSERT INTO ${schema}.locks AS held (name, owner, expires_at)
         VALUES ($1, $2, now() + $3::double precision * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE held.expires_at <= now() OR held.owner = excluded.owner
         RETURNING owner`,
        [name, owner, ttlMs],
      );
      if (taken.rowCount === 1) return true;
      if (!isStale) return false;

      const live = await this.#query(`SELECT owner FROM ${schema}.locks WHERE name = $1 AND expires_at > now()`, [name]);
      const holder: string | undefined = live.rows[0]?.owner;
      // The holder released the lock or it expired in between, so try the insert again.
      if (holder === undefined) continue;
      if (!isStale(holder)) return false;

      const stolen = await this.#query(
        `UPDATE ${schema}.locks SET owner = $2, expires_at = now() + $3::double precision * interval '1 millisecond'
         WHERE name = $1 AND owner = $4`,
        [name, owner, ttlMs, holder],
      );
      if (stolen.rowCount === 1) return true;
    }
    return false;
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.#query(`DELETE FROM ${this.#schema}.locks WHERE name = $1 AND owner = $2`, [name, owner]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #connect(): Promise<pg.PoolClient> {
    try {
      return await this.#pool.connect();
    } catch (error) {
      throw connectError(this.#connection, error);
    }
  }

  async #query(sql: string, params: unknown[]): Promise<pg.QueryResult> {
    const client = await this.#connect();
    try {
      return await client.query(sql, params);
    } finally {
      client.release();
    }
  }

  /** Runs `work` in one transaction on one connection, and rolls all of it back on any error. */
  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#connect();
    let broken: Error | undefined;

    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A failed ROLLBACK means the connection is gone, so the pool must discard it.
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

function toBatch(row: Record<string, unknown>): OutboxBatch {
  return {
    messageId: row.message_id as string,
    pipeline: row.pipeline as string,
    kind: row.kind as string,
    appType: row.app_type as string,
    payloadText: row.payload_text as string,
    records: JSON.parse(row.records_json as string),
    checkpoint: row.checkpoint_json ? JSON.parse(row.checkpoint_json as string) : null,
    seq: row.seq as number,
    status: row.status as OutboxBatch['status'],
    attempts: row.attempts as number,
    createdAt: isoText(row.created_at),
  };
}
