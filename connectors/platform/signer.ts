import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import type { PrivateKeyMaterial, PublicKeyMaterial } from './key-files.js';
import type { SignSpec } from './profile-schema.js';
import { createRsaSigner, createRsaVerifier } from './rsa-signer.js';
import { createSm2Signer, createSm2Verifier } from './sm2-signer.js';

/** Signs a sign input (UTF-8 text) and returns the signature text in the profile's encoding. */
export interface Signer {
  readonly algorithm: 'SM2' | 'RSA2';
  sign(input: string): string;
}

/** Checks a signature text against a sign input; malformed signatures return false. */
export interface Verifier {
  verify(input: string, signature: string): boolean;
}

/** Creates the signer for the profile's algorithm; the key must be of the same algorithm. */
export function createSigner(spec: SignSpec, key: PrivateKeyMaterial): Signer {
  assertSameAlgorithm(spec, key.algorithm);
  return key.algorithm === 'SM2' ? createSm2Signer(spec, key) : createRsaSigner(spec, key);
}

/** Creates the verifier for the profile's algorithm; the key must be of the same algorithm. */
export function createVerifier(spec: SignSpec, key: PublicKeyMaterial): Verifier {
  assertSameAlgorithm(spec, key.algorithm);
  return key.algorithm === 'SM2' ? createSm2Verifier(spec, key) : createRsaVerifier(spec, key);
}

function assertSameAlgorithm(spec: SignSpec, keyAlgorithm: 'SM2' | 'RSA2'): void {
  if (spec.algorithm === keyAlgorithm) return;

  throw new OwhError(
    'key',
    bi(
      `签名算法为 ${spec.algorithm}，但密钥是 ${keyAlgorithm} 密钥。请改用 ${spec.algorithm} 密钥，或把平台配置的 sign.algorithm 改为 ${keyAlgorithm}。`,
      `the sign algorithm is ${spec.algorithm} but the key is a ${keyAlgorithm} key. Use a ${spec.algorithm} key, or set the profile's sign.algorithm to ${keyAlgorithm}.`,
    ),
    { details: { expected: spec.algorithm, actual: keyAlgorithm } },
  );
}
