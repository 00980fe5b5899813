import { constants, sign, verify } from 'node:crypto';

import type { RsaPrivateKeyMaterial, RsaPublicKeyMaterial } from './key-files.js';
import type { SignSpec } from './profile-schema.js';
import { signInputBytes } from './sign-input-bytes.js';
import type { Signer, Verifier } from './signer.js';
import { decodeBase64Strict, decodeHexStrict } from './signature-codec.js';

/**
 * RSA2: SHA256withRSA with PKCS#1 v1.5 padding, through node:crypto. The
 * signature is base64, or hex when the profile's encoding is a hex one. The
 * raw/DER distinction of SM2 does not apply to RSA and is ignored.
 */

function usesHex(spec: SignSpec): boolean {
  return spec.encoding === 'hexRaw' || spec.encoding === 'hexDer';
}

export function createRsaSigner(spec: SignSpec, key: RsaPrivateKeyMaterial): Signer {
  return {
    algorithm: 'RSA2',
    sign: (input) => {
      const signature = sign('sha256', signInputBytes(input), { key: key.keyObject, padding: constants.RSA_PKCS1_PADDING });
      return signature.toString(usesHex(spec) ? 'hex' : 'base64');
    },
  };
}

export function createRsaVerifier(spec: SignSpec, key: RsaPublicKeyMaterial): Verifier {
  return {
    verify: (input, signature) => {
      const bytes = usesHex(spec) ? decodeHexStrict(signature) : decodeBase64Strict(signature);
      if (!bytes) return false;

      return verify('sha256', signInputBytes(input), { key: key.keyObject, padding: constants.RSA_PKCS1_PADDING }, bytes);
    },
  };
}
