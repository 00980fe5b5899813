import type { FieldProblem } from '../pipelines/record-types.js';
import { bi, type Bilingual } from '../config/i18n.js';

/** A field problem that also names the source column it came from, when there is one. */
export interface MappingProblem extends FieldProblem {
  column?: string;
}

/** Reason a value could not be mapped. Converters return it, and the compiler adds path and column. */
export interface ValueFailure {
  code: string;
  reason: Bilingual;
}

export function failure(code: string, zh: string, en: string): ValueFailure {
  return { code, reason: bi(zh, en) };
}

/** Renders a source value for a message: strings quoted, long values shortened. */
export function showValue(value: unknown): string {
  let text: string;

  if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }

  const chars = Array.from(text);
  return chars.length > 120 ? `${chars.slice(0, 117).join('')}...` : text;
}

/** Builds the full bilingual problem for one target field. */
export function toProblem(path: string, column: string | undefined, value: unknown, fail: ValueFailure): MappingProblem {
  const from = column === undefined ? { zh: '', en: '' } : { zh: `（源列 ${column}）`, en: ` (source column ${column})` };
  const shown = showValue(value);

  const problem: MappingProblem = {
    path,
    value,
    code: fail.code,
    message: bi(
      `字段 ${path}${from.zh} 的值 ${shown} 无法映射：${fail.reason['zh-CN']}`,
      `Field ${path}${from.en} with value ${shown} cannot be mapped: ${fail.reason.en}`,
    ),
  };
  if (column !== undefined) problem.column = column;
  return problem;
}
