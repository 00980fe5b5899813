import type { SendResult } from '../connectors/platform/platform-client.js';
import type { CommitInput, DeadLetterInput, OutboxBatch } from './state/state-store.js';

/** What one acknowledged batch did, for the run's counts. */
export interface CommitTally {
  accepted: number;
  rejected: number;
  deleted: number;
}

/**
 * Turns the platform's answer for a batch into one state-store commit:
 * accepted records go to the ledger, refused ones to dead letters with the
 * platform's reason, and the checkpoint moves only now, after the ack.
 */
export function buildCommit(batch: OutboxBatch, result: SendResult, runId: string): { commit: CommitInput; tally: CommitTally } {
  const refused = refusedRecords(batch, result);
  const accepted: Array<{ key: string; hash: string; keyFields?: Record<string, unknown> }> = [];
  const deleted: string[] = [];
  const rejected: DeadLetterInput[] = [];

  for (const record of batch.records) {
    const reason = refused.get(record.key);
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

  const status = result.outcome === 'duplicate' ? 'duplicate' : rejected.length === 0 ? 'accepted' : accepted.length + deleted.length === 0 ? 'rejected' : 'partial';
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
function refusedRecords(batch: OutboxBatch, result: SendResult): Map<string, { code: string; field?: string; message: string }> {
  const refused = new Map<string, { code: string; field?: string; message: string }>();

  for (const error of result.answer.recordErrors) {
    const key = error.key && batch.records.some((r) => r.key === error.key) ? error.key : batch.records[error.index ?? -1]?.key;
    if (key) refused.set(key, { code: error.code, field: error.field, message: error.message });
  }
  for (const item of result.receipt?.rejected ?? []) {
    refused.set(item.key, { code: item.status, message: item.info });
  }
  return refused;
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
