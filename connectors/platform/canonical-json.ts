import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';

// canonicalize 2.x is CommonJS (`module.exports = serialize`) but its typings
// declare an ES default export, so under NodeNext TypeScript types the default
// import as the module object. At run time the default import is the function.
const serialize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/**
 * Serialises a value as RFC 8785 canonical JSON: keys sorted by UTF-16 code
 * units, no whitespace, ECMAScript number formatting. Two bodies with the same
 * content give the same text whatever their key order. Throws for values JSON
 * cannot carry (undefined at the top, NaN, Infinity, BigInt).
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = serialize(value);
  } catch (error) {
    throw new OwhError(
      'internal',
      bi(
        `无法生成规范 JSON：${String(error)}。请在映射中把该值转换为字符串或数字。`,
        `cannot build canonical JSON: ${String(error)}. Convert the value to a string or number in the mapping.`,
      ),
      { cause: error },
    );
  }

  if (text === undefined) {
    throw new OwhError(
      'internal',
      bi(`无法生成规范 JSON：值为 ${typeof value}。`, `cannot build canonical JSON of a value of type ${typeof value}.`),
    );
  }
  return text;
}

/** Computes the SHA-256 (hex) of a value's canonical JSON. The ledger compares records by this hash. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
