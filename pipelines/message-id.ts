import { createHash } from 'node:crypto';

/**
 * Derives a messageId (an upper-case UUID) from the pipeline name, the
 * batch's place and its content. The same batch rebuilt after a crash gets
 * the same id, and two pipelines with equal ranges never collide, because the
 * pipeline name is part of the input.
 */
export function deriveMessageId(parts: ReadonlyArray<string>, upperCase = true): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();

  // Shape the first 16 bytes like a version 8 (custom) RFC 9562 UUID.
  digest[6] = (digest[6] & 0x0f) | 0x80;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  const hex = digest.subarray(0, 16).toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return upperCase ? id.toUpperCase() : id;
}
