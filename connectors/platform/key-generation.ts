import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { sm2 } from 'sm-crypto-v2';

import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import type { KeyAlgorithm, PrivateKeyMaterial } from './key-files.js';
import { parsePrivateKey, publicKeyOf } from './key-files.js';
import { renderPublicKeySpkiPem } from './public-key-forms.js';
import { encodePem, encodeSm2Pkcs8 } from './sm2-key-codec.js';

/** RSA modulus size for generated keys; 2048 bits is the common floor for SHA256withRSA. */
const RSA_MODULUS_BITS = 2048;

export const PRIVATE_KEY_FILE = 'private.pem';
export const PUBLIC_KEY_FILE = 'public.pem';

export interface GeneratedKeyFiles {
  privateKeyFile: string;
  publicKeyFile: string;
  key: PrivateKeyMaterial;
}

/**
 * Generates a key pair: SM2 through sm-crypto-v2 (its randomness comes from
 * the Web Crypto API), RSA through node:crypto. Returns the private key as
 * PKCS#8 PEM, which OpenSSL and this tool both read.
 */
export function generatePrivateKeyPem(algorithm: KeyAlgorithm): string {
  if (algorithm === 'RSA2') {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: RSA_MODULUS_BITS });
    return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  const pair = sm2.generateKeyPairHex();
  const privateKeyHex = pair.privateKey.padStart(64, '0').toLowerCase();
  const publicKeyHex = pair.publicKey.toLowerCase();
  return encodePem('PRIVATE KEY', encodeSm2Pkcs8({ privateKeyHex, publicKeyHex }));
}

/**
 * Writes `private.pem` (mode 0600) and `public.pem` (SPKI) into a directory,
 * creating it with mode 0700 when missing. Rejects existing files unless
 * `force` is set.
 */
export function writeKeyPairFiles(directory: string, algorithm: KeyAlgorithm, force: boolean): GeneratedKeyFiles {
  const privateKeyFile = join(directory, PRIVATE_KEY_FILE);
  const publicKeyFile = join(directory, PUBLIC_KEY_FILE);

  const existing = [privateKeyFile, publicKeyFile].filter((file) => existsSync(file));
  if (existing.length > 0 && !force) {
    const list = existing.join(', ');
    throw new OwhError(
      'key',
      bi(
        `密钥文件已存在：${list}。已向平台备案的公钥会因覆盖而失效；确需替换请加 --force，或用 --out 指定其他目录。`,
        `key files already exist: ${list}. Overwriting them invalidates the public key filed with the platform; pass --force to replace them, or --out for another directory.`,
      ),
      { details: { existing } },
    );
  }

  mkdirSync(directory, { recursive: true, mode: 0o700 });

  const privatePem = generatePrivateKeyPem(algorithm);
  const key = parsePrivateKey(privatePem, algorithm, privateKeyFile);
  const publicPem = renderPublicKeySpkiPem(publicKeyOf(key));

  writeFileAtomically(privateKeyFile, privatePem, 0o600);
  writeFileAtomically(publicKeyFile, publicPem, 0o644);
  return { privateKeyFile, publicKeyFile, key };
}

/**
 * Writes through a temporary file and a rename, so a replaced private key is
 * never readable with the old file's looser mode, and an interrupted write
 * leaves the old file intact.
 */
function writeFileAtomically(path: string, content: string, mode: number): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;

  try {
    writeFileSync(temporary, content, { mode, flag: 'wx' });
    // The umask may have cleared bits of `mode`; chmod sets exactly the intended mode.
    chmodSync(temporary, mode);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new OwhError(
      'key',
      bi(`无法写入密钥文件 ${path}：${String(error)}`, `cannot write key file ${path}: ${String(error)}`),
      { cause: error, details: { path } },
    );
  }
}
