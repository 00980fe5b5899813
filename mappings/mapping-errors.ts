import { OwhError } from '../config/errors.js';
import { bi, type Bilingual } from '../config/i18n.js';
import { showValue } from './field-problems.js';
import type { MappingOrigin } from './mapping-schema.js';

/** One finding in a mapping file, with the place it was found. */
export interface MappingIssue {
  path: ReadonlyArray<string | number>;
  line?: number;
  col?: number;
  value?: unknown;
  reason: Bilingual;
  /** Point at the key itself rather than its value (an unknown key). */
  atKey?: boolean;
}

/** Renders a key path as `fields.copNo.type` or `tests[0].input`. */
export function formatKeyPath(path: ReadonlyArray<string | number | symbol>): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text === '' ? '(root)' : text;
}

/** Adds the line and column of an issue's key path, when the origin can locate it. */
export function placeIssue(origin: MappingOrigin | undefined, issue: MappingIssue): MappingIssue {
  if (issue.line !== undefined || origin === undefined) return issue;

  const place = origin.locate(issue.path, issue.atKey ? 'key' : 'value');
  return place === undefined ? issue : { ...issue, line: place.line, col: place.col };
}

/**
 * Builds the 'config' error for a mapping file: one line per issue with the
 * file, line, column, key path, value and reason, in both languages.
 */
export function mappingConfigError(file: string, issues: MappingIssue[], cause?: unknown): OwhError {
  const zhLines: string[] = [];
  const enLines: string[] = [];

  for (const issue of issues) {
    const key = formatKeyPath(issue.path);
    const place = issue.line === undefined ? { zh: '', en: '' } : { zh: `第 ${issue.line} 行第 ${issue.col} 列，`, en: `line ${issue.line} column ${issue.col}, ` };
    const value = issue.value === undefined ? { zh: '', en: '' } : { zh: `，当前值 ${showValue(issue.value)}`, en: `, value ${showValue(issue.value)}` };

    zhLines.push(`  - ${place.zh}键 ${key}${value.zh}：${issue.reason['zh-CN']}`);
    enLines.push(`  - ${place.en}key ${key}${value.en}: ${issue.reason.en}`);
  }

  const text = bi(
    `映射文件 ${file} 有 ${issues.length} 处错误，请修改后重试：\n${zhLines.join('\n')}`,
    `Mapping file ${file} has ${issues.length} error(s); fix them and retry:\n${enLines.join('\n')}`,
  );
  return new OwhError('config', text, { cause, details: { file, issues } });
}
