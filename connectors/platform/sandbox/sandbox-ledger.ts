import Database from 'better-sqlite3';

/**
 * The sandbox's own record of what the platform side received, in SQLite
 * (in memory unless a file is given). Tests and the demo read it to check
 * what was stored, for example that a resent message did not store a record
 * twice. It is unrelated to owh-sync's state store.
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  sender_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  interface_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  received_at TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  receipt_id TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  records_total INTEGER NOT NULL,
  records_accepted INTEGER NOT NULL,
  records_rejected INTEGER NOT NULL,
  answer_json TEXT,
  final_at TEXT NOT NULL,
  duplicates_seen INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (sender_id, message_id)
);
CREATE TABLE IF NOT EXISTS accepted_records (
  sender_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_key TEXT NOT NULL,
  warehouse_code TEXT,
  app_type TEXT NOT NULL,
  op TEXT NOT NULL,
  body_json TEXT NOT NULL,
  message_id TEXT NOT NULL,
  accepted_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  message_ids_json TEXT NOT NULL,
  PRIMARY KEY (sender_id, kind, record_key)
);
CREATE TABLE IF NOT EXISTS rejected_records (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sender_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_index INTEGER NOT NULL,
  record_key TEXT,
  field TEXT,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  rejected_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rejected_by_message ON rejected_records (sender_id, message_id);
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  message_id TEXT,
  sender_id TEXT,
  interface_id TEXT
);
`;

/** A message the sandbox processed (accepted in whole or in part, or with every record rejected). */
export interface StoredMessage {
  senderId: string;
  messageId: string;
  interfaceId: string;
  kind: string;
  receivedAt: string;
  contentHash: string;
  receiptId: string;
  httpStatus: number;
  outcome: string;
  recordsTotal: number;
  recordsAccepted: number;
  recordsRejected: number;
  /** Response body sent the first time; undefined when a store-then-fail fault discarded it. */
  answer?: unknown;
  /** When poll-mode receipts for this message become final. */
  finalAt: string;
  duplicatesSeen: number;
}

export interface AcceptedRecordInput {
  kind: string;
  key: string;
  warehouseCode?: string;
  appType: string;
  op: 'upsert' | 'delete';
  body: unknown;
}

export interface RejectedRecordInput {
  kind: string;
  index: number;
  key?: string;
  field?: string;
  code: string;
  message: string;
}

/** An accepted record in its latest version, with the messages that carried each version. */
export interface AcceptedRecord {
  senderId: string;
  kind: string;
  key: string;
  warehouseCode?: string;
  appType: string;
  op: 'upsert' | 'delete';
  body: unknown;
  messageId: string;
  acceptedAt: string;
  /** 1 for the first accepted version, +1 for each later message that changed or deleted it. */
  version: number;
  messageIds: string[];
}

export interface RejectedRecord extends RejectedRecordInput {
  senderId: string;
  messageId: string;
  rejectedAt: string;
}

export interface SandboxStats {
  /** Live (not deleted) accepted records per kind. */
  acceptedByKind: Record<string, number>;
  /** Live accepted records per warehouse code, then per kind. */
  acceptedByWarehouse: Record<string, Record<string, number>>;
  /** Repeated messageIds, answered with the stored response or with DUPLICATE_MESSAGE. */
  duplicatesSeen: number;
  requestsByOutcome: Record<string, number>;
  messages: number;
  rejectedRecords: number;
}

export interface RecordQuery {
  kind?: string;
  key?: string;
  senderId?: string;
  warehouseCode?: string;
}

interface MessageRow {
  sender_id: string;
  message_id: string;
  interface_id: string;
  kind: string;
  received_at: string;
  content_hash: string;
  receipt_id: string;
  http_status: number;
  outcome: string;
  records_total: number;
  records_accepted: number;
  records_rejected: number;
  answer_json: string | null;
  final_at: string;
  duplicates_seen: number;
}

interface RecordRow {
  sender_id: string;
  kind: string;
  record_key: string;
  warehouse_code: string | null;
  app_type: string;
  op: 'upsert' | 'delete';
  body_json: string;
  message_id: string;
  accepted_at: string;
  version: number;
  message_ids_json: string;
}

interface RejectedRow {
  sender_id: string;
  message_id: string;
  kind: string;
  record_index: number;
  record_key: string | null;
  field: string | null;
  code: string;
  message: string;
  rejected_at: string;
}

export type NewMessage = Omit<StoredMessage, 'duplicatesSeen'>;

/** Duplicates are counted from the request log, so this outcome name is shared with the server. */
export const DUPLICATE_OUTCOMES = ['duplicate', 'duplicate_unanswered', 'duplicate_conflict'];

