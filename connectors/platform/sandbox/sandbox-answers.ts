import type { ErrorClass, Profile } from '../profile-schema.js';
import { readPath } from '../response-reader.js';

/**
 * Response bodies in the profile's response format, as the platform would send
 * them. Field names and codes all come from `profile.response` and
 * `profile.receipts`, so a changed profile changes the responses too.
 */

/** One per-record error before it is renamed to the profile's field names. */
export interface RecordErrorEntry {
  index?: number;
  key?: string;
  field?: string;
  code: string;
  message: string;
}

/** HTTP status per error class, for responses the sandbox itself decides. */
export const HTTP_STATUS_BY_CLASS: Record<ErrorClass, number> = {
  AUTH_SIGNATURE: 401,
  AUTH_SENDER_UNKNOWN: 401,
  INTERFACE_NOT_OPENED: 403,
  TIMESTAMP_OUT_OF_WINDOW: 400,
  DUPLICATE_MESSAGE: 409,
  VALIDATION: 400,
  BUSINESS_RULE: 400,
  RATE_LIMITED: 429,
  SERVER_ERROR: 500,
};

/** Error class the sandbox reports for an injected HTTP status. */
export const CLASS_BY_INJECTED_STATUS: Record<number, ErrorClass> = {
  400: 'VALIDATION',
  401: 'AUTH_SIGNATURE',
  403: 'INTERFACE_NOT_OPENED',
  409: 'DUPLICATE_MESSAGE',
  413: 'VALIDATION',
  429: 'RATE_LIMITED',
  500: 'SERVER_ERROR',
  503: 'SERVER_ERROR',
};

/** Sets a dotted path (`data.errors`) inside an object, creating objects on the way. */
export function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let current = target;

  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1]] = value;
}

/**
 * Returns the platform code for an error class: `response.codesByClass`
 * first, then any code that `response.errorCodes` maps to the class, then
 * the class name itself so a response always carries a code.
 */
export function codeForClass(profile: Profile, errorClass: ErrorClass): string {
  const direct = profile.response.codesByClass[errorClass];
  if (direct !== undefined) return direct;

  const mapped = Object.entries(profile.response.errorCodes).find(([, mappedClass]) => mappedClass === errorClass);
  return mapped ? mapped[0] : errorClass;
}

export interface AnswerInput {
  /** Undefined for a success answer. */
  errorClass?: ErrorClass;
  message: string;
  messageId?: string;
  receiptId?: string;
  recordErrors?: RecordErrorEntry[];
}

/** Builds a synchronous answer `{code, message, data: {messageId, receiptId, errors}}` under the profile's names. */
export function buildAnswer(profile: Profile, input: AnswerInput): Record<string, unknown> {
  const spec = profile.response;
  const code = input.errorClass ? codeForClass(profile, input.errorClass) : spec.successCodes[0];
  const data: Record<string, unknown> = {};

  if (input.messageId !== undefined) setPath(data, spec.messageIdPath, input.messageId);
  if (input.receiptId !== undefined) setPath(data, spec.receiptIdPath, input.receiptId);
  if (input.recordErrors !== undefined && input.recordErrors.length > 0) {
    setPath(data, spec.recordErrorsPath, input.recordErrors.map((entry) => renameRecordError(profile, entry)));
  }

  const answer: Record<string, unknown> = {};
  setPath(answer, spec.codeField, code);
  setPath(answer, spec.messageField, input.message);
  setPath(answer, spec.dataField, data);
  return answer;
}

function renameRecordError(profile: Profile, entry: RecordErrorEntry): Record<string, unknown> {
  const names = profile.response.recordErrorFields;
  const item: Record<string, unknown> = {};

  if (entry.index !== undefined) setPath(item, names.index, entry.index);
  if (entry.key !== undefined) setPath(item, names.key, entry.key);
  if (entry.field !== undefined) setPath(item, names.field, entry.field);
  setPath(item, names.code, entry.code);
  setPath(item, names.message, entry.message);
  return item;
}

type ReceiptMeaning = 'received' | 'processing' | 'accepted' | 'rejected' | 'error';

/**
 * Returns the first platform status value that `receipts.statusMap` gives
 * this meaning; falls back to a related meaning, then to the meaning itself.
 */
export function statusValueFor(profile: Profile, meaning: ReceiptMeaning): string {
  const fallbacks: Record<ReceiptMeaning, ReceiptMeaning[]> = {
    received: ['received', 'processing'],
    processing: ['processing', 'received'],
    accepted: ['accepted'],
    rejected: ['rejected', 'error'],
    error: ['error', 'rejected'],
  };

  for (const candidate of fallbacks[meaning]) {
    const entry = Object.entries(profile.receipts.statusMap).find(([, value]) => value === candidate);
    if (entry) return entry[0];
  }
  return meaning;
}

/** Per-record result for a receipt; `info` is empty for accepted records. */
export interface ReceiptRecord {
  key: string;
  meaning: 'processing' | 'accepted' | 'rejected';
  info: string;
}

/**
 * Builds a receipt-query answer: the usual `{code, message, data}` wrapper,
 * with the overall status, time and per-record list inside `data`, as
 * `receipts.statusField`, `timeField` and `recordsPath` name them.
 */
export function buildReceiptAnswer(
  profile: Profile,
  input: {
    messageId: string;
    receiptId: string;
    overall: ReceiptMeaning;
    time: string;
    info: string;
    records: ReceiptRecord[];
    recordErrors?: RecordErrorEntry[];
  },
): Record<string, unknown> {
  const spec = profile.receipts;
  const answer = buildAnswer(profile, {
    message: input.info,
    messageId: input.messageId,
    receiptId: input.receiptId,
    recordErrors: input.recordErrors,
  });
  const data = readPath(answer, profile.response.dataField) as Record<string, unknown>;

  setPath(data, spec.statusField, statusValueFor(profile, input.overall));
  setPath(data, spec.timeField, input.time);
  setPath(data, spec.infoField, input.info);
  setPath(
    data,
    spec.recordsPath,
    input.records.map((record) => {
      const item: Record<string, unknown> = {};
      setPath(item, spec.recordKeyField, record.key);
      setPath(item, spec.statusField, statusValueFor(profile, record.meaning));
      setPath(item, spec.infoField, record.info);
      setPath(item, spec.timeField, input.time);
      return item;
    }),
  );
  return answer;
}
