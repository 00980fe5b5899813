import { randomUUID } from 'node:crypto';

import { contentHash } from '../canonical-json.js';
import type { Profile } from '../profile-schema.js';
import { type CheckContext, type CheckedMessage, type MessageRejection, checkMessage, reject } from './message-checks.js';
import { type RecordErrorEntry, buildAnswer } from './sandbox-answers.js';
import type { AcceptedRecordInput, RejectedRecordInput, SandboxLedger } from './sandbox-ledger.js';
import type { ForcedRejection } from './fault-injector.js';
import type { FieldProblem } from '../../../pipelines/record-types.js';

/**
 * Processes one message submission once no injected fault has stopped it:
 * message-level checks, duplicate detection by (senderId, messageId),
 * per-record validation, and storing the accepted records with the response.
 */

export interface RecordValidator {
  validateRecord(kind: string, body: unknown): FieldProblem[];
  validateHeader(header: unknown): FieldProblem[];
}

export interface HandlerContext extends CheckContext {
  ledger: SandboxLedger;
  validator: RecordValidator;
  rejectionFor: (recordKey: string) => ForcedRejection | undefined;
  /** Delay before poll-mode receipts become final. */
  receiptDelayMs: number;
}

export interface SubmissionResult {
  httpStatus: number;
  body: unknown;
  outcome: string;
  senderId?: string;
  messageId?: string;
  interfaceId?: string;
  kind?: string;
  recordsAccepted?: number;
  recordsRejected?: number;
}

/**
 * Joins the values of a kind's recordKey fields into the record key text.
 * NOTE: the separator is this sandbox's choice; the platform's own rule for
 * composite keys (inventory, stats) is unknown.
 */
export const RECORD_KEY_SEPARATOR = '|';

export function recordKeyOf(profile: Profile, kind: string, body: unknown): string {
  const spec = profile.kinds[kind];
  if (!spec || body === null || typeof body !== 'object') return '';

  const record = body as Record<string, unknown>;
  return spec.recordKey.map((field) => (record[field] === undefined || record[field] === null ? '' : String(record[field]))).join(RECORD_KEY_SEPARATOR);
}

/** Returns the field of a kind's records that contains the warehouse code, if the kind has one. */
export function warehouseFieldOf(profile: Profile, kind: string): string | undefined {
  const field = profile.kinds.warehouse?.recordKey[0];
  if (!field) return undefined;
  return profile.kinds[kind]?.fields[field] !== undefined ? field : undefined;
}

/** Message text of a response in both languages, Chinese first, as the platform would send it. */
function answerText(text: { zh: string; en: string }): string {
  return `${text.zh} / ${text.en}`;
}

function rejectionResult(profile: Profile, rejection: MessageRejection): SubmissionResult {
  const body = buildAnswer(profile, {
    errorClass: rejection.errorClass,
    message: answerText(rejection.text),
    messageId: rejection.messageId || undefined,
    recordErrors: rejection.recordErrors,
  });
  return {
    httpStatus: rejection.httpStatus,
    body,
    outcome: rejection.outcome,
    senderId: rejection.senderId || undefined,
    messageId: rejection.messageId || undefined,
    interfaceId: rejection.interfaceId,
  };
}

export interface SubmissionInput {
  bodyText: string;
  pathInterfaceId?: string;
  /** Set by a store-then-fail fault whose response is lost: the records are stored, the response is not. */
  forgetAnswer?: boolean;
}

/** Handles one submission, stores what the platform would store and returns the response to send. */
export function handleSubmission(context: HandlerContext, input: SubmissionInput): SubmissionResult {
  const { profile } = context;

  const checked = checkMessage(context, input.bodyText, input.pathInterfaceId);
  if ('errorClass' in checked) return rejectionResult(profile, checked);

  const ids = { senderId: checked.senderId, messageId: checked.messageId, interfaceId: checked.interfaceId, kind: checked.kind };
  // The canonical hash lets a resend with other key order or whitespace count as the same content.
  const hash = contentHash(checked.payload);

  const duplicate = answerDuplicate(context, checked, hash);
  if (duplicate) return { ...duplicate, ...ids };

  const prepared = prepareRecords(context, checked);
  if ('errorClass' in prepared) return { ...rejectionResult(profile, { ...prepared, ...ids }), kind: checked.kind };

  const receiptId = randomUUID().toUpperCase();
  const accepted = prepared.accepted.length;
  const rejected = new Set(prepared.errors.map((error) => error.index)).size;
  let outcome = 'partial';
  if (rejected === 0) outcome = 'accepted';
  else if (accepted === 0) outcome = 'records_rejected';
  const pollMode = profile.receipts.mode === 'poll';

  const body = buildAnswer(profile, {
    message: answerText(summaryText(accepted, rejected, pollMode)),
    messageId: checked.messageId,
    receiptId,
    recordErrors: pollMode ? undefined : prepared.errors,
  });

  context.ledger.storeMessage(
    {
      senderId: checked.senderId,
      messageId: checked.messageId,
      interfaceId: checked.interfaceId,
      kind: checked.kind,
      receivedAt: context.now.toISOString(),
      contentHash: hash,
      receiptId,
      httpStatus: 200,
      outcome,
      recordsTotal: accepted + rejected,
      recordsAccepted: accepted,
      recordsRejected: rejected,
      answer: input.forgetAnswer ? undefined : body,
      finalAt: new Date(context.now.getTime() + (pollMode ? context.receiptDelayMs : 0)).toISOString(),
    },
    prepared.accepted,
    prepared.rejected,
  );

  return { httpStatus: 200, body, outcome, ...ids, recordsAccepted: accepted, recordsRejected: rejected };
}

