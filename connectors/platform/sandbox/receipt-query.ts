import { formatEnvelopeTimestamp } from '../envelope-timestamp.js';
import type { Profile } from '../profile-schema.js';
import { type ReceiptRecord, type RecordErrorEntry, buildAnswer, buildReceiptAnswer } from './sandbox-answers.js';
import type { SandboxLedger } from './sandbox-ledger.js';

/**
 * Builds the response to `GET <receipts.queryPath>?<messageIdParam>=…`: the per-record
 * results of a processed message, as "processing" until the message's
 * receipt delay has passed and final afterwards.
 * NOTE: the query is not signed; the platform's real receipt query may
 * require the same envelope and signature as a submission.
 */
export function answerReceiptQuery(
  profile: Profile,
  ledger: SandboxLedger,
  query: URLSearchParams,
  now: Date,
): { httpStatus: number; body: unknown } {
  const messageId = query.get(profile.receipts.messageIdParam) ?? '';
  const senderId = query.get('senderId') ?? undefined;
  const candidates = ledger.findMessagesById(messageId);
  const message = senderId ? candidates.find((entry) => entry.senderId === senderId) : candidates[0];

  if (!message) {
    const body = buildAnswer(profile, {
      errorClass: 'VALIDATION',
      message: `没有报文编号为 ${messageId || '（空）'} 的报文 / no message with messageId ${messageId || '(empty)'}`,
      messageId: messageId || undefined,
    });
    return { httpStatus: 404, body };
  }

  const final = now.getTime() >= Date.parse(message.finalAt);
  const accepted = ledger.listRecords({ senderId: message.senderId, kind: message.kind }).filter((record) =>
    record.messageIds.includes(message.messageId),
  );
  const rejected = ledger.listRejected(message.senderId, message.messageId);

  const records: ReceiptRecord[] = accepted.map((record) => ({ key: record.key, meaning: final ? 'accepted' : 'processing', info: '' }));
  const infoByIndex = new Map<number, { key: string; info: string[] }>();
  for (const entry of rejected) {
    const item = infoByIndex.get(entry.index) ?? { key: entry.key ?? '', info: [] };
    item.info.push(`${entry.field ?? ''} ${entry.code}: ${entry.message}`.trim());
    infoByIndex.set(entry.index, item);
  }
  for (const item of infoByIndex.values()) {
    records.push({ key: item.key, meaning: final ? 'rejected' : 'processing', info: final ? item.info.join('; ') : '' });
  }

  const recordErrors: RecordErrorEntry[] | undefined = final
    ? rejected.map((entry) => ({ index: entry.index, key: entry.key, field: entry.field, code: entry.code, message: entry.message }))
    : undefined;
  let overall: 'processing' | 'accepted' | 'rejected' = 'processing';
  if (final) overall = message.recordsAccepted === 0 ? 'rejected' : 'accepted';
  const info = final
    ? `已处理：${message.recordsAccepted} 条接收，${message.recordsRejected} 条拒绝 / processed: ${message.recordsAccepted} accepted, ${message.recordsRejected} rejected`
    : '处理中 / processing';

  const body = buildReceiptAnswer(profile, {
    messageId: message.messageId,
    receiptId: message.receiptId,
    overall,
    time: formatEnvelopeTimestamp(profile.envelope.timestamp, final ? new Date(message.finalAt) : now),
    info,
    records,
    recordErrors,
  });
  return { httpStatus: 200, body };
}
