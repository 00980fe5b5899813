import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';

/**
 * SQL text with bound values kept apart until a driver session renders it.
 * Sessions render values their own way (MySQL as escaped literals over the
 * text protocol, PG as $n parameters, SQLite as ? parameters), and never
 * scan the user's fragments for placeholders, so a `?` inside a user's
 * where clause stays a `?`.
 */

/** Comparison kind of a bound value: number, datetime or text. */
export type BoundKind = 'number' | 'datetime' | 'timestamptz' | 'text';

export interface BoundValue {
  bound: true;
  value: string;
  kind: BoundKind;
}

export type SqlPart = string | BoundValue;

export function bind(value: string, kind: BoundKind): BoundValue {
  if (kind === 'number' && !NUMBER_TEXT.test(value)) {
    throw new OwhError(
      'config',
      bi(
        `位置值 "${value}" 不是数字，但对应的列是数值类型。请检查保存的检查点是否属于这个数据源。`,
        `Position value "${value}" is not a number, but its column is numeric. Check that the stored checkpoint belongs to this source.`,
      ),
      { details: { value } },
    );
  }
  if ((kind === 'datetime' || kind === 'timestamptz') && !DATETIME_TEXT.test(value)) {
    throw new OwhError(
      'config',
      bi(
        `位置值 "${value}" 不是 YYYY-MM-DD HH:MM:SS[.ffffff] 形式的日期时间。请检查保存的检查点或上界。`,
        `Position value "${value}" is not a datetime of the form YYYY-MM-DD HH:MM:SS[.ffffff]. Check the stored checkpoint or upper bound.`,
      ),
      { details: { value } },
    );
  }
  return { bound: true, value, kind };
}

/** Digits with an optional sign and fraction: safe to write into SQL as a numeric literal. */
export const NUMBER_TEXT = /^-?\d+(?:\.\d+)?$/;

/** A date or datetime, optionally with a `Z`: contains no quote or backslash. */
const DATETIME_TEXT = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)?Z?$/;

export function isBound(part: SqlPart): part is BoundValue {
  return typeof part !== 'string';
}

/** Joins lists of parts with a separator. */
export function joinParts(lists: SqlPart[][], separator: string): SqlPart[] {
  const out: SqlPart[] = [];

  lists.forEach((list, index) => {
    if (index > 0) out.push(separator);
    out.push(...list);
  });
  return out;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/** Returns whether `text` is a plain (optionally schema-qualified) column or table name. */
export function isIdentifier(text: string): boolean {
  return IDENTIFIER.test(text);
}

/**
 * Quotes a possibly schema-qualified name with the dialect's quote
 * character, doubling the quote inside. Names that are not plain
 * identifiers are quoted whole, so `order` and `下单时间` both work.
 */
export function quoteName(name: string, quote: '`' | '"'): string {
  const parts = isIdentifier(name) ? name.split('.') : [name];
  return parts.map((part) => `${quote}${part.split(quote).join(quote + quote)}${quote}`).join('.');
}