function summaryText(accepted: number, rejected: number, pollMode: boolean): { zh: string; en: string } {
  if (pollMode) return { zh: '报文已接收，处理结果请查询回执', en: 'message received; query the receipt for the results' };
  if (rejected === 0) return { zh: `接收成功，共 ${accepted} 条记录`, en: `accepted, ${accepted} records` };
  return {
    zh: `已处理：${accepted} 条记录接收，${rejected} 条记录被拒绝`,
    en: `processed: ${accepted} records accepted, ${rejected} records rejected`,
  };
}

/**
 * Responds to a repeated (senderId, messageId). The stored response is sent
 * again when it was kept and the payload is the same, so a client that lost
 * the first response gets it now and nothing is stored twice. DUPLICATE_MESSAGE
 * (409) is sent when the first response was not kept (a store-then-fail fault
 * with `answer=lost`) or when the same messageId arrives with other content.
 */
function answerDuplicate(context: HandlerContext, checked: CheckedMessage, hash: string): SubmissionResult | undefined {
  const stored = context.ledger.findMessage(checked.senderId, checked.messageId);
  if (!stored) return undefined;

  context.ledger.countDuplicate(checked.senderId, checked.messageId);
  const ids = { messageId: checked.messageId, senderId: checked.senderId, interfaceId: checked.interfaceId };

  if (stored.contentHash !== hash) {
    return rejectionResult(
      context.profile,
      reject('DUPLICATE_MESSAGE', 'duplicate_conflict', {
        zh: `报文编号 ${checked.messageId} 已用于内容不同的报文，请为新内容生成新的报文编号`,
        en: `messageId ${checked.messageId} was already used for a message with other content; use a new messageId for new content`,
      }, ids),
    );
  }
  if (stored.answer === undefined) {
    return rejectionResult(
      context.profile,
      reject('DUPLICATE_MESSAGE', 'duplicate_unanswered', {
        zh: `报文编号 ${checked.messageId} 已于 ${stored.receivedAt} 接收处理，不再重复处理`,
        en: `messageId ${checked.messageId} was already received and processed at ${stored.receivedAt}; it is not processed again`,
      }, ids),
    );
  }
  return { httpStatus: stored.httpStatus, body: stored.answer, outcome: 'duplicate' };
}

interface PreparedRecords {
  accepted: AcceptedRecordInput[];
  rejected: RejectedRecordInput[];
  errors: RecordErrorEntry[];
}

/**
 * Validates the header and every record. Header problems, a missing or
 * oversized record list and an unknown appType reject the whole message;
 * record problems reject only that record.
 */