export class SandboxLedger {
  private readonly db: Database.Database;

  constructor(dbPath = ':memory:') {
    this.db = new Database(dbPath);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  findMessage(senderId: string, messageId: string): StoredMessage | undefined {
    const row = this.db
      .prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE sender_id = ? AND message_id = ?')
      .get(senderId, messageId);
    return row ? toMessage(row) : undefined;
  }

  /** Messages with this id from any sender, oldest first. */
  findMessagesById(messageId: string): StoredMessage[] {
    return this.db
      .prepare<[string], MessageRow>('SELECT * FROM messages WHERE message_id = ? ORDER BY received_at, sender_id')
      .all(messageId)
      .map(toMessage);
  }

  recentMessages(limit: number): StoredMessage[] {
    return this.db
      .prepare<[number], MessageRow>('SELECT * FROM messages ORDER BY received_at DESC, rowid DESC LIMIT ?')
      .all(limit)
      .map(toMessage);
  }

  /**
   * Stores a processed message with its accepted and rejected records in one
   * transaction, so a message is either fully recorded or not at all.
   * Accepted records upsert by (sender, kind, key): a later message raises
   * the version and appends its messageId to the history.
   */
  storeMessage(message: NewMessage, accepted: AcceptedRecordInput[], rejected: RejectedRecordInput[]): void {
    const insertMessage = this.db.prepare(
      `INSERT INTO messages (sender_id, message_id, interface_id, kind, received_at, content_hash, receipt_id,
         http_status, outcome, records_total, records_accepted, records_rejected, answer_json, final_at)
       VALUES (@senderId, @messageId, @interfaceId, @kind, @receivedAt, @contentHash, @receiptId,
         @httpStatus, @outcome, @recordsTotal, @recordsAccepted, @recordsRejected, @answerJson, @finalAt)`,
    );
    const upsertRecord = this.db.prepare(
      `INSERT INTO accepted_records (sender_id, kind, record_key, warehouse_code, app_type, op, body_json,
         message_id, accepted_at, version, message_ids_json)
       VALUES (@senderId, @kind, @key, @warehouseCode, @appType, @op, @bodyJson, @messageId, @acceptedAt, 1,
         json_array(@messageId))
       ON CONFLICT (sender_id, kind, record_key) DO UPDATE SET
         warehouse_code = COALESCE(excluded.warehouse_code, warehouse_code),
         app_type = excluded.app_type,
         op = excluded.op,
         body_json = excluded.body_json,
         message_id = excluded.message_id,
         accepted_at = excluded.accepted_at,
         version = version + 1,
         message_ids_json = json_insert(message_ids_json, '$[#]', excluded.message_id)`,
    );
    const insertRejected = this.db.prepare(
      `INSERT INTO rejected_records (sender_id, message_id, kind, record_index, record_key, field, code, message, rejected_at)
       VALUES (@senderId, @messageId, @kind, @index, @key, @field, @code, @message, @rejectedAt)`,
    );

    const store = this.db.transaction(() => {
      insertMessage.run({
        ...message,
        answerJson: message.answer === undefined ? null : JSON.stringify(message.answer),
      });
      for (const record of accepted) {
        upsertRecord.run({
          senderId: message.senderId,
          kind: record.kind,
          key: record.key,
          warehouseCode: record.warehouseCode ?? null,
          appType: record.appType,
          op: record.op,
          bodyJson: JSON.stringify(record.body),
          messageId: message.messageId,
          acceptedAt: message.receivedAt,
        });
      }
      for (const record of rejected) {
        insertRejected.run({
          senderId: message.senderId,
          messageId: message.messageId,
          kind: record.kind,
          index: record.index,
          key: record.key ?? null,
          field: record.field ?? null,
          code: record.code,
          message: record.message,
          rejectedAt: message.receivedAt,
        });
      }
    });
    store();
  }

  countDuplicate(senderId: string, messageId: string): void {
    this.db
      .prepare('UPDATE messages SET duplicates_seen = duplicates_seen + 1 WHERE sender_id = ? AND message_id = ?')
      .run(senderId, messageId);
  }

  logRequest(entry: { outcome: string; httpStatus: number; messageId?: string; senderId?: string; interfaceId?: string }): void {
    this.db
      .prepare(
        'INSERT INTO requests (at, outcome, http_status, message_id, sender_id, interface_id) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        new Date().toISOString(),
        entry.outcome,
        entry.httpStatus,
        entry.messageId ?? null,
        entry.senderId ?? null,
        entry.interfaceId ?? null,
      );
  }

  listRecords(query: RecordQuery = {}): AcceptedRecord[] {
    const where: string[] = [];
    const params: string[] = [];
    const filters: Array<[keyof RecordQuery, string]> = [
      ['kind', 'kind'],
      ['key', 'record_key'],
      ['senderId', 'sender_id'],
      ['warehouseCode', 'warehouse_code'],
    ];
    for (const [name, column] of filters) {
      const value = query[name];
      if (value !== undefined && value !== '') {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }

    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.db
      .prepare<string[], RecordRow>(`SELECT * FROM accepted_records ${clause} ORDER BY kind, record_key, sender_id`)
      .all(...params)
      .map(toRecord);
  }

  listRejected(senderId: string, messageId: string): RejectedRecord[] {
    return this.db
      .prepare<[string, string], RejectedRow>(
        'SELECT * FROM rejected_records WHERE sender_id = ? AND message_id = ? ORDER BY record_index, id',
      )
      .all(senderId, messageId)
      .map((row) => ({
        senderId: row.sender_id,
        messageId: row.message_id,
        kind: row.kind,
        index: row.record_index,
        key: row.record_key ?? undefined,
        field: row.field ?? undefined,
        code: row.code,
        message: row.message,
        rejectedAt: row.rejected_at,
      }));
  }

  stats(): SandboxStats {
    const acceptedByKind: Record<string, number> = {};
    const kindRows = this.db
      .prepare<[], { kind: string; n: number }>(
        "SELECT kind, COUNT(*) AS n FROM accepted_records WHERE op <> 'delete' GROUP BY kind",
      )
      .all();
    for (const row of kindRows) acceptedByKind[row.kind] = row.n;

    const acceptedByWarehouse: Record<string, Record<string, number>> = {};
    const warehouseRows = this.db
      .prepare<[], { warehouse_code: string; kind: string; n: number }>(
        `SELECT warehouse_code, kind, COUNT(*) AS n FROM accepted_records
         WHERE op <> 'delete' AND warehouse_code IS NOT NULL GROUP BY warehouse_code, kind`,
      )
      .all();
    for (const row of warehouseRows) {
      acceptedByWarehouse[row.warehouse_code] ??= {};
      acceptedByWarehouse[row.warehouse_code][row.kind] = row.n;
    }

    const requestsByOutcome: Record<string, number> = {};
    const outcomeRows = this.db
      .prepare<[], { outcome: string; n: number }>('SELECT outcome, COUNT(*) AS n FROM requests GROUP BY outcome')
      .all();
    for (const row of outcomeRows) requestsByOutcome[row.outcome] = row.n;

    const duplicatesSeen = DUPLICATE_OUTCOMES.reduce((sum, outcome) => sum + (requestsByOutcome[outcome] ?? 0), 0);
    const messages = this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM messages').get()?.n ?? 0;
    const rejectedRecords = this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM rejected_records').get()?.n ?? 0;

    return { acceptedByKind, acceptedByWarehouse, duplicatesSeen, requestsByOutcome, messages, rejectedRecords };
  }

  /** Live accepted records per sender and kind, for kinds without a warehouse code (goods). */
  countsBySender(): Array<{ senderId: string; kind: string; count: number }> {
    return this.db
      .prepare<[], { sender_id: string; kind: string; n: number }>(
        "SELECT sender_id, kind, COUNT(*) AS n FROM accepted_records WHERE op <> 'delete' GROUP BY sender_id, kind",
      )
      .all()
      .map((row) => ({ senderId: row.sender_id, kind: row.kind, count: row.n }));
  }
}

function toMessage(row: MessageRow): StoredMessage {
  return {
    senderId: row.sender_id,
    messageId: row.message_id,
    interfaceId: row.interface_id,
    kind: row.kind,
    receivedAt: row.received_at,
    contentHash: row.content_hash,
    receiptId: row.receipt_id,
    httpStatus: row.http_status,
    outcome: row.outcome,
    recordsTotal: row.records_total,
    recordsAccepted: row.records_accepted,
    recordsRejected: row.records_rejected,
    answer: row.answer_json === null ? undefined : JSON.parse(row.answer_json),
    finalAt: row.final_at,
    duplicatesSeen: row.duplicates_seen,
  };
}

function toRecord(row: RecordRow): AcceptedRecord {
  return {
    senderId: row.sender_id,
    kind: row.kind,
    key: row.record_key,
    warehouseCode: row.warehouse_code ?? undefined,
    appType: row.app_type,
    op: row.op,
    body: JSON.parse(row.body_json),
    messageId: row.message_id,
    acceptedAt: row.accepted_at,
    version: row.version,
    messageIds: JSON.parse(row.message_ids_json) as string[],
  };
}
