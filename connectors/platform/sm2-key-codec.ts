import { sm2 } from 'sm-crypto-v2';

import {
  DerError,
  TAG,
  encodeBitString,
  encodeElement,
  encodeObjectIdentifier,
  encodeSequence,
  encodeUnsignedInteger,
  expectTag,
  readBitStringBytes,
  readChildren,
  readObjectIdentifier,
  readSingle,
  readUnsignedInteger,
} from './asn1-der.js';

/**
 * SM2 key encodings: PKCS#8 and SEC1 private keys, SPKI public keys, and the
 * bare hex forms. Keys are carried as lower-case hex because sm-crypto-v2
 * takes them that way: the private scalar as 64 hex digits, the public point
 * uncompressed as `04` + x + y (130 hex digits).
 */

/** Curve OID of SM2 (GM/T 0006), used both as curve and as algorithm ID. */
export const SM2_OID = '1.2.156.10197.1.301';
const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

// SM2 recommended curve parameters (GM/T 0003.5), for point checks.
const P = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF');
const A = P - 3n;
const B = BigInt('0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93');
export const SM2_ORDER = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');

/** Invalid key bytes or text; key-files.ts turns it into a message with the path. */
export class KeyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFormatError';
  }
}

export interface Sm2KeyPairHex {
  privateKeyHex: string;
  publicKeyHex: string;
}

/**
 * Checks a private scalar: 64 hex digits with 1 <= d <= n-2, the range
 * GM/T 0003 allows (d = n-1 has no inverse of 1 + d).
 */
export function assertSm2PrivateScalar(hex: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new KeyFormatError(`SM2 private key must be 64 hex digits, got ${hex.length} characters`);
  }
  const d = BigInt('0x' + hex);
  if (d < 1n || d > SM2_ORDER - 2n) throw new KeyFormatError('SM2 private key is outside the range 1..n-2');
  return hex.toLowerCase();
}

/** Derives the uncompressed public key (`04…`, 130 hex) of a private scalar. */
export function sm2PublicKeyFromPrivate(privateKeyHex: string): string {
  return sm2.getPublicKeyFromPrivateKey(assertSm2PrivateScalar(privateKeyHex)).toLowerCase();
}

/**
 * Normalises a public key given as hex to the uncompressed form: accepts
 * `04` + x + y (130), x + y without prefix (128) and compressed `02`/`03` + x
 * (66). Rejects points that are not on the SM2 curve.
 */
export function normalizeSm2PublicKeyHex(text: string): string {
  const hex = text.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) throw new KeyFormatError('SM2 public key hex contains non-hex characters');

  let x: bigint;
  let y: bigint;
  if (hex.length === 130 && hex.startsWith('04')) {
    x = BigInt('0x' + hex.slice(2, 66));
    y = BigInt('0x' + hex.slice(66));
  } else if (hex.length === 128) {
    x = BigInt('0x' + hex.slice(0, 64));
    y = BigInt('0x' + hex.slice(64));
  } else if (hex.length === 66 && (hex.startsWith('02') || hex.startsWith('03'))) {
    x = BigInt('0x' + hex.slice(2));
    y = decompressY(x, hex.startsWith('03'));
  } else {
    throw new KeyFormatError(
      `SM2 public key hex must be 130 digits starting 04, 128 digits, or 66 digits starting 02/03; got ${hex.length} digits`,
    );
  }

  if (x >= P || y >= P || mod(y * y - (x * x * x + A * x + B), P) !== 0n) {
    throw new KeyFormatError('SM2 public key is not a point on the SM2 curve');
  }
  return '04' + x.toString(16).padStart(64, '0') + y.toString(16).padStart(64, '0');
}

/** Reads a PKCS#8 PrivateKeyInfo that contains an SM2 key. */
export function parseSm2Pkcs8(der: Uint8Array): Sm2KeyPairHex {
  const [version, algorithm, privateKey] = readChildren(readSingle(der, TAG.sequence).value);
  if (!version || !algorithm || !privateKey) throw new KeyFormatError('PKCS#8 structure is incomplete');

  readUnsignedInteger(version);
  const [algorithmOid, parameters] = readChildren(expectTag(algorithm, TAG.sequence).value);
  const algorithmId = readObjectIdentifier(algorithmOid);
  // OpenSSL writes id-ecPublicKey with the SM2 curve as parameter; some tools write the SM2 OID itself.
  const curveId = parameters && parameters.tag === TAG.objectIdentifier ? readObjectIdentifier(parameters) : undefined;
  if (!(algorithmId === SM2_OID || (algorithmId === EC_PUBLIC_KEY_OID && curveId === SM2_OID))) {
    throw new KeyFormatError(`PKCS#8 key is not an SM2 key (algorithm ${algorithmId}, curve ${curveId ?? 'none'})`);
  }

  return parseSm2Sec1(expectTag(privateKey, TAG.octetString).value);
}

