import { createHash, getHashes } from 'node:crypto';
import { sm2, sm3 } from 'sm-crypto-v2';

import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import type { Sm2PrivateKeyMaterial, Sm2PublicKeyMaterial } from './key-files.js';
import type { SignSpec } from './profile-schema.js';
import { signInputBytes } from './sign-input-bytes.js';
import type { Signer, Verifier } from './signer.js';
import { decodeSignature, encodeSignature } from './signature-codec.js';
import { SM2_ORDER } from './sm2-key-codec.js';

/**
 * SM2 signatures through sm-crypto-v2 1.15.1. Node's built-in crypto is not
 * used for SM2 because, in Node 20.20.2 checked with OpenSSL 3.0.19,
 * `crypto.sign` uses an empty user ID and `createSign` leaves out Z. Only the
 * SM3 digest e = SM3(Z || M) is taken from node:crypto when it offers `sm3`,
 * since hashing is where the JavaScript path spends its time.
 *
 * Every library call passes `hash`, `der`, `userId` and `publicKey`
 * explicitly, because sm-crypto and its forks have changed these defaults
 * between versions. The library always returns raw r||s here (`der: false`);
 * DER is produced and parsed by signature-codec.ts, which is strict where the
 * library's own DER decoder is lenient.
 */

export interface Sm2SignOptions {
  /** Signer identity hashed into Z (GM/T 0009 default `1234567812345678`). */
  userId: string;
  /** `z`: e = SM3(Z || M) as GM/T 0003 requires. `none`: e = SM3(M), for interop only. */
  prehash: 'z' | 'none';
}

// ENTL, the bit length of the user ID, is a 16-bit field in Z.
const MAX_USER_ID_BYTES = 8191;

/** Reads the SM2 options from a profile's sign section. */
export function sm2Options(spec: SignSpec): Sm2SignOptions {
  const idBytes = Buffer.byteLength(spec.sm2UserId, 'utf8');
  if (idBytes > MAX_USER_ID_BYTES) {
    throw new OwhError(
      'config',
      bi(
        `sign.sm2UserId 长度为 ${idBytes} 字节，超过 SM2 允许的 ${MAX_USER_ID_BYTES} 字节。`,
        `sign.sm2UserId is ${idBytes} bytes, more than the ${MAX_USER_ID_BYTES} bytes SM2 allows.`,
      ),
    );
  }
  return { userId: spec.sm2UserId, prehash: spec.prehash };
}

/** Computes Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) as hex. */
export function computeSm2Z(publicKeyHex: string, userId: string): string {
  return Buffer.from(sm2.getZ(publicKeyHex, userId)).toString('hex');
}

/** Computes the digest e that SM2 signs, as hex: SM3(Z || M) or, with prehash `none`, SM3(M). */
export function computeSm2Digest(message: string, publicKeyHex: string, options: Sm2SignOptions): string {
  const bytes = signInputBytes(message);
  if (options.prehash === 'none') return sm3(bytes);
  return sm2.getHash(bytes, publicKeyHex, options.userId);
}

/** Signs UTF-8 text and returns the raw 64-byte r||s signature. */
export function sm2SignRaw(message: string, key: Sm2PrivateKeyMaterial, options: Sm2SignOptions): Uint8Array {
  const { input, hash } = libraryInput(message, options, key.publicKeyHex);
  const rawHex = sm2.doSignature(input, key.privateKeyHex, {
    der: false,
    hash,
    publicKey: key.publicKeyHex,
    userId: options.userId,
  });
  return new Uint8Array(Buffer.from(rawHex, 'hex'));
}

/** Verifies a raw r||s signature over UTF-8 text. */
export function sm2VerifyRaw(message: string, raw: Uint8Array, publicKeyHex: string, options: Sm2SignOptions): boolean {
  if (raw.length !== 64) return false;

  // GM/T 0003 requires 1 <= r, s <= n-1; the library does not check the range itself.
  const r = BigInt('0x' + Buffer.from(raw.subarray(0, 32)).toString('hex'));
  const s = BigInt('0x' + Buffer.from(raw.subarray(32)).toString('hex'));
  if (r < 1n || r >= SM2_ORDER || s < 1n || s >= SM2_ORDER) return false;

  const { input, hash } = libraryInput(message, options, publicKeyHex);
  return sm2.doVerifySignature(input, Buffer.from(raw).toString('hex'), publicKeyHex, {
    der: false,
    hash,
    userId: options.userId,
  });
}

export function createSm2Signer(spec: SignSpec, key: Sm2PrivateKeyMaterial): Signer {
  const options = sm2Options(spec);
  return {
    algorithm: 'SM2',
    sign: (input) => encodeSignature(sm2SignRaw(input, key, options), spec.encoding),
  };
}

export function createSm2Verifier(spec: SignSpec, key: Sm2PublicKeyMaterial): Verifier {
  const options = sm2Options(spec);
  return {
    verify: (input, signature) => {
      const raw = decodeSignature(signature, spec.encoding);
      return raw !== undefined && sm2VerifyRaw(input, raw, key.publicKeyHex, options);
    },
  };
}

/**
 * Returns what to hand the library. With `hash: true` it computes SM3(Z || M)
 * from the message bytes. With `hash: false` it signs its input as e directly,
 * so for prehash `none` the input is SM3(M), computed here.
 */
function libraryInput(message: string, options: Sm2SignOptions, publicKeyHex: string): { input: Uint8Array; hash: boolean } {
  const bytes = signInputBytes(message);

  // OpenSSL's SM3 (through node:crypto) hashes a 30 KB payload many times
  // faster than the library's JavaScript SM3; the library then signs e as is.
  // Only the hash comes from OpenSSL: the SM2 arithmetic stays in the library.
  if (NATIVE_SM3) {
    const hash = createHash('sm3');
    if (options.prehash === 'z') hash.update(cachedZ(publicKeyHex, options.userId));
    return { input: new Uint8Array(hash.update(bytes).digest()), hash: false };
  }

  if (options.prehash === 'z') return { input: bytes, hash: true };
  return { input: new Uint8Array(Buffer.from(sm3(bytes), 'hex')), hash: false };
}

const NATIVE_SM3 = getHashes().includes('sm3');

/** Z per (public key, user ID); it depends on nothing else, and a run signs thousands of messages with one key. */
const zByKey = new Map<string, Uint8Array>();

function cachedZ(publicKeyHex: string, userId: string): Uint8Array {
  const cacheKey = `${publicKeyHex}\u0000${userId}`;
  let z = zByKey.get(cacheKey);
  if (!z) {
    z = Uint8Array.from(sm2.getZ(publicKeyHex, userId));
    if (zByKey.size > 64) zByKey.clear();
    zByKey.set(cacheKey, z);
  }
  return z;
}
