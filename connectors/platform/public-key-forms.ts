import type { PublicKeyMaterial } from './key-files.js';
import { encodePem, encodeSm2Spki, normalizeSm2PublicKeyHex } from './sm2-key-codec.js';

/**
 * The forms in which a public key can be filed with the platform (公钥备案).
 * Which one the portal accepts is not public, so every form is offered.
 */
export interface PublicKeyForms {
  /** SM2 only: uncompressed point `04` + x + y, 130 hex digits. */
  uncompressedHex?: string;
  /** SubjectPublicKeyInfo DER as one base64 line (the PEM body without line breaks). */
  spkiBase64: string;
  /** SubjectPublicKeyInfo as PEM (`-----BEGIN PUBLIC KEY-----`). */
  spkiPem: string;
}

/** Renders an SM2 public key as uncompressed hex `04…`. */
export function renderSm2PublicKeyHex(key: PublicKeyMaterial): string {
  if (key.algorithm !== 'SM2') throw new TypeError('uncompressed hex exists only for SM2 public keys');
  return normalizeSm2PublicKeyHex(key.publicKeyHex);
}

/** Renders a public key as SubjectPublicKeyInfo DER in base64, on one line. */
export function renderPublicKeySpkiBase64(key: PublicKeyMaterial): string {
  return Buffer.from(spkiDer(key)).toString('base64');
}

/** Renders a public key as SubjectPublicKeyInfo PEM, ending with a newline. */
export function renderPublicKeySpkiPem(key: PublicKeyMaterial): string {
  return encodePem('PUBLIC KEY', spkiDer(key));
}

/** Renders every form at once. */
export function renderPublicKeyForms(key: PublicKeyMaterial): PublicKeyForms {
  const forms: PublicKeyForms = { spkiBase64: renderPublicKeySpkiBase64(key), spkiPem: renderPublicKeySpkiPem(key) };
  if (key.algorithm === 'SM2') forms.uncompressedHex = renderSm2PublicKeyHex(key);
  return forms;
}

function spkiDer(key: PublicKeyMaterial): Uint8Array {
  if (key.algorithm === 'SM2') return encodeSm2Spki(key.publicKeyHex);
  return new Uint8Array(key.keyObject.export({ type: 'spki', format: 'der' }));
}
