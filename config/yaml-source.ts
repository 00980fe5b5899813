import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

import { OwhError } from './errors.js';
import { type Bilingual, bi } from './i18n.js';

/** Parsed YAML file with the source position of each key. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses YAML text, turning syntax errors into an error with line and column. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, prettyErrors: true });

  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const [line, col] = first.linePos?.[0] ? [first.linePos[0].line, first.linePos[0].col] : [0, 0];
    throw new OwhError(
      'config',
      bi(
        `${file}:${line}:${col} YAML 语法错误：${first.message}。请修正该行的缩进、引号或冒号。`,
        `${file}:${line}:${col} invalid YAML: ${first.message}. Fix the indentation, quotes or colon on that line.`,
      ),
      { details: { file, line, col } },
    );
  }
  return { file, doc, lines };
}

/** Returns `file:line:col` of the node at `path`, or of its nearest existing parent. */
export function locate(source: YamlSource, path: ReadonlyArray<PropertyKey>): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = source.doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) {
      const pos = source.lines.linePos(node.range[0]);
      return `${source.file}:${pos.line}:${pos.col}`;
    }
  }
  return source.file;
}

/** Renders a key path as `pipelines.goods.batchSize`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[');
}

/**
 * Turns the first zod issue into an error naming the file position, the key,
 * the value found and, where the issue lists them, the allowed values.
 */
export function issueToError(source: YamlSource, value: unknown, issue: z.core.$ZodIssue, what: Bilingual): OwhError {
  // An unknown key is reported at its own line, not at its parent's.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const where = locate(source, path);
  const key = formatPath(path) || '(root)';
  const found = describeValue(valueAt(value, path));
  const allowed = allowedValues(issue);
  const allowedZh = allowed ? `；允许的值：${allowed}` : '';
  const allowedEn = allowed ? `; allowed values: ${allowed}` : '';

  return new OwhError(
    'config',
    bi(
      `${where} ${what['zh-CN']}中的键 ${key} 无效：${issueInChinese(issue, valueAt(value, path))}（当前值 ${found}${allowedZh}）。请修改该键后重试。`,
      `${where} invalid key ${key} in ${what.en}: ${issue.message} (found ${found}${allowedEn}). Fix the key and retry.`,
    ),
    { details: { where, key, issue } },
  );
}

function valueAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** Key names whose values an error message must never show. */
const SECRET_KEY = /pass(word)?|secret|token|private|credential|key$/i;

function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(maskSecrets(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Replaces the values of secret-looking keys, at any depth, by `***`. */
function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;

  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, SECRET_KEY.test(key) ? '***' : maskSecrets(item)]),
  );
}

function allowedValues(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_value') return issue.values.map((v) => JSON.stringify(v)).join(', ');
  if (issue.code === 'unrecognized_keys') return undefined;
  return undefined;
}

/** Describes the common zod issues in Chinese, since zod's own messages are English. */
function issueInChinese(issue: z.core.$ZodIssue, found: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      // zod leaves the input out of its issues, so the value comes from the file.
      return found === undefined ? '缺少必填项' : `类型错误，应为 ${issue.expected}`;
    case 'invalid_value':
      return '取值不在允许范围内';
    case 'unrecognized_keys':
      return `不认识的键：${issue.keys.join(', ')}（请检查拼写）`;
    case 'too_small':
      return `过小或过短，最小为 ${String(issue.minimum)}`;
    case 'too_big':
      return `过大或过长，最大为 ${String(issue.maximum)}`;
    case 'invalid_format':
      return `格式错误，应为 ${issue.format}`;
    case 'custom':
      // Cross-key checks carry their Chinese text in params.zh.
      return typeof issue.params?.zh === 'string' ? issue.params.zh : issue.message;
    default:
      return issue.message;
  }
}
