import { EnvelopeError, type EnvelopeParts, parseEnvelope, parseEnvelopeTimestamp, verifyEnvelope } from '../envelope.js';
import type { ErrorClass, KindSpec, Profile } from '../profile-schema.js';
import { HTTP_STATUS_BY_CLASS, type RecordErrorEntry } from './sandbox-answers.js';
import type { RegisteredSender } from './sender-registry.js';

/**
 * The message-level checks the platform makes before it looks at records:
 * envelope shape, sender, signature, timestamp window and opened interface,
 * in that order, so an unauthenticated request learns nothing about
 * interfaces or duplicates.
 */

/** A message-level rejection: the whole message fails and nothing is stored. */
export interface MessageRejection {
  errorClass: ErrorClass;
  httpStatus: number;
  /** Stable outcome name for the request log and `/_sandbox/stats`. */
  outcome: string;
  text: { zh: string; en: string };
  recordErrors?: RecordErrorEntry[];
  messageId?: string;
  senderId?: string;
  interfaceId?: string;
}

/** A message that passed every message-level check. */
export interface CheckedMessage {
  parts: EnvelopeParts;
  payload: unknown;
  sender: RegisteredSender;
  senderId: string;
  messageId: string;
  interfaceId: string;
  kind: string;
  kindSpec: KindSpec;
}

export interface CheckContext {
  profile: Profile;
  senders: Map<string, RegisteredSender>;
  /** True when a fault closes this interface for every sender. */
  isInterfaceClosed: (interfaceId: string) => boolean;
  now: Date;
}

export function reject(
  errorClass: ErrorClass,
  outcome: string,
  text: { zh: string; en: string },
  ids: { messageId?: string; senderId?: string; interfaceId?: string } = {},
): MessageRejection {
  return { errorClass, httpStatus: HTTP_STATUS_BY_CLASS[errorClass], outcome, text, ...ids };
}

/**
 * Runs the message-level checks on a received body. `pathInterfaceId` is the
 * interface chosen by the request path when the profile routes per
 * interface; with gateway routing the envelope's interfaceId part decides.
 */
export function checkMessage(context: CheckContext, bodyText: string, pathInterfaceId?: string): CheckedMessage | MessageRejection {
  const { profile } = context;

  let parts: EnvelopeParts;
  let payload: unknown;
  try {
    ({ parts, payload } = parseEnvelope(profile, bodyText));
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    return reject('VALIDATION', 'malformed', { zh: `报文无法解析：${error.text['zh-CN']}`, en: `malformed envelope: ${error.text.en}` });
  }

  const senderId = parts.senderId ?? '';
  const messageId = parts.messageId ?? '';
  const ids = { senderId, messageId, interfaceId: parts.interfaceId };

  const sender = context.senders.get(senderId);
  if (!sender) {
    return reject('AUTH_SENDER_UNKNOWN', 'AUTH_SENDER_UNKNOWN', {
      zh: `发送方 ${senderId || '（空）'} 未在平台登记`,
      en: `sender ${senderId || '(empty)'} is not registered with the platform`,
    }, ids);
  }

  const signatureProblem = checkSignature(profile, parts, sender);
  if (signatureProblem) return reject('AUTH_SIGNATURE', 'AUTH_SIGNATURE', signatureProblem, ids);

  const timestampProblem = checkTimestamp(profile, parts.timestamp ?? '', context.now);
  if (timestampProblem) return reject('TIMESTAMP_OUT_OF_WINDOW', 'TIMESTAMP_OUT_OF_WINDOW', timestampProblem, ids);

  const interfaceId = pathInterfaceId ?? parts.interfaceId;
  if (!interfaceId) {
    return reject('VALIDATION', 'malformed', {
      zh: '报文未指明接口ID，无法路由',
      en: 'the envelope names no interfaceId, so it cannot be routed',
    }, ids);
  }
  if (pathInterfaceId !== undefined && parts.interfaceId !== undefined && parts.interfaceId !== pathInterfaceId) {
    return reject('VALIDATION', 'malformed', {
      zh: `报文中的接口ID ${parts.interfaceId} 与请求路径对应的接口 ${pathInterfaceId} 不一致`,
      en: `the envelope's interfaceId ${parts.interfaceId} differs from ${pathInterfaceId}, the interface of the request path`,
    }, ids);
  }

  const kindEntry = Object.entries(profile.kinds).find(([, spec]) => spec.interfaceId === interfaceId);
  const opened = sender.registration.interfaces.includes(interfaceId) && !context.isInterfaceClosed(interfaceId);
  if (!kindEntry || !opened) {
    return reject('INTERFACE_NOT_OPENED', 'INTERFACE_NOT_OPENED', {
      zh: `接口 ${interfaceId} 未对发送方 ${senderId} 开通`,
      en: `interface ${interfaceId} is not opened for sender ${senderId}`,
    }, { ...ids, interfaceId });
  }

  return { parts, payload, sender, senderId, messageId, interfaceId, kind: kindEntry[0], kindSpec: kindEntry[1] };
}

/** Verifies the signature over the sign input built from the parts exactly as received. */
function checkSignature(profile: Profile, parts: EnvelopeParts, sender: RegisteredSender): { zh: string; en: string } | undefined {
  const expectedSignType = profile.sign.signTypeValues[sender.registration.algorithm];
  if (profile.envelope.fieldNames.signType && parts.signType !== expectedSignType) {
    return {
      zh: `签名算法 ${parts.signType ?? '（空）'} 与登记的 ${expectedSignType} 不一致`,
      en: `sign type ${parts.signType ?? '(empty)'} differs from the registered ${expectedSignType}`,
    };
  }

  if (!verifyEnvelope(profile, parts, sender.verifier)) {
    return {
      zh: '签名验证失败：签名与报文内容或登记的公钥不符',
      en: 'signature verification failed: the signature does not match the message or the registered public key',
    };
  }
  return undefined;
}

function checkTimestamp(profile: Profile, text: string, now: Date): { zh: string; en: string } | undefined {
  const windowSeconds = profile.envelope.timestamp.windowSeconds;
  const sentAt = parseEnvelopeTimestamp(profile, text);

  if (!sentAt) {
    return {
      zh: `时间戳 "${text}" 不符合格式 ${profile.envelope.timestamp.format}`,
      en: `timestamp "${text}" does not match the format ${profile.envelope.timestamp.format}`,
    };
  }

  const skewSeconds = Math.round((now.getTime() - sentAt.getTime()) / 1000);
  if (Math.abs(skewSeconds) > windowSeconds) {
    return {
      zh: `时间戳 ${text} 与平台时间相差 ${skewSeconds} 秒，超出允许的 ±${windowSeconds} 秒`,
      en: `timestamp ${text} is ${skewSeconds} s away from platform time, outside the allowed ±${windowSeconds} s`,
    };
  }
  return undefined;
}
