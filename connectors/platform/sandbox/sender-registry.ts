import { existsSync, readFileSync } from 'node:fs';

import { OwhError } from '../../../config/errors.js';
import { bi } from '../../../config/i18n.js';
import { parsePublicKey } from '../key-files.js';
import type { Profile } from '../profile-schema.js';
import { type Verifier, createVerifier } from '../signer.js';

/**
 * An enterprise as the platform registers it at onboarding: the senderId it
 * issued, the public key the enterprise filed, and the interfaces opened.
 */
export interface SenderRegistration {
  senderId: string;
  /** A key file path, or the key text itself (PEM, SPKI base64, or SM2 hex). */
  publicKey: string;
  algorithm: 'SM2' | 'RSA2';
  /** Interface IDs opened for this sender. */
  interfaces: string[];
}

export interface RegisteredSender {
  registration: SenderRegistration;
  verifier: Verifier;
}

/**
 * Reads each sender's public key and builds its verifier with the profile's
 * sign options and the sender's own algorithm. Raises a bilingual error for a
 * repeated senderId or a key that cannot be read.
 */
export function buildSenderRegistry(profile: Profile, senders: SenderRegistration[]): Map<string, RegisteredSender> {
  const registry = new Map<string, RegisteredSender>();

  for (const registration of senders) {
    if (registry.has(registration.senderId)) {
      throw new OwhError(
        'config',
        bi(
          `发送方 ${registration.senderId} 重复登记。每个 senderId 只能登记一次。`,
          `sender ${registration.senderId} is registered twice. Register each senderId once.`,
        ),
      );
    }

    const { text, source } = readKeyText(registration.publicKey);
    const key = parsePublicKey(text, registration.algorithm, source);
    const verifier = createVerifier({ ...profile.sign, algorithm: registration.algorithm }, key);
    registry.set(registration.senderId, { registration, verifier });
  }
  return registry;
}

/** Treats the value as key text when it looks like a key, else as a file path. */
function readKeyText(value: string): { text: string; source: string } {
  const looksLikeKeyText = value.includes('-----BEGIN') || /^[0-9A-Za-z+/=\s]{64,}$/.test(value.trim());
  if (looksLikeKeyText) return { text: value, source: '(inline public key)' };

  if (!existsSync(value)) {
    throw new OwhError(
      'config',
      bi(
        `找不到发送方公钥文件：${value}。请检查路径，或直接填写公钥内容（PEM 或十六进制）。`,
        `sender public key file not found: ${value}. Check the path, or give the key text itself (PEM or hex).`,
      ),
      { details: { path: value } },
    );
  }
  return { text: readFileSync(value, 'utf8'), source: value };
}
