import type { Position } from '../../connectors/sources/source-types.js';

/**
 * Durable state of every pipeline, behind one interface with two back ends:
 * the embedded SQLite store and a PostgreSQL store that several workers can
 * share. Methods are async for PostgreSQL, even where SQLite returns at once.
 */

/** How far a pipeline has read, acknowledged by the platform. */
export interface Checkpoint {
  pipeline: string;
  /** Last parent position covered by acknowledged batches (exclusive start of the next run). */
  position: Position | null;
  /** Per child relation, the child cursor value covered (child change sources). */
  childCursors: Record<string, string>;
  updatedAt: string;
}

/** The checkpoint a batch moves to once the platform acknowledged it. */
export interface CheckpointUpdate {
  position: Position | null;
  childCursors: Record<string, string>;
}

export interface OutboxRecord {
  key: string;
  hash: string;
  op: 'upsert' | 'delete';
  /** Values of the profile's record key fields, kept so a later deletion can name the record. */
  keyFields?: Record<string, unknown>;
}

/** A sealed batch: written before the first send and reused for every resend. */
export interface OutboxBatch {
  messageId: string;
  pipeline: string;
  kind: string;
  appType: string;
  /** The business payload text exactly as it goes into the envelope's `data`. */
  payloadText: string;
  records: OutboxRecord[];
  /** Checkpoint this batch moves to once acknowledged; null for all but the last batch of a group. */
  checkpoint: CheckpointUpdate | null;
  /** Order of sealing within the pipeline; resends go in this order. */
  seq: number;
  status: 'pending' | 'done';
  attempts: number;
  createdAt: string;
}

export interface DeadLetterInput {
  pipeline: string;
  runId: string;
  kind: string;
  recordKey: string;
  /** Stage at which the record stopped: mapping, validation or the platform's response. */
  stage: 'map' | 'validate' | 'platform';
  reasonCode: string;
  /** Problems with field path, value and bilingual reason. */
  detail: unknown;
  sourceRow?: unknown;
  payload?: unknown;
  messageId?: string;
}

export interface DeadLetter extends DeadLetterInput {
  id: number;
  createdAt: string;
  resolvedAt: string | null;
}

export interface ReceiptInput {
  messageId: string;
  status: 'accepted' | 'partial' | 'rejected' | 'duplicate';
  code: string;
  message: string;
  receiptId?: string;
}

export interface RunCounts {
  read: number;
  built: number;
  unchanged: number;
  sent: number;
  accepted: number;
  rejected: number;
  deadLettered: number;
  deleted: number;
}

export interface RunRecord {
  runId: string;
  pipeline: string;
  mode: 'run' | 'backfill';
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  counts: RunCounts | null;
  checkpoint: string | null;
}

export interface CommitInput {
  messageId: string;
  pipeline: string;
  kind: string;
  accepted: Array<{ key: string; hash: string; keyFields?: Record<string, unknown> }>;
  /** Keys acknowledged as deleted; their ledger rows are removed. */
  deleted: string[];
  rejected: DeadLetterInput[];
  receipt: ReceiptInput;
  checkpoint: CheckpointUpdate | null;
}

export interface StateStore {
  /** Creates or upgrades the tables. */
  migrate(): Promise<void>;

  getCheckpoint(pipeline: string): Promise<Checkpoint | null>;
  /** Moves a checkpoint with no batch behind it (every record of a range was unchanged). */
  saveCheckpoint(pipeline: string, update: CheckpointUpdate): Promise<void>;

  /**
   * Stores a group of sealed batches in one transaction, before any is sent,
   * with the attempt count they carry (1 when sent right away).
   */
  addToOutbox(batches: OutboxBatch[]): Promise<void>;
  pendingBatches(pipeline: string): Promise<OutboxBatch[]>;
  /** Next free sealing order number for the pipeline. */
  nextSeq(pipeline: string): Promise<number>;
  recordAttempt(messageId: string): Promise<void>;
  /** Replaces a batch the platform found too large with its halves. */
  splitBatch(messageId: string, halves: OutboxBatch[]): Promise<void>;

  /** Ledger, dead letters, receipt, outbox status and checkpoint in one transaction, after the ack. */
  commitBatch(input: CommitInput): Promise<void>;

  /** Last acknowledged content hash per key. */
  ledgerHashes(kind: string, keys: string[]): Promise<Map<string, string>>;
  ledgerCount(kind: string): Promise<number>;

  addDeadLetters(letters: DeadLetterInput[]): Promise<void>;
  listDeadLetters(filter: { pipeline?: string; unresolvedOnly?: boolean; limit?: number }): Promise<DeadLetter[]>;
  resolveDeadLetters(ids: number[]): Promise<void>;

  startRun(run: { runId: string; pipeline: string; mode: 'run' | 'backfill' }): Promise<void>;
  finishRun(runId: string, pipeline: string, outcome: string, counts: RunCounts, checkpoint: string | null): Promise<void>;
  recentRuns(pipeline: string | undefined, limit: number): Promise<RunRecord[]>;

  /** Starts a key reconciliation of a pipeline, forgetting keys an earlier one marked. */
  beginReconcile(pipeline: string): Promise<void>;
  /** Marks record keys as present in the source. */
  markSeen(pipeline: string, keys: string[]): Promise<void>;
  /**
   * Returns records this pipeline got acknowledged that the reconciliation
   * has not seen, in key order after `after`, at most `limit`.
   */
  unseenRecords(
    pipeline: string,
    kind: string,
    after: string | null,
    limit: number,
  ): Promise<Array<{ key: string; keyFields: Record<string, unknown> | null }>>;
  /** Ends a reconciliation and drops its marks. */
  endReconcile(pipeline: string): Promise<void>;

  /**
   * Takes a named lock for `ttlMs`; false when another owner holds it and
   * has not expired. `isStale` may declare a holder dead before its expiry
   * (a process on this host that no longer exists).
   */
  acquireLock(name: string, owner: string, ttlMs: number, isStale?: (holder: string) => boolean): Promise<boolean>;
  releaseLock(name: string, owner: string): Promise<void>;

  close(): Promise<void>;
}

export function emptyCounts(): RunCounts {
  return { read: 0, built: 0, unchanged: 0, sent: 0, accepted: 0, rejected: 0, deadLettered: 0, deleted: 0 };
}
