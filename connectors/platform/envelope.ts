import { randomInt } from 'node:crypto';

import { OwhError } from '../../config/errors.js';
import { type Bilingual, bi } from '../../config/i18n.js';
import { formatEnvelopeTimestamp } from './envelope-timestamp.js';
import { ENVELOPE_PARTS, type EnvelopePart, type Profile } from './profile-schema.js';
import { decodeBase64Strict } from './signature-codec.js';
import type { Signer, Verifier } from './signer.js';

export { parseEnvelopeTimestamp } from './envelope-timestamp.js';

/**
 * The signed envelope around one message: its parts, the sign input built
 * from them, and the JSON body posted to the platform. Every name and format
 * comes from the profile, so a change in the official standard is a profile
 * edit, not a code change.
 */

/** The profile sections the envelope reads; a full Profile fits. */
export type EnvelopeProfile = Pick<Profile, 'envelope' | 'sign' | 'kinds'>;

/** Envelope part values by logical name; a part that is not sent is absent. */
export type EnvelopeParts = Partial<Record<EnvelopePart, string>>;

export interface BuildEnvelopeArgs {
  profile: EnvelopeProfile;
  signer: Signer;
  senderId: string;
  /** Message kind, a key of `profile.kinds`. */
  kind: string;
  messageId: string;
  /** The business payload; serialised here with JSON.stringify. */
  payload?: Record<string, unknown>;
  /**
   * The payload already serialised as JSON text (as an outbox stores it), used
   * instead of `payload` so a resend signs and sends the very same text.
   */
  dataText?: string;
  now?: Date;
  /** Used only when the profile enables the nonce; a random one is made otherwise. */
  nonce?: string;
  keyId?: string;
}

export interface BuiltEnvelope {
  /** The HTTP body, exactly as it must be posted. */
  body: string;
  /** The sent parts, signature included. */
  parts: EnvelopeParts;
  signInput: string;
}

/** Reason an incoming envelope could not be read; the sandbox maps it to a platform error. */
export type EnvelopeErrorReason = 'invalid-body' | 'missing-part' | 'invalid-part' | 'invalid-data';

export class EnvelopeError extends OwhError {
  readonly reason: EnvelopeErrorReason;
  /** Wire names of the parts concerned. */
  readonly fields: string[];

  constructor(reason: EnvelopeErrorReason, fields: string[], text: Bilingual, cause?: unknown) {
    super('records-rejected', text, { cause, details: { reason, fields } });
    this.name = 'EnvelopeError';
    this.reason = reason;
    this.fields = fields;
  }
}

// Parts an incoming envelope must carry whenever the profile gives them a wire name.
const REQUIRED_PARTS: EnvelopePart[] = ['senderId', 'interfaceId', 'messageId', 'timestamp', 'version', 'data', 'signType', 'sign'];

const NONCE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Builds and signs an envelope. The payload becomes the `data` text once,
 * serialised here or taken from `dataText`. That same string goes into the
 * sign input and the body, so the platform gets back exactly the signed text
 * when it parses the body.
 */
export function buildEnvelope(args: BuildEnvelopeArgs): BuiltEnvelope {
  const { profile, signer } = args;
  const envelope = profile.envelope;
  const wireNames = resolveWireNames(profile);

  if (signer.algorithm !== profile.sign.algorithm) {
    throw new OwhError(
      'key',
      bi(
        `签名器使用 ${signer.algorithm}，但平台配置的 sign.algorithm 为 ${profile.sign.algorithm}。`,
        `the signer uses ${signer.algorithm} but the profile's sign.algorithm is ${profile.sign.algorithm}.`,
      ),
    );
  }

  const kind = profile.kinds[args.kind];
  if (!kind) {
    const known = Object.keys(profile.kinds).join(', ');
    throw new OwhError(
      'config',
      bi(`平台配置中没有报文类型 "${args.kind}"（已有：${known}）。`, `the profile has no message kind "${args.kind}" (known: ${known}).`),
    );
  }

  const values: EnvelopeParts = {
    senderId: args.senderId,
    interfaceId: kind.interfaceId,
    messageId: args.messageId,
    timestamp: formatEnvelopeTimestamp(envelope.timestamp, args.now ?? new Date()),
    version: envelope.version,
    data: encodeData(payloadText(args), envelope.dataEncoding),
    signType: profile.sign.signTypeValues[signer.algorithm],
  };
  if (envelope.nonce.enabled) values.nonce = args.nonce ?? randomNonce(envelope.nonce.length);
  // NOTE: encryptType is sent as configured; `data` is never encrypted, so only a "no encryption" value is truthful.
  if (envelope.dataFormat !== null) values.dataFormat = envelope.dataFormat;
  if (envelope.encryptType !== null) values.encryptType = envelope.encryptType;
  if (args.keyId !== undefined) values.keyId = args.keyId;

  // A part the profile maps to null is neither sent nor signed.
  const parts: EnvelopeParts = {};
  for (const part of ENVELOPE_PARTS) {
    if (wireNames[part] !== undefined && values[part] !== undefined) parts[part] = values[part];
  }

  const signInput = computeSignInput(profile, parts);
  parts.sign = signer.sign(signInput);

  const wireBody: Record<string, string> = {};
  for (const part of ENVELOPE_PARTS) {
    const wireName = wireNames[part];
    const value = parts[part];
    if (wireName !== undefined && value !== undefined) wireBody[wireName] = value;
  }
  return { body: JSON.stringify(wireBody), parts, signInput };
}

