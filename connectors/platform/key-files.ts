import { type KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { type Stats, readFileSync, statSync } from 'node:fs';

import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import {
  KeyFormatError,
  assertSm2PrivateScalar,
  decodePem,
  normalizeSm2PublicKeyHex,
  parseSm2Pkcs8,
  parseSm2Sec1,
  parseSm2Spki,
  sm2PublicKeyFromPrivate,
  withKeyFormatErrors,
} from './sm2-key-codec.js';

/** Signature algorithm names as the profile spells them. */
export type KeyAlgorithm = 'SM2' | 'RSA2';

/** An SM2 private key with its public point, both as lower-case hex. */
export interface Sm2PrivateKeyMaterial {
  algorithm: 'SM2';
  /** Private scalar, 64 hex digits. */
  privateKeyHex: string;
  /** Uncompressed public point `04` + x + y, 130 hex digits. */
  publicKeyHex: string;
}

export interface Sm2PublicKeyMaterial {
  algorithm: 'SM2';
  publicKeyHex: string;
}

export interface RsaPrivateKeyMaterial {
  algorithm: 'RSA2';
  keyObject: KeyObject;
}

export interface RsaPublicKeyMaterial {
  algorithm: 'RSA2';
  keyObject: KeyObject;
}

export type PrivateKeyMaterial = Sm2PrivateKeyMaterial | RsaPrivateKeyMaterial;
export type PublicKeyMaterial = Sm2PublicKeyMaterial | RsaPublicKeyMaterial;

/**
 * Loads a private key file. Rejects a file that the group or others can read,
 * because anyone who reads it can sign messages in the enterprise's name.
 */
export function loadPrivateKey(path: string, algorithm: KeyAlgorithm): PrivateKeyMaterial {
  assertPrivateFileMode(path);
  return parsePrivateKey(readKeyFile(path), algorithm, path);
}

/** Loads a public key file (PEM, base64 SPKI, or SM2 hex). */
export function loadPublicKey(path: string, algorithm: KeyAlgorithm): PublicKeyMaterial {
  return parsePublicKey(readKeyFile(path), algorithm, path);
}

/**
 * Parses private key text. SM2: 64 hex digits, PKCS#8 PEM (`PRIVATE KEY`) or
 * SEC1 PEM (`EC PRIVATE KEY` or `SM2 PRIVATE KEY`). RSA: any PEM that node:crypto reads.
 * `source` names the file in error messages.
 */
export function parsePrivateKey(text: string, algorithm: KeyAlgorithm, source: string): PrivateKeyMaterial {
  if (algorithm === 'RSA2') return parseRsaPrivateKey(text, source);

  const trimmed = text.trim();
  try {
    if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
      const privateKeyHex = assertSm2PrivateScalar(trimmed);
      return { algorithm: 'SM2', privateKeyHex, publicKeyHex: sm2PublicKeyFromPrivate(privateKeyHex) };
    }

    const pem = decodePem(trimmed);
    if (pem?.label === 'PRIVATE KEY') return { algorithm: 'SM2', ...withKeyFormatErrors(() => parseSm2Pkcs8(pem.der)) };
    // OpenSSL 3's `openssl ec` labels a SEC1 SM2 key "SM2 PRIVATE KEY"; other tools write "EC PRIVATE KEY".
    if (pem?.label === 'EC PRIVATE KEY' || pem?.label === 'SM2 PRIVATE KEY') {
      return { algorithm: 'SM2', ...withKeyFormatErrors(() => parseSm2Sec1(pem.der)) };
    }

    const found = pem ? `a PEM block "${pem.label}"` : 'neither 64 hex digits nor a PEM block';
    throw new KeyFormatError(`expected an SM2 private key, found ${found}`);
  } catch (error) {
    if (error instanceof KeyFormatError) error.message += rsaHint(text);
    throw keyFormatOwhError(error, 'private', source, 'SM2');
  }
}

/**
 * Parses public key text. SM2: hex (`04…` 130 digits, 128 digits, or
 * compressed 66), SPKI PEM, or the SPKI base64 without PEM lines. RSA: SPKI
 * or PKCS#1 PEM, or SPKI base64.
 */
