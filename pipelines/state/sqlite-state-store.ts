import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

import { SQLITE_MIGRATIONS } from './migrations/sqlite-migrations.js';
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

/** Keys per ledger lookup statement. */
const LEDGER_CHUNK = 500;

interface OutboxRow {
  message_id: string;
  pipeline: string;
  kind: string;
  app_type: string;
  payload_text: string;
  records_json: string;
  checkpoint_json: string | null;
  seq: number;
  status: 'pending' | 'done';
  attempts: number;
  created_at: string;
}

/**
 * The embedded state store: one SQLite file in WAL mode with full fsync, so
 * a committed checkpoint survives a crash or power loss.
 */
export class SqliteStateStore implements StateStore {
  readonly #db: Database.Database;
  readonly #lookups = new Map<number, Database.Statement>();

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });

    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
  }

  async migrate(): Promise<void> {
    this.#db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');

    // The version is read inside an IMMEDIATE transaction, which holds the
    // write lock, so two processes opening one new file do not both migrate.
    const apply = this.#db.transaction(() => {
      const row = this.#db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
      const current = row.v ?? 0;

      for (let version = current + 1; version <= SQLITE_MIGRATIONS.length; version++) {
        this.#db.exec(SQLITE_MIGRATIONS[version - 1]);
        this.#db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version);
      }
    });
    apply.immediate();
  }

  async getCheckpoint(pipeline: string): Promise<Checkpoint | null> {
    const row = this.#db
      .prepare('SELECT position_json, child_cursors_json, updated_at FROM checkpoints WHERE pipeline = ?')
      .get(pipeline) as { position_json: string | null; child_cursors_json: string; updated_at: string } | undefined;
    if (!row) return null;

    return {
      pipeline,
      position: row.position_json ? JSON.parse(row.position_json) : null,
      childCursors: JSON.parse(row.child_cursors_json),
      updatedAt: row.updated_at,
    };
  }

  async saveCheckpoint(pipeline: string, update: CheckpointUpdate): Promise<void> {
    this.#writeCheckpoint(pipeline, update);
  }

  #writeCheckpoint(pipeline: string, update: CheckpointUpdate): void {
    this.#db
      .prepare(
        `INSERT INTO checkpoints (pipeline, position_json, child_cursors_json, updated_at)
         VALUES (@pipeline, @position, @children, @now)
         ON CONFLICT (pipeline) DO UPDATE SET position_json = excluded.position_json,
           child_cursors_json = excluded.child_cursors_json, updated_at = excluded.updated_at`,
      )
      .run({
        pipeline,
        position: update.position ? JSON.stringify(update.position) : null,
        children: JSON.stringify(update.childCursors),
        now: nowText(),
      });
  }

  async addToOutbox(batches: OutboxBatch[]): Promise<void> {
    this.#db.transaction(() => this.#insertBatches(batches))();
  }

  #insertBatches(batches: OutboxBatch[]): void {
    const insert = this.#db.prepare(
      `INSERT INTO outbox (message_id, pipeline, kind, app_type, payload_text, records_json, checkpoint_json, seq, status, attempts, created_at)
       VALUES (@messageId, @pipeline, @kind, @appType, @payloadText, @records, @checkpoint, @seq, 'pending', @attempts, @createdAt)`,
    );
    for (const batch of batches) {
      insert.run({
        messageId: batch.messageId,
        pipeline: batch.pipeline,
        kind: batch.kind,
        appType: batch.appType,
        payloadText: batch.payloadText,
        records: JSON.stringify(batch.records),
        checkpoint: batch.checkpoint ? JSON.stringify(batch.checkpoint) : null,
        seq: batch.seq,
        attempts: batch.attempts,
        createdAt: batch.createdAt,
      });
    }
  }

  async pendingBatches(pipeline: string): Promise<OutboxBatch[]> {
    const rows = this.#db
      .prepare(`SELECT * FROM outbox WHERE pipeline = ? AND status = 'pending' ORDER BY seq`)
      .all(pipeline) as OutboxRow[];
    return rows.map(toBatch);
  }

  async recordAttempt(messageId: string): Promise<void> {
    this.#db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE message_id = ?').run(messageId);
  }

  /** Deletes the batch and stores its halves in one transaction, so a crash leaves either the batch or its halves. */
  async splitBatch(messageId: string, halves: OutboxBatch[]): Promise<void> {
    const split = this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM outbox WHERE message_id = ?').run(messageId);
      this.#insertBatches(halves);
    });
    split();
  }

  async nextSeq(pipeline: string): Promise<number> {
    const row = this.#db.prepare('SELECT MAX(seq) AS s FROM outbox WHERE pipeline = ?').get(pipeline) as {
      s: number | null;
    };
    return (row.s ?? 0) + 1;
  }

  async commitBatch(input: CommitInput): Promise<void> {
    const upsertLedger = this.#db.prepare(
      `INSERT INTO ledger (kind, record_key, content_hash, message_id, acknowledged_at, pipeline, key_fields_json)
       VALUES (@kind, @key, @hash, @messageId, @now, @pipeline, @keyFields)
       ON CONFLICT (kind, record_key) DO UPDATE SET content_hash = excluded.content_hash,
         message_id = excluded.message_id, acknowledged_at = excluded.acknowledged_at,
         pipeline = excluded.pipeline, key_fields_json = excluded.key_fields_json`,
    );
    const deleteLedger = this.#db.prepare('DELETE FROM ledger WHERE kind = ? AND record_key = ?');
    const insertReceipt = this.#db.prepare(
      `INSERT OR REPLACE INTO receipts (message_id, status, code, message, receipt_id, received_at)
       VALUES (@messageId, @status, @code, @message, @receiptId, @now)`,
    );
    const markDone = this.#db.prepare(`UPDATE outbox SET status = 'done' WHERE message_id = ?`);
    const resolveLetters = this.#db.prepare(
      'UPDATE dead_letters SET resolved_at = ? WHERE pipeline = ? AND kind = ? AND record_key = ? AND resolved_at IS NULL',
    );

    const commit = this.#db.transaction(() => {
      const now = nowText();

      for (const record of input.accepted) {
        upsertLedger.run({
          kind: input.kind,
          key: record.key,
          hash: record.hash,
          messageId: input.messageId,
          now,
          pipeline: input.pipeline,
          keyFields: record.keyFields ? JSON.stringify(record.keyFields) : null,
        });
      }
      for (const key of input.deleted) deleteLedger.run(input.kind, key);

      // A record the platform has now accepted no longer needs attention.
      for (const key of [...input.accepted.map((r) => r.key), ...input.deleted]) {
        resolveLetters.run(now, input.pipeline, input.kind, key);
      }

      this.#insertDeadLetters(input.rejected);
      insertReceipt.run({ ...input.receipt, receiptId: input.receipt.receiptId ?? null, now });
      markDone.run(input.messageId);

      if (input.checkpoint) this.#writeCheckpoint(input.pipeline, input.checkpoint);
    });
    commit();
  }

  async ledgerHashes(kind: string, keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();

    // SQLite limits bound parameters per statement; 500 keys stay well below it.
    for (let start = 0; start < keys.length; start += LEDGER_CHUNK) {
      const chunk = keys.slice(start, start + LEDGER_CHUNK);
      // Raw rows (arrays) spare an object per key, which adds up over a million keys.
      const rows = this.#ledgerLookup(chunk.length).raw(true).all(kind, ...chunk) as Array<[string, string]>;
      for (const [key, hash] of rows) found.set(key, hash);
    }
    return found;
  }

  /** Prepared lookup for `size` keys; the full-size one is reused for every page. */
  #ledgerLookup(size: number): Database.Statement {
    let statement = this.#lookups.get(size);
    if (!statement) {
      const marks = Array.from({ length: size }, () => '?').join(',');
      statement = this.#db.prepare(`SELECT record_key, content_hash FROM ledger WHERE kind = ? AND record_key IN (${marks})`);
      if (this.#lookups.size > 32) this.#lookups.clear();
      this.#lookups.set(size, statement);
    }
    return statement;
  }

  async ledgerCount(kind: string): Promise<number> {
    const row = this.#db.prepare('SELECT COUNT(*) AS n FROM ledger WHERE kind = ?').get(kind) as { n: number };
    return row.n;
  }

  async addDeadLetters(letters: DeadLetterInput[]): Promise<void> {
    this.#db.transaction(() => this.#insertDeadLetters(letters))();
  }

  /**
   * Inserts dead letters, once per (pipeline, key, stage, reason, detail): a
   * row re-read after a crash must not fill the store with copies.
   */
  #insertDeadLetters(letters: DeadLetterInput[]): void {
    const insert = this.#db.prepare(
      `INSERT INTO dead_letters (pipeline, run_id, kind, record_key, stage, reason_code, detail_json, source_row_json, payload_json, message_id, created_at)
       VALUES (@pipeline, @runId, @kind, @recordKey, @stage, @reasonCode, @detail, @sourceRow, @payload, @messageId, @now)
       ON CONFLICT (pipeline, kind, record_key, stage, reason_code, detail_json) WHERE resolved_at IS NULL DO NOTHING`,
    );
    const now = nowText();

    for (const letter of letters) {
      insert.run({
        pipeline: letter.pipeline,
        runId: letter.runId,
        kind: letter.kind,
        recordKey: letter.recordKey,
        stage: letter.stage,
        reasonCode: letter.reasonCode,
        detail: JSON.stringify(letter.detail),
        sourceRow: letter.sourceRow === undefined ? null : JSON.stringify(letter.sourceRow),
        payload: letter.payload === undefined ? null : JSON.stringify(letter.payload),
        messageId: letter.messageId ?? null,
        now,
      });
    }
  }

  async listDeadLetters(filter: { pipeline?: string; unresolvedOnly?: boolean; limit?: number }): Promise<DeadLetter[]> {
    const where: string[] = [];
    const params: unknown[] = [];

    if (filter.pipeline) {
      where.push('pipeline = ?');
      params.push(filter.pipeline);
    }
    if (filter.unresolvedOnly) where.push('resolved_at IS NULL');

    const sql = `SELECT * FROM dead_letters ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...params, filter.limit ?? 100) as Array<Record<string, unknown>>;

    return rows.map((row) => ({
      id: row.id as number,
      pipeline: row.pipeline as string,
      runId: row.run_id as string,
      kind: row.kind as string,
      recordKey: row.record_key as string,
      stage: row.stage as DeadLetter['stage'],
      reasonCode: row.reason_code as string,
      detail: JSON.parse(row.detail_json as string),
      sourceRow: row.source_row_json ? JSON.parse(row.source_row_json as string) : undefined,
      payload: row.payload_json ? JSON.parse(row.payload_json as string) : undefined,
      messageId: (row.message_id as string | null) ?? undefined,
      createdAt: row.created_at as string,
      resolvedAt: (row.resolved_at as string | null) ?? null,
    }));
  }

  async resolveDeadLetters(ids: number[]): Promise<void> {
    const update = this.#db.prepare('UPDATE dead_letters SET resolved_at = ? WHERE id = ?');
    const now = nowText();
    this.#db.transaction(() => ids.forEach((id) => update.run(now, id)))();
  }

  async startRun(run: { runId: string; pipeline: string; mode: 'run' | 'backfill' }): Promise<void> {
    this.#db
      .prepare('INSERT INTO runs (run_id, pipeline, mode, started_at) VALUES (?, ?, ?, ?)')
      .run(run.runId, run.pipeline, run.mode, nowText());
  }

  async finishRun(runId: string, pipeline: string, outcome: string, counts: RunCounts, checkpoint: string | null): Promise<void> {
    this.#db
      .prepare('UPDATE runs SET finished_at = ?, outcome = ?, counts_json = ?, checkpoint = ? WHERE run_id = ? AND pipeline = ?')
      .run(nowText(), outcome, JSON.stringify(counts), checkpoint, runId, pipeline);
  }

  async recentRuns(pipeline: string | undefined, limit: number): Promise<RunRecord[]> {
    const rows = (
      pipeline
        ? this.#db.prepare('SELECT * FROM runs WHERE pipeline = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(pipeline, limit)
        : this.#db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit)
    ) as Array<Record<string, unknown>>;

    return rows.map((row) => ({
      runId: row.run_id as string,
      pipeline: row.pipeline as string,
      mode: row.mode as RunRecord['mode'],
      startedAt: row.started_at as string,
      finishedAt: (row.finished_at as string | null) ?? null,
      outcome: (row.outcome as string | null) ?? null,
      counts: row.counts_json ? JSON.parse(row.counts_json as string) : null,
      checkpoint: (row.checkpoint as string | null) ?? null,
    }));
  }

  async beginReconcile(pipeline: string): Promise<void> {
    this.#db.prepare('DELETE FROM reconcile_seen WHERE pipeline = ?').run(pipeline);
  }

  async markSeen(pipeline: string, keys: string[]): Promise<void> {
    const insert = this.#db.prepare('INSERT OR IGNORE INTO reconcile_seen (pipeline, record_key) VALUES (?, ?)');
    this.#db.transaction(() => keys.forEach((key) => insert.run(pipeline, key)))();
  }

  async unseenRecords(
    pipeline: string,
    kind: string,
    after: string | null,
    limit: number,
  ): Promise<Array<{ key: string; keyFields: Record<string, unknown> | null }>> {
    const rows = this.#db
      .prepare(
        `SELECT l.record_key, l.key_fields_json FROM ledger l
         WHERE l.pipeline = ? AND l.kind = ? AND (? IS NULL OR l.record_key > ?)
           AND NOT EXISTS (SELECT 1 FROM reconcile_seen s WHERE s.pipeline = l.pipeline AND s.record_key = l.record_key)
         ORDER BY l.record_key LIMIT ?`,
      )
      .all(pipeline, kind, after, after, limit) as Array<{ record_key: string; key_fields_json: string | null }>;

    return rows.map((row) => ({ key: row.record_key, keyFields: row.key_fields_json ? JSON.parse(row.key_fields_json) : null }));
  }

  async endReconcile(pipeline: string): Promise<void> {
    this.#db.prepare('DELETE FROM reconcile_seen WHERE pipeline = ?').run(pipeline);
  }

  async acquireLock(name: string, owner: string, ttlMs: number, isStale?: (holder: string) => boolean): Promise<boolean> {
    const now = Date.now();
    const take = this.#db.transaction(() => {
      const row = this.#db.prepare('SELECT owner, expires_at FROM locks WHERE name = ?').get(name) as
        | { owner: string; expires_at: number }
        | undefined;
      const held = row && row.owner !== owner && row.expires_at > now;
      if (held && !isStale?.(row.owner)) return false;

      this.#db
        .prepare(
          `INSERT INTO locks (name, owner, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at`,
        )
        .run(name, owner, now + ttlMs);
      return true;
    });
    return take.immediate();
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    this.#db.prepare('DELETE FROM locks WHERE name = ? AND owner = ?').run(name, owner);
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function toBatch(row: OutboxRow): OutboxBatch {
  return {
    messageId: row.message_id,
    pipeline: row.pipeline,
    kind: row.kind,
    appType: row.app_type,
    payloadText: row.payload_text,
    records: JSON.parse(row.records_json),
    checkpoint: row.checkpoint_json ? JSON.parse(row.checkpoint_json) : null,
    seq: row.seq,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
  };
}

function nowText(): string {
  return new Date().toISOString();
}