/** Reads a SEC1 ECPrivateKey (`EC PRIVATE KEY` or `SM2 PRIVATE KEY` PEM) that contains an SM2 key. */
export function parseSm2Sec1(der: Uint8Array): Sm2KeyPairHex {
  const [version, privateKey, ...optional] = readChildren(readSingle(der, TAG.sequence).value);
  if (!version || !privateKey) throw new KeyFormatError('SEC1 ECPrivateKey structure is incomplete');
  readUnsignedInteger(version);

  const scalar = expectTag(privateKey, TAG.octetString).value;
  if (scalar.length > 32) throw new KeyFormatError(`SEC1 private key is ${scalar.length} bytes, SM2 needs 32`);
  const privateKeyHex = assertSm2PrivateScalar(Buffer.from(scalar).toString('hex').padStart(64, '0'));

  let embeddedPublicKey: string | undefined;
  for (const field of optional) {
    if (field.tag === TAG.context0) {
      const curveId = readObjectIdentifier(readSingle(field.value, TAG.objectIdentifier));
      if (curveId !== SM2_OID) throw new KeyFormatError(`EC key is on curve ${curveId}, not SM2 (${SM2_OID})`);
    }
    if (field.tag === TAG.context1) {
      embeddedPublicKey = normalizeSm2PublicKeyHex(Buffer.from(readBitStringBytes(readSingle(field.value, TAG.bitString))).toString('hex'));
    }
  }

  // The embedded public key is only a cache of d*G; a mismatch means a corrupted or edited file.
  const publicKeyHex = sm2PublicKeyFromPrivate(privateKeyHex);
  if (embeddedPublicKey !== undefined && embeddedPublicKey !== publicKeyHex) {
    throw new KeyFormatError('the public key stored in the private key file does not match its private scalar');
  }
  return { privateKeyHex, publicKeyHex };
}

/** Reads a SubjectPublicKeyInfo that contains an SM2 public key. */
export function parseSm2Spki(der: Uint8Array): string {
  const [algorithm, subjectPublicKey] = readChildren(readSingle(der, TAG.sequence).value);
  if (!algorithm || !subjectPublicKey) throw new KeyFormatError('SubjectPublicKeyInfo structure is incomplete');

  const [algorithmOid, parameters] = readChildren(expectTag(algorithm, TAG.sequence).value);
  const algorithmId = readObjectIdentifier(algorithmOid);
  const curveId = parameters && parameters.tag === TAG.objectIdentifier ? readObjectIdentifier(parameters) : undefined;
  if (!(algorithmId === SM2_OID || (algorithmId === EC_PUBLIC_KEY_OID && curveId === SM2_OID))) {
    throw new KeyFormatError(`public key is not an SM2 key (algorithm ${algorithmId}, curve ${curveId ?? 'none'})`);
  }

  return normalizeSm2PublicKeyHex(Buffer.from(readBitStringBytes(subjectPublicKey)).toString('hex'));
}

/** Writes an SM2 key pair as PKCS#8 DER, in the layout OpenSSL 3 writes. */
export function encodeSm2Pkcs8(key: Sm2KeyPairHex): Uint8Array {
  const sec1 = encodeSequence(
    encodeUnsignedInteger(new Uint8Array([1])),
    encodeElement(TAG.octetString, Buffer.from(key.privateKeyHex, 'hex')),
    encodeElement(TAG.context1, encodeBitString(Buffer.from(key.publicKeyHex, 'hex'))),
  );

  return encodeSequence(
    encodeUnsignedInteger(new Uint8Array([0])),
    encodeSequence(encodeObjectIdentifier(EC_PUBLIC_KEY_OID), encodeObjectIdentifier(SM2_OID)),
    encodeElement(TAG.octetString, sec1),
  );
}

/** Writes an SM2 public key as SubjectPublicKeyInfo DER. */
export function encodeSm2Spki(publicKeyHex: string): Uint8Array {
  return encodeSequence(
    encodeSequence(encodeObjectIdentifier(EC_PUBLIC_KEY_OID), encodeObjectIdentifier(SM2_OID)),
    encodeBitString(Buffer.from(normalizeSm2PublicKeyHex(publicKeyHex), 'hex')),
  );
}

/** Wraps DER bytes as PEM with 64-character lines. */
export function encodePem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ''].join('\n');
}

/** Returns the label and DER bytes of the first PEM block, or undefined when there is none. */
export function decodePem(text: string): { label: string; der: Uint8Array } | undefined {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) return undefined;

  const body = match[2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new KeyFormatError(`PEM block "${match[1]}" contains invalid base64`);
  return { label: match[1], der: new Uint8Array(Buffer.from(body, 'base64')) };
}

/** Runs a DER parse and reports structural errors as key format errors. */
export function withKeyFormatErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof DerError) throw new KeyFormatError(`invalid DER: ${error.message}`);
    throw error;
  }
}

function decompressY(x: bigint, odd: boolean): bigint {
  const rhs = mod(x * x * x + A * x + B, P);
  // P ≡ 3 (mod 4), so a square root is rhs^((P+1)/4) when one exists.
  const root = modPow(rhs, (P + 1n) / 4n, P);
  if (mod(root * root, P) !== rhs) throw new KeyFormatError('compressed SM2 public key has no point on the curve');
  return (root & 1n) === (odd ? 1n : 0n) ? root : P - root;
}

function mod(value: bigint, modulus: bigint): bigint {
  const rest = value % modulus;
  return rest < 0n ? rest + modulus : rest;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = mod(base, modulus);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}