function prepareRecords(context: HandlerContext, checked: CheckedMessage): PreparedRecords | MessageRejection {
  const { profile } = context;
  const names = profile.payload.fieldNames;

  if (checked.payload === null || typeof checked.payload !== 'object' || Array.isArray(checked.payload)) {
    return reject('VALIDATION', 'malformed', { zh: '业务数据必须是 JSON 对象', en: 'the business data must be a JSON object' });
  }
  const payload = checked.payload as Record<string, unknown>;
  const records = payload[names.records];

  if (!Array.isArray(records) || records.length === 0) {
    return reject('VALIDATION', 'malformed', {
      zh: `业务数据缺少记录列表 ${names.records}，或列表为空`,
      en: `the business data has no record list ${names.records}, or the list is empty`,
    });
  }
  if (records.length > profile.limits.maxRecords) {
    return reject('VALIDATION', 'too_many_records', {
      zh: `记录数 ${records.length} 超过每个报文最多 ${profile.limits.maxRecords} 条的限制，请拆分后发送`,
      en: `${records.length} records exceed the limit of ${profile.limits.maxRecords} per message; split the batch`,
    });
  }

  const headerProblems = context.validator.validateHeader(payload);
  if (headerProblems.length > 0) {
    return {
      ...reject('VALIDATION', 'header_invalid', { zh: '报文头字段校验失败', en: 'header fields are invalid' }),
      recordErrors: headerProblems.map((problem) => problemEntry(problem)),
    };
  }

  const appType = String(payload[names.appType] ?? '');
  const op = operationOf(profile, appType);
  if (!op) {
    const allowed = Object.values(profile.payload.appType).join(', ');
    return reject('VALIDATION', 'header_invalid', {
      zh: `操作类型 ${names.appType}="${appType}" 无效，可用：${allowed}`,
      en: `operation type ${names.appType}="${appType}" is invalid, allowed: ${allowed}`,
    });
  }

  return validateRecords(context, checked, records, appType, op);
}

function operationOf(profile: Profile, appType: string): 'upsert' | 'delete' | undefined {
  const codes = profile.payload.appType;
  if (appType === codes.delete) return 'delete';
  if (appType === codes.add || appType === codes.change) return 'upsert';
  return undefined;
}

function validateRecords(
  context: HandlerContext,
  checked: CheckedMessage,
  records: unknown[],
  appType: string,
  op: 'upsert' | 'delete',
): PreparedRecords {
  const { profile } = context;
  const warehouseField = warehouseFieldOf(profile, checked.kind);
  const prepared: PreparedRecords = { accepted: [], rejected: [], errors: [] };
  const seenKeys = new Set<string>();

  records.forEach((record, index) => {
    const key = recordKeyOf(profile, checked.kind, record);
    const entries = recordProblems(context, checked, record, key, op, seenKeys).map((entry) => ({ ...entry, index, key }));

    if (entries.length > 0) {
      prepared.errors.push(...entries);
      prepared.rejected.push(...entries.map((entry) => ({ ...entry, kind: checked.kind })));
      return;
    }

    seenKeys.add(key);
    const body = record as Record<string, unknown>;
    const warehouseCode = warehouseField && body[warehouseField] !== undefined ? String(body[warehouseField]) : undefined;
    prepared.accepted.push({ kind: checked.kind, key, warehouseCode, appType, op, body });
  });
  return prepared;
}

/**
 * Problems of one record. A delete needs only its key fields, because the
 * platform identifies the record by key; add and change are validated in full.
 */
function recordProblems(
  context: HandlerContext,
  checked: CheckedMessage,
  record: unknown,
  key: string,
  op: 'upsert' | 'delete',
  seenKeys: Set<string>,
): RecordErrorEntry[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return [{ code: 'invalid_record', message: answerText({ zh: '记录必须是 JSON 对象', en: 'a record must be a JSON object' }) }];
  }

  const problems: RecordErrorEntry[] =
    op === 'delete'
      ? missingKeyFields(checked, record as Record<string, unknown>)
      : context.validator.validateRecord(checked.kind, record).map((problem) => problemEntry(problem));
  if (problems.length > 0) return problems;

  if (seenKeys.has(key)) {
    return [{
      field: checked.kindSpec.recordKey.join(','),
      code: 'duplicate_key_in_message',
      message: answerText({ zh: `记录键 ${key} 在同一报文中重复出现`, en: `record key ${key} appears twice in the message` }),
    }];
  }

  const forced = context.rejectionFor(key);
  if (forced) {
    return [{
      field: forced.field ?? checked.kindSpec.recordKey[0],
      code: forced.code ?? 'forced_rejection',
      message: forced.message ?? answerText({ zh: `记录 ${key} 被注入的故障拒绝`, en: `record ${key} rejected by an injected fault` }),
    }];
  }
  return [];
}

function missingKeyFields(checked: CheckedMessage, record: Record<string, unknown>): RecordErrorEntry[] {
  return checked.kindSpec.recordKey
    .filter((field) => record[field] === undefined || record[field] === null || record[field] === '')
    .map((field) => ({
      field,
      code: 'required',
      message: answerText({ zh: `删除记录必须提供键字段 ${field}`, en: `a delete must carry the key field ${field}` }),
    }));
}

function problemEntry(problem: FieldProblem): RecordErrorEntry {
  return { field: problem.path, code: problem.code, message: answerText({ zh: problem.message['zh-CN'], en: problem.message.en }) };
}
