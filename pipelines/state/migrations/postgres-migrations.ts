/**
 * Schema of the PostgreSQL state store, one entry per version. Each entry
 * takes the quoted schema name, because the tables live in a configurable
 * schema. Append new versions; never edit one that has shipped, because
 * stores already applied it.
 *
 * JSON is kept as `text`, not `jsonb`: jsonb reorders keys and the driver
 * parses it into JS numbers, so checkpoint keys past 2^53 would lose digits.
 */
export const POSTGRES_MIGRATIONS: Array<(schema: string) => string> = [
  (schema) => `
  CREATE TABLE ${schema}.checkpoints (
    pipeline text PRIMARY KEY,
    position_json text,
    child_cursors_json text NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL
  );

  CREATE TABLE ${schema}.outbox (
    message_id text PRIMARY KEY,
    pipeline text NOT NULL,
    kind text NOT NULL,
    app_type text NOT NULL,
    payload_text text NOT NULL,
    records_json text NOT NULL,
    checkpoint_json text,
    seq integer NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'done')),
    attempts integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX outbox_pending ON ${schema}.outbox (pipeline, status, seq);

  CREATE TABLE ${schema}.ledger (
    kind text NOT NULL,
    record_key text NOT NULL,
    content_hash text NOT NULL,
    message_id text NOT NULL,
    acknowledged_at timestamptz NOT NULL,
    PRIMARY KEY (kind, record_key)
  );

  CREATE TABLE ${schema}.receipts (
    message_id text PRIMARY KEY,
    status text NOT NULL,
    code text NOT NULL,
    message text NOT NULL,
    receipt_id text,
    received_at timestamptz NOT NULL
  );

  CREATE TABLE ${schema}.dead_letters (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pipeline text NOT NULL,
    run_id text NOT NULL,
    kind text NOT NULL,
    record_key text NOT NULL,
    stage text NOT NULL,
    reason_code text NOT NULL,
    detail_json text NOT NULL,
    source_row_json text,
    payload_json text,
    message_id text,
    created_at timestamptz NOT NULL,
    resolved_at timestamptz
  );
  -- md5 of the detail, not the detail itself: a B-tree entry is limited to
  -- about 2.7 kB, and a detail that quotes a long field value can exceed it.
  CREATE UNIQUE INDEX dead_letters_open
    ON ${schema}.dead_letters (pipeline, kind, record_key, stage, reason_code, md5(detail_json))
    WHERE resolved_at IS NULL;

  CREATE TABLE ${schema}.runs (
    id bigint GENERATED ALWAYS AS IDENTITY,
    run_id text NOT NULL,
    pipeline text NOT NULL,
    mode text NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    outcome text,
    counts_json text,
    checkpoint text,
    PRIMARY KEY (run_id, pipeline)
  );

  CREATE TABLE ${schema}.locks (
    name text PRIMARY KEY,
    owner text NOT NULL,
    expires_at timestamptz NOT NULL
  );
  `,
  (schema) => `
  -- Which pipeline last acknowledged a record, and the values of its key
  -- fields, so that key reconciliation can send a deletion for a record
  -- whose source row is gone.
  ALTER TABLE ${schema}.ledger ADD COLUMN pipeline text;
  ALTER TABLE ${schema}.ledger ADD COLUMN key_fields_json text;
  CREATE INDEX ledger_pipeline ON ${schema}.ledger (pipeline, kind, record_key);

  CREATE TABLE ${schema}.reconcile_seen (
    pipeline text NOT NULL,
    record_key text NOT NULL,
    PRIMARY KEY (pipeline, record_key)
  );
  `,
];