/**
 * Builds the text that is signed, from the parts as sent (the `sign` part is
 * always left out):
 * - `sortedParams`: `wireName=value` pairs sorted by wire name in UTF-16 code
 *   unit order (plain ASCII order for ASCII names), joined by `&`;
 * - `dataOnly`: the `data` text;
 * - `template`: the values of `sign.template.parts` joined by its separator,
 *   an absent part counting as an empty value.
 * `skipEmpty` drops empty values in `sortedParams` and `template`.
 */
export function computeSignInput(profile: Pick<Profile, 'envelope' | 'sign'>, parts: EnvelopeParts): string {
  const sign = profile.sign;

  if (sign.input === 'dataOnly') {
    if (parts.data === undefined) {
      throw new OwhError('internal', bi('计算待签名文本时缺少 data 部分。', 'the data part is missing while computing the sign input.'));
    }
    return parts.data;
  }

  if (sign.input === 'template') {
    const template = sign.template;
    if (!template || template.parts.length === 0) {
      throw new OwhError(
        'config',
        bi(
          '平台配置 sign.input 为 template，但缺少 sign.template.parts。请列出参与签名的部分及分隔符。',
          'the profile sets sign.input to template but has no sign.template.parts. List the signed parts and the separator.',
        ),
      );
    }
    if (template.parts.includes('sign')) {
      throw new OwhError('config', bi('sign.template.parts 不能包含 sign 本身。', 'sign.template.parts must not contain sign itself.'));
    }

    const values = template.parts.map((part) => parts[part] ?? '');
    return (sign.skipEmpty ? values.filter((value) => value !== '') : values).join(template.separator);
  }

  const wireNames = resolveWireNames(profile);
  const pairs: Array<[string, string]> = [];
  for (const part of ENVELOPE_PARTS) {
    const wireName = wireNames[part];
    const value = parts[part];
    if (part === 'sign' || wireName === undefined || value === undefined) continue;
    if (sign.skipEmpty && value === '') continue;
    pairs.push([wireName, value]);
  }

  // Plain code unit comparison, not localeCompare, so the order never depends on the locale.
  pairs.sort(([a], [b]) => compareCodeUnits(a, b));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * Reads an envelope from an HTTP body, as the platform would. Returns the
 * parts by logical name and the decoded payload, or throws EnvelopeError.
 */
export function parseEnvelope(profile: EnvelopeProfile, bodyText: string): { parts: EnvelopeParts; payload: unknown } {
  const wireNames = resolveWireNames(profile);

  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch (error) {
    throw new EnvelopeError('invalid-body', [], bi('报文体不是有效的 JSON。', 'the message body is not valid JSON.'), error);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EnvelopeError('invalid-body', [], bi('报文体必须是 JSON 对象。', 'the message body must be a JSON object.'));
  }

  const record = body as Record<string, unknown>;
  const parts: EnvelopeParts = {};
  const notText: string[] = [];
  for (const part of ENVELOPE_PARTS) {
    const wireName = wireNames[part];
    if (wireName === undefined || !(wireName in record)) continue;

    const value = record[wireName];
    if (typeof value === 'string') parts[part] = value;
    else notText.push(wireName);
  }
  if (notText.length > 0) {
    const list = notText.join(', ');
    throw new EnvelopeError('invalid-part', notText, bi(`报文字段必须是字符串：${list}。`, `envelope fields must be strings: ${list}.`));
  }

  const required = profile.envelope.nonce.enabled ? [...REQUIRED_PARTS, 'nonce' as const] : REQUIRED_PARTS;
  const missing = required.flatMap((part) => {
    const wireName = wireNames[part];
    return wireName !== undefined && (parts[part] === undefined || parts[part] === '') ? [wireName] : [];
  });
  if (missing.length > 0) {
    const list = missing.join(', ');
    throw new EnvelopeError('missing-part', missing, bi(`报文缺少必填字段：${list}。`, `the envelope is missing required fields: ${list}.`));
  }

  return { parts, payload: decodeData(parts.data ?? '', profile.envelope.dataEncoding, wireNames.data ?? 'data') };
}

/** Checks the envelope's signature; false when it is absent or does not verify. */
export function verifyEnvelope(profile: Pick<Profile, 'envelope' | 'sign'>, parts: EnvelopeParts, verifier: Verifier): boolean {
  if (parts.sign === undefined || parts.sign === '') return false;
  return verifier.verify(computeSignInput(profile, parts), parts.sign);
}

/**
 * Returns the wire name of each sent part. Rejects a profile that does not
 * send `data` or `sign`, or gives two parts the same wire name.
 */
function resolveWireNames(profile: Pick<Profile, 'envelope'>): Partial<Record<EnvelopePart, string>> {
  const names: Partial<Record<EnvelopePart, string>> = {};
  const seen = new Map<string, EnvelopePart>();

  for (const part of ENVELOPE_PARTS) {
    const wireName = profile.envelope.fieldNames[part];
    if (wireName === null || wireName === undefined || wireName === '') continue;

    const earlier = seen.get(wireName);
    if (earlier) {
      throw new OwhError(
        'config',
        bi(
          `平台配置 envelope.fieldNames 中 ${earlier} 与 ${part} 使用了相同的字段名 "${wireName}"。`,
          `profile envelope.fieldNames gives ${earlier} and ${part} the same wire name "${wireName}".`,
        ),
      );
    }
    seen.set(wireName, part);
    names[part] = wireName;
  }

  for (const part of ['data', 'sign'] as const) {
    if (names[part] === undefined) {
      throw new OwhError(
        'config',
        bi(
          `平台配置 envelope.fieldNames.${part} 不能为空：报文必须携带该部分。`,
          `profile envelope.fieldNames.${part} must not be null or empty: every envelope carries this part.`,
        ),
      );
    }
  }
  return names;
}

/** Returns the payload's JSON text, from `dataText` or by serialising `payload` once. */
function payloadText(args: BuildEnvelopeArgs): string {
  if ((args.payload === undefined) === (args.dataText === undefined)) {
    throw new OwhError(
      'internal',
      bi('buildEnvelope 需要 payload 与 dataText 二者之一，且只能有一个。', 'buildEnvelope needs exactly one of payload and dataText.'),
    );
  }
  if (args.dataText !== undefined) return args.dataText;

  try {
    return JSON.stringify(args.payload);
  } catch (error) {
    throw new OwhError(
      'internal',
      bi(`业务数据无法序列化为 JSON：${String(error)}`, `the payload cannot be serialised to JSON: ${String(error)}`),
      { cause: error },
    );
  }
}

function encodeData(json: string, encoding: 'json' | 'base64'): string {
  return encoding === 'base64' ? Buffer.from(json, 'utf8').toString('base64') : json;
}

function decodeData(data: string, encoding: 'json' | 'base64', wireName: string): unknown {
  let json = data;

  if (encoding === 'base64') {
    const bytes = decodeBase64Strict(data);
    try {
      if (!bytes) throw new Error('not base64');
      json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (error) {
      throw new EnvelopeError(
        'invalid-data',
        [wireName],
        bi(`字段 ${wireName} 不是 UTF-8 文本的有效 base64 编码。`, `field ${wireName} is not valid base64 of UTF-8 text.`),
        error,
      );
    }
  }

  try {
    return JSON.parse(json);
  } catch (error) {
    throw new EnvelopeError('invalid-data', [wireName], bi(`字段 ${wireName} 不是有效的 JSON。`, `field ${wireName} is not valid JSON.`), error);
  }
}

function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Makes a nonce of letters and digits; randomInt draws each character uniformly. */
function randomNonce(length: number): string {
  let nonce = '';
  for (let i = 0; i < length; i += 1) nonce += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  return nonce;
}
