/**
 * Schema of the SQLite state store, one entry per version. Append new
 * versions; never edit one that has shipped, because stores already applied it.
 */
export const SQLITE_MIGRATIONS: string[] = [
  `
  CREATE TABLE checkpoints (
    pipeline TEXT PRIMARY KEY,
    position_json TEXT,
    child_cursors_json TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
  );

  CREATE TABLE outbox (
    message_id TEXT PRIMARY KEY,
    pipeline TEXT NOT NULL,
    kind TEXT NOT NULL,
    app_type TEXT NOT NULL,
    payload_text TEXT NOT NULL,
    records_json TEXT NOT NULL,
    checkpoint_json TEXT,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE INDEX outbox_pending ON outbox (pipeline, status, seq);

  CREATE TABLE ledger (
    kind TEXT NOT NULL,
    record_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    message_id TEXT NOT NULL,
    acknowledged_at TEXT NOT NULL,
    PRIMARY KEY (kind, record_key)
  );

  CREATE TABLE receipts (
    message_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    receipt_id TEXT,
    received_at TEXT NOT NULL
  );

  CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline TEXT NOT NULL,
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_key TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    source_row_json TEXT,
    payload_json TEXT,
    message_id TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT
  );
  CREATE UNIQUE INDEX dead_letters_open
    ON dead_letters (pipeline, kind, record_key, stage, reason_code, detail_json)
    WHERE resolved_at IS NULL;

  CREATE TABLE runs (
    run_id TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    mode TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT,
    counts_json TEXT,
    checkpoint TEXT,
    PRIMARY KEY (run_id, pipeline)
  );

  CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  `
  -- Which pipeline last acknowledged a record, and the values of its key
  -- fields, so that key reconciliation can send a deletion for a record
  -- whose source row is gone.
  ALTER TABLE ledger ADD COLUMN pipeline TEXT;
  ALTER TABLE ledger ADD COLUMN key_fields_json TEXT;
  CREATE INDEX ledger_pipeline ON ledger (pipeline, kind, record_key);

  CREATE TABLE reconcile_seen (
    pipeline TEXT NOT NULL,
    record_key TEXT NOT NULL,
    PRIMARY KEY (pipeline, record_key)
  );
  `,
];
