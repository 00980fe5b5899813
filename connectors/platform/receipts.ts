import type { Logger } from '../../pipelines/logger.js';
import type { Profile } from './profile-schema.js';
import { readPath } from './response-reader.js';

/** Per-record results of an asynchronous receipt. */
export interface ReceiptOutcome {
  accepted: string[];
  rejected: Array<{ key: string; status: string; info: string }>;
}

export interface PollOptions {
  profile: Profile;
  endpoint: string;
  messageId: string;
  timeoutMs: number;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Polls the platform's receipt query until every record of the message is
 * final (accepted, rejected or error), with doubling delays, for at most
 * `receipts.poll.maxWaitMs`. Throws when the wait runs out, so the batch
 * stays pending in the outbox and is asked about again on the next run.
 */
export async function pollReceipts(options: PollOptions): Promise<ReceiptOutcome> {
  const { profile, endpoint, messageId, logger, signal } = options;
  const spec = profile.receipts;
  const started = Date.now();
  let delay = spec.poll.initialDelayMs;

  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (signal?.aborted) throw new Error(`receipt polling for ${messageId} was stopped`);

    const url = new URL(spec.queryPath, endpoint.endsWith('/') ? endpoint : endpoint + '/');
    url.searchParams.set(spec.messageIdParam, messageId);

    const outcome = await queryOnce(url, options).catch((error: unknown) => {
      logger.warn(`receipt query for ${messageId} failed: ${String(error)}`, { event: 'receipt.query_failed', messageId });
      return undefined;
    });
    if (outcome) return outcome;

    if (Date.now() - started > spec.poll.maxWaitMs) {
      throw new Error(
        `no final receipt for message ${messageId} after ${spec.poll.maxWaitMs} ms; it stays pending and is queried again next run`,
      );
    }
    delay = Math.min(delay * 2 || 100, spec.poll.maxDelayMs);
  }
}

/** Returns the outcome when every record is final, undefined while some are not. */
async function queryOnce(url: URL, options: PollOptions): Promise<ReceiptOutcome | undefined> {
  const { profile, timeoutMs } = options;
  const spec = profile.receipts;

  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);

  const json: unknown = await response.json();
  const data = readPath(json, profile.response.dataField);
  const records = readPath(data, spec.recordsPath);
  if (!Array.isArray(records) || records.length === 0) return undefined;

  const outcome: ReceiptOutcome = { accepted: [], rejected: [] };
  for (const record of records) {
    const status = String(readPath(record, spec.statusField) ?? '');
    const meaning = spec.statusMap[status] ?? (Number(status) < 0 ? 'error' : 'processing');
    const key = String(readPath(record, spec.recordKeyField) ?? '');

    if (meaning === 'processing' || meaning === 'received') return undefined;
    if (meaning === 'accepted') outcome.accepted.push(key);
    else outcome.rejected.push({ key, status, info: String(readPath(record, spec.infoField) ?? '') });
  }
  return outcome;
}
