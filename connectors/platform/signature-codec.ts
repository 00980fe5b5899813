import {
  DerError,
  TAG,
  concatBytes,
  encodeSequence,
  encodeUnsignedInteger,
  readChildren,
  readSingle,
  readUnsignedInteger,
} from './asn1-der.js';
import type { SignSpec } from './profile-schema.js';

/**
 * Conversions between the SM2 signature forms the platform may expect: raw
 * r||s (32 bytes each, big-endian, zero-padded) or DER `SEQUENCE { r INTEGER,
 * s INTEGER }`, written as base64 or hex.
 */

export type SignatureEncoding = SignSpec['encoding'];

const COMPONENT_BYTES = 32;
export const RAW_SIGNATURE_BYTES = COMPONENT_BYTES * 2;

/** Encodes a raw 64-byte r||s signature as DER. */
export function rawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== RAW_SIGNATURE_BYTES) {
    throw new DerError(`raw SM2 signature must be ${RAW_SIGNATURE_BYTES} bytes, got ${raw.length}`);
  }
  const r = raw.subarray(0, COMPONENT_BYTES);
  const s = raw.subarray(COMPONENT_BYTES);
  return encodeSequence(encodeUnsignedInteger(r), encodeUnsignedInteger(s));
}

/**
 * Decodes a DER signature to raw r||s. Rejects anything but two minimal,
 * non-negative INTEGERs of at most 32 bytes, with no trailing bytes, because
 * a lax parser would accept several encodings of one signature.
 */
export function derToRaw(der: Uint8Array): Uint8Array {
  const sequence = readSingle(der, TAG.sequence);
  const children = readChildren(sequence.value);
  if (children.length !== 2) throw new DerError(`DER signature must contain 2 INTEGERs, found ${children.length} elements`);

  const components = children.map((child) => {
    const magnitude = readUnsignedInteger(child);
    if (magnitude.length > COMPONENT_BYTES) {
      throw new DerError(`signature component of ${magnitude.length} bytes exceeds ${COMPONENT_BYTES}`);
    }

    // Short values (leading zero bytes dropped by DER) are left-padded back to 32 bytes.
    const padded = new Uint8Array(COMPONENT_BYTES);
    padded.set(magnitude, COMPONENT_BYTES - magnitude.length);
    return padded;
  });
  return concatBytes(components);
}

/** Writes a raw r||s signature in the profile's encoding. */
export function encodeSignature(raw: Uint8Array, encoding: SignatureEncoding): string {
  switch (encoding) {
    case 'base64Raw':
      return Buffer.from(raw).toString('base64');
    case 'hexRaw':
      return Buffer.from(raw).toString('hex');
    case 'base64Der':
      return Buffer.from(rawToDer(raw)).toString('base64');
    case 'hexDer':
      return Buffer.from(rawToDer(raw)).toString('hex');
  }
}

/**
 * Reads a signature text in the profile's encoding back to raw r||s. Returns
 * undefined for text that is not a well-formed signature in that encoding,
 * because to a verifier a malformed signature is simply an invalid one.
 */
export function decodeSignature(text: string, encoding: SignatureEncoding): Uint8Array | undefined {
  const bytes = encoding.startsWith('base64') ? decodeBase64Strict(text) : decodeHexStrict(text);
  if (!bytes) return undefined;

  if (encoding === 'base64Raw' || encoding === 'hexRaw') {
    return bytes.length === RAW_SIGNATURE_BYTES ? bytes : undefined;
  }

  try {
    return derToRaw(bytes);
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

/** Decodes standard base64 with padding; Buffer alone would skip invalid characters. */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;

  const bytes = Buffer.from(text, 'base64');
  // Re-encoding catches non-zero padding bits, which have more than one spelling.
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}

/** Decodes hex of either case; Buffer alone would stop at the first bad digit. */
export function decodeHexStrict(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'hex'));
}
