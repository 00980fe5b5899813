import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import type { ColumnInfo, ColumnKind } from './column-types.js';
import { classifyDateText, truncatePartialDate } from './datetime-text.js';
import type { PartialDatePolicy, ZeroDatePolicy } from './source-reader.js';
import type { QualityIssue, SourceValue } from './source-types.js';

/**
 * The driver-independent step of reading a row: binary to base64, UTC
 * timestamps to `…Z` text, and the zero-date and partial-date policies.
 * Drivers have already turned numbers and dates into text where needed.
 */

export interface DatePolicies {
  zeroDates: ZeroDatePolicy;
  partialDates: PartialDatePolicy;
}

/** Origin of a value (source, table, key), for QualityIssues and errors. */
export interface ValueOrigin {
  source: string;
  table: string;
  key: string[];
}

const UTC_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:Z|[+-]00(?::?00)?)?$/;

/**
 * Turns UTC datetime text (`2024-06-11 08:00:01.123456`, optionally with a
 * `+00` suffix as PG prints it in a UTC session) into `2024-06-11T08:00:01.123456Z`.
 * Text in another shape (`infinity`, BC dates) is returned unchanged.
 */
export function utcTextToInstant(text: string): string {
  const match = UTC_TEXT.exec(text);
  if (!match) return text;
  return `${match[1]}T${match[2]}Z`;
}

/** Returns a key or cursor value as text, exactly as read. */
export function valueText(value: unknown, column: string, origin: ValueOrigin): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');

  throw new OwhError(
    'config',
    bi(
      `源 ${origin.source} 的表 ${origin.table} 中，键或游标列 ${column} 的值为 ${String(value)}，无法作为位置。请选择非空的整数、文本或日期时间列作为键和游标，或用 COALESCE 给出替代值。`,
      `Source ${origin.source}, table ${origin.table}: key or cursor column ${column} holds ${String(value)}, which cannot mark a position. Use NOT NULL integer, text or datetime columns for key and cursor, or give a fallback with COALESCE.`,
    ),
    { details: { source: origin.source, table: origin.table, column, key: origin.key } },
  );
}

/** Returns the Position text of a cursor value: timestamps as `…Z`, everything else as read. */
export function cursorText(value: unknown, kind: ColumnKind, origin: ValueOrigin): string {
  const text = valueText(value, 'cursor', origin);
  return kind === 'timestamptz' ? utcTextToInstant(text) : text;
}

/**
 * Converts one driver row to a source row. Date values that name no real day
 * follow the policies; a finding goes to `issues`, or throws an OwhError
 * under the 'error' policy.
 */
export function convertRow(
  raw: Record<string, unknown>,
  columns: ColumnInfo[],
  policies: DatePolicies,
  origin: ValueOrigin,
  issues: QualityIssue[],
): Record<string, SourceValue> {
  const row: Record<string, SourceValue> = {};

  for (const column of columns) {
    const value = raw[column.name];
    row[column.name] = convertValue(value, column, policies, origin, issues);
  }
  return row;
}

function convertValue(
  value: unknown,
  column: ColumnInfo,
  policies: DatePolicies,
  origin: ValueOrigin,
  issues: QualityIssue[],
): SourceValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') return value.toString();

  if (value instanceof Date) {
    // Every date type has a text parser; a Date here means one was bypassed.
    throw new OwhError(
      'internal',
      bi(
        `源 ${origin.source} 的列 ${column.name} 被驱动转换成了 JS Date，日期可能已按主机时区偏移。这是读取器的缺陷，请报告。`,
        `Source ${origin.source}: the driver turned column ${column.name} into a JS Date, which may have shifted it by the host's zone. This is a reader bug; please report it.`,
      ),
    );
  }

  const isDateKind = column.kind === 'date' || column.kind === 'datetime' || column.kind === 'timestamptz';
  if (typeof value === 'string' && isDateKind) {
    const checked = applyDatePolicies(value, column.name, policies, origin, issues);
    if (checked === null || column.kind !== 'timestamptz') return checked;
    return utcTextToInstant(checked);
  }

  return value as SourceValue;
}

function applyDatePolicies(
  text: string,
  column: string,
  policies: DatePolicies,
  origin: ValueOrigin,
  issues: QualityIssue[],
): string | null {
  const found = classifyDateText(text);
  if (found === 'valid' || found === 'unparsed') return text;

  // A day the calendar lacks (2024-02-30) is as unusable as a zero date.
  let rule: QualityIssue['rule'] = 'invalid-date';
  if (found === 'zero') rule = 'zero-date';
  else if (found === 'partial') rule = 'partial-date';
  const policy = rule === 'partial-date' ? policies.partialDates : policies.zeroDates;

  if (policy === 'error') throw dateError(text, column, rule, origin);

  const action = policy === 'passthrough' ? 'passthrough' : 'null';
  issues.push({ table: origin.table, column, key: origin.key, value: text, rule, action });
  return action === 'passthrough' ? truncatePartialDate(text) : null;
}

function dateError(text: string, column: string, rule: QualityIssue['rule'], origin: ValueOrigin): OwhError {
  const setting = rule === 'partial-date' ? 'partialDates' : 'zeroDates';
  const key = origin.key.join(', ');

  return new OwhError(
    'records-rejected',
    bi(
      `源 ${origin.source} 表 ${origin.table} 键 (${key}) 的列 ${column} 值为 "${text}"，不是有效日期（${rule}），且 ${setting} 设为 error。请修正该行，或把 ${setting} 改为 null 以读为空值并记录数据质量问题。`,
      `Source ${origin.source}, table ${origin.table}, key (${key}): column ${column} holds "${text}", which is not a real date (${rule}), and ${setting} is 'error'. Fix the row, or set ${setting} to 'null' to read it as null with a data-quality issue.`,
    ),
    { details: { source: origin.source, table: origin.table, column, key: origin.key, value: text, rule } },
  );
}
