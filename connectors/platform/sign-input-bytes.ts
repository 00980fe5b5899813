import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';

// A lone UTF-16 surrogate: a high one not followed by a low one, or a low one without a high one before it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Encodes a sign input as UTF-8. Rejects text with a lone surrogate, because
 * UTF-8 encoders replace it with U+FFFD, so the bytes signed would differ
 * from the text the receiver decodes.
 */
export function signInputBytes(input: string): Uint8Array {
  const match = LONE_SURROGATE.exec(input);
  if (match) {
    const code = match[0].charCodeAt(0).toString(16).toUpperCase();
    throw new OwhError(
      'config',
      bi(
        `待签名文本在位置 ${match.index} 处含有不成对的代理字符 U+${code}，无法按 UTF-8 签名。请检查发送方标识等配置值。`,
        `sign input has a lone surrogate U+${code} at index ${match.index} and cannot be signed as UTF-8. Check configured values such as the sender ID.`,
      ),
    );
  }
  return new TextEncoder().encode(input);
}