export function parsePublicKey(text: string, algorithm: KeyAlgorithm, source: string): PublicKeyMaterial {
  const trimmed = text.trim();

  if (algorithm === 'RSA2') return parseRsaPublicKey(trimmed, source);

  try {
    if (/^[0-9a-fA-F]+$/.test(trimmed)) return { algorithm: 'SM2', publicKeyHex: normalizeSm2PublicKeyHex(trimmed) };

    const pem = decodePem(trimmed);
    if (pem && pem.label !== 'PUBLIC KEY') {
      throw new KeyFormatError(`expected a "PUBLIC KEY" PEM block, found "${pem.label}"`);
    }
    const der = pem ? pem.der : new Uint8Array(Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'));
    return { algorithm: 'SM2', publicKeyHex: withKeyFormatErrors(() => parseSm2Spki(der)) };
  } catch (error) {
    throw keyFormatOwhError(error, 'public', source, 'SM2');
  }
}

/** Returns the public half of a private key. */
export function publicKeyOf(key: PrivateKeyMaterial): PublicKeyMaterial {
  if (key.algorithm === 'SM2') return { algorithm: 'SM2', publicKeyHex: key.publicKeyHex };
  return { algorithm: 'RSA2', keyObject: createPublicKey(key.keyObject) };
}

/**
 * Rejects a private key file whose mode lets the group or others read or
 * write it. Windows has no such mode bits, so the check is skipped there.
 */
export function assertPrivateFileMode(path: string): void {
  if (process.platform === 'win32') return;

  const mode = statKeyFile(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;

  const octalMode = '0' + mode.toString(8).padStart(3, '0');
  throw new OwhError(
    'key',
    bi(
      `私钥文件 ${path} 的权限为 ${octalMode}，同组用户或其他用户可以读取。请执行 chmod 600 ${path} 后重试。`,
      `private key file ${path} has mode ${octalMode}, so group or other users can read it. Run chmod 600 ${path} and retry.`,
    ),
    { details: { path, mode: octalMode } },
  );
}

function parseRsaPrivateKey(text: string, source: string): RsaPrivateKeyMaterial {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(text);
  } catch (error) {
    throw keyOwhError('private', source, 'RSA2', 'node:crypto could not read it as a PEM private key', error);
  }

  if (keyObject.asymmetricKeyType !== 'rsa') {
    const detail = `it contains a ${keyObject.asymmetricKeyType ?? 'unknown'} key, not an RSA key`;
    throw keyOwhError('private', source, 'RSA2', detail);
  }
  return { algorithm: 'RSA2', keyObject };
}

function parseRsaPublicKey(text: string, source: string): RsaPublicKeyMaterial {
  let keyObject: KeyObject;
  try {
    keyObject = text.startsWith('-----BEGIN')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  } catch (error) {
    throw keyOwhError('public', source, 'RSA2', 'node:crypto could not read it as a PEM or SPKI public key', error);
  }

  if (keyObject.asymmetricKeyType !== 'rsa') {
    throw keyOwhError('public', source, 'RSA2', `it contains a ${keyObject.asymmetricKeyType ?? 'unknown'} key, not an RSA key`);
  }
  return { algorithm: 'RSA2', keyObject };
}

/** Adds a hint when an RSA key was given where SM2 is configured. */
function rsaHint(text: string): string {
  try {
    return createPrivateKey(text).asymmetricKeyType === 'rsa' ? ' (the file contains an RSA key, so pass --alg rsa or set sign.algorithm to RSA2)' : '';
  } catch {
    return '';
  }
}

function keyFormatOwhError(error: unknown, half: 'private' | 'public', source: string, algorithm: KeyAlgorithm): unknown {
  if (!(error instanceof KeyFormatError)) return error;
  return keyOwhError(half, source, algorithm, error.message, error);
}

function keyOwhError(
  half: 'private' | 'public',
  source: string,
  algorithm: KeyAlgorithm,
  detail: string,
  cause?: unknown,
): OwhError {
  const zhHalf = half === 'private' ? '私钥' : '公钥';
  return new OwhError(
    'key',
    bi(
      `无法读取${zhHalf}文件 ${source}（算法 ${algorithm}）：${detail}。请检查文件内容，或用 owh-sync keys generate 生成新密钥。`,
      `cannot read ${half} key file ${source} (algorithm ${algorithm}): ${detail}. Check the file, or create new keys with owh-sync keys generate.`,
    ),
    { cause, details: { path: source, algorithm } },
  );
}

function readKeyFile(path: string): string {
  statKeyFile(path);
  return readFileSync(path, 'utf8');
}

function statKeyFile(path: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new OwhError(
        'key',
        bi(
          `密钥文件不存在：${path}。请用 --key/--public 指定文件，或先执行 owh-sync keys generate。`,
          `key file not found: ${path}. Pass the file with --key/--public, or run owh-sync keys generate first.`,
        ),
        { cause: error, details: { path } },
      );
    }
    throw new OwhError(
      'key',
      bi(`无法读取密钥文件 ${path}：${code ?? String(error)}`, `cannot read key file ${path}: ${code ?? String(error)}`),
      { cause: error, details: { path } },
    );
  }
}
