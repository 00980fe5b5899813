import type { SendResult } from '../connectors/platform/platform-client.js';
import type { CommitInput, DeadLetterInput, OutboxBatch } from './state/state-store.js';

/** Record counts of one acknowledged batch, for the run's summary. */
export interface CommitTally {
  accepted: number;
  rejected: number;
  deleted: number;
}

/**
 * Turns the platform's response for a batch into one state-store commit.
 * Accepted records go to the ledger, rejected ones to dead letters with the
 * platform's reason, and the checkpoint moves only now, after the ack.
 */
export function buildCommit(batch: OutboxBatch, result: SendResult, runId: string): { commit: CommitInput; tally: CommitTally } {
  const rejectedKeys = rejectedRecords(batch, result);
  const accepted: Array<{ key: string; hash: string; keyFields?: Record<string, unknown> }> = [];
  const deleted: string[] = [];
  const rejected: DeadLetterInput[] = [];

  for (const record of batch.records) {
    const reason = rejectedKeys.get(record.key);
    if (reason) {
      rejected.push({
        pipeline: batch.pipeline,
        runId,
        kind: batch.kind,
        recordKey: record.key,
        stage: 'platform',
        reasonCode: reason.code || 'REJECTED',
        detail: reason,
        messageId: batch.messageId,
      });
    } else if (record.op === 'delete') {
      deleted.push(record.key);
    } else {
      accepted.push({ key: record.key, hash: record.hash, keyFields: record.keyFields });
    }
  }

  let status: 'accepted' | 'partial' | 'rejected' | 'duplicate' = 'partial';
  if (result.outcome === 'duplicate') status = 'duplicate';
  else if (rejected.length === 0) status = 'accepted';
  else if (accepted.length + deleted.length === 0) status = 'rejected';
  return {
    commit: {
      messageId: batch.messageId,
      pipeline: batch.pipeline,
      kind: batch.kind,
      accepted,
      deleted,
      rejected,
      receipt: {
        messageId: batch.messageId,
        status,
        code: result.answer.code,
        message: result.answer.message,
        receiptId: result.answer.receiptId,
      },
      checkpoint: batch.checkpoint,
    },
    tally: { accepted: accepted.length, rejected: rejected.length, deleted: deleted.length },
  };
}

/** Collects rejected record keys from per-record errors and from an asynchronous receipt. */
function rejectedRecords(batch: OutboxBatch, result: SendResult): Map<string, { code: string; field?: string; message: string }> {
  const rejected = new Map<string, { code: string; field?: string; message: string }>();

  for (const error of result.answer.recordErrors) {
    const key = error.key && batch.records.some((r) => r.key === error.key) ? error.key : batch.records[error.index ?? -1]?.key;
    if (key) rejected.set(key, { code: error.code, field: error.field, message: error.message });
  }
  for (const item of result.receipt?.rejected ?? []) {
    rejected.set(item.key, { code: item.status, message: item.info });
  }
  return rejected;
}

/** Builds dead letters for every record of a batch the platform rejected as a whole. */
export function rejectWholeBatch(
  batch: OutboxBatch,
  runId: string,
  reason: { code: string; errorClass: string; message: string },
): DeadLetterInput[] {
  return batch.records.map((record) => ({
    pipeline: batch.pipeline,
    runId,
    kind: batch.kind,
    recordKey: record.key,
    stage: 'platform' as const,
    reasonCode: reason.errorClass,
    detail: reason,
    messageId: batch.messageId,
  }));
}
