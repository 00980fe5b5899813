import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Document, LineCounter, isNode, parseDocument } from 'yaml';
import type { z } from 'zod';
import { OwhError } from '../../config/errors.js';
import { type Bilingual, bi } from '../../config/i18n.js';
import { applyOverrides } from './profile-overrides.js';
import { type ProfileProblem, checkProfileReferences } from './profile-references.js';
import { type Profile, ProfileSchema } from './profile-schema.js';

/** The profile bundled with owh-sync, used when the config names no other file. */
export const DEFAULT_PROFILE_PATH = fileURLToPath(new URL('./profiles/szceb-owh.default.yaml', import.meta.url));

export interface LoadProfileOptions {
  /** Profile file; the bundled default when absent. */
  file?: string;
  /** Dotted keys to set, or nested objects to merge (see applyOverrides). */
  overrides?: Record<string, unknown>;
}

/** At most this many problems are written into one error message; details keep all of them. */
const MAX_LISTED_PROBLEMS = 20;

/**
 * Reads a platform profile, applies overrides, validates it against
 * ProfileSchema and checks its cross-references. Every call reads the file
 * again: nothing is cached, so tests and reloads see the current file.
 * Throws OwhError('config') naming the file, key path, value and what is allowed.
 */
export function loadProfile(options: LoadProfileOptions = {}): Profile {
  const file = path.resolve(options.file ?? DEFAULT_PROFILE_PATH);
  const { document, lines } = readDocument(file);

  // A JSON round trip gives each YAML alias its own copy, so an override of one spot changes only that spot.
  const data: unknown = JSON.parse(JSON.stringify(document.toJS() ?? null));
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new OwhError(
      'config',
      bi(`平台配置文件 ${file} 的顶层不是键值映射。请使用默认配置的结构。`, `platform profile ${file} is not a mapping at the top level. Start from the default profile's layout.`),
      { details: { file } },
    );
  }

  const touched = applyOverrides(data as Record<string, unknown>, options.overrides ?? {}, file);
  const source = { file, document, lines, touched };

  const parsed = ProfileSchema.safeParse(data);
  if (!parsed.success) {
    throw profileError(source, parsed.error.issues.flatMap((issue) => schemaProblems(issue, data)));
  }

  const problems = checkProfileReferences(parsed.data);
  if (problems.length > 0) throw profileError(source, problems);
  return parsed.data;
}

function readDocument(file: string): { document: Document; lines: LineCounter } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OwhError(
      'config',
      bi(
        `无法读取平台配置文件 ${file}：${(error as Error).message}。请检查配置项 platform.profile 的路径。`,
        `cannot read platform profile ${file}: ${(error as Error).message}. Check the path in platform.profile.`,
      ),
      { cause: error, details: { file } },
    );
  }

  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const syntax = document.errors[0];
  if (syntax) {
    const where = syntax.linePos?.[0];
    const at = where ? `${file}:${where.line}:${where.col}` : file;
    throw new OwhError(
      'config',
      bi(`平台配置文件 ${at} 不是合法的 YAML：${syntax.message}`, `platform profile ${at} is not valid YAML: ${syntax.message}`),
      { cause: syntax, details: { file, line: where?.line } },
    );
  }
  return { document, lines };
}

function valueAt(data: unknown, keys: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Turns one zod issue into problems that state what the key may hold (one per unknown key). */
function schemaProblems(issue: z.core.$ZodIssue, data: unknown): ProfileProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...issue.path.map(String), key].join('.'),
      value: valueAt(data, [...issue.path, key]),
      allowed: bi('此处没有这个键；请对照 docs/platform-profile.zh-CN.md 检查拼写', 'no key of this name exists here; check the spelling against docs/platform-profile.md'),
    }));
  }
  return [schemaProblem(issue, data)];
}

function schemaProblem(issue: z.core.$ZodIssue, data: unknown): ProfileProblem {
  const keys = issue.path;
  const dotted = keys.map(String).join('.');

  switch (issue.code) {
    case 'invalid_value':
      return {
        path: dotted,
        value: valueAt(data, keys),
        allowed: bi(`以下取值之一：${issue.values.map(String).join('、')}`, `one of: ${issue.values.map(String).join(', ')}`),
      };
    case 'invalid_type': {
      const value = valueAt(data, keys);
      if (value === undefined) {
        return { path: dotted, value, allowed: bi(`必填键，类型为 ${issue.expected}`, `a required key of type ${issue.expected}`) };
      }
      return { path: dotted, value, allowed: bi(`类型为 ${issue.expected} 的值`, `a value of type ${issue.expected}`) };
    }
    case 'too_small': {
      const bound = String(issue.minimum);
      const allowed = issue.inclusive === false ? bi(`大于 ${bound}`, `more than ${bound}`) : bi(`不小于 ${bound}`, `at least ${bound}`);
      return { path: dotted, value: valueAt(data, keys), allowed };
    }
    case 'too_big': {
      const bound = String(issue.maximum);
      const allowed = issue.inclusive === false ? bi(`小于 ${bound}`, `less than ${bound}`) : bi(`不大于 ${bound}`, `at most ${bound}`);
      return { path: dotted, value: valueAt(data, keys), allowed };
    }
    default:
      return { path: dotted, value: valueAt(data, keys), allowed: bi(`符合要求的值（${issue.message}）`, `a valid value (${issue.message})`) };
  }
}

interface ProfileSource {
  file: string;
  document: Document;
  lines: LineCounter;
  touched: string[];
}

/** Describes where a key's value came from: an override, or a line of the file when the key is in it. */
function origin(source: ProfileSource, dotted: string): Bilingual {
  const overridden = source.touched.find((key) => dotted === key || dotted.startsWith(`${key}.`) || key.startsWith(`${dotted}.`));
  if (overridden) return bi(`（来自 platform.profileOverrides 的 ${overridden}）`, ` (from platform.profileOverrides key ${overridden})`);

  const keys = dotted.split('.').filter((key) => key !== '');
  for (let size = keys.length; size > 0; size--) {
    const node = source.document.getIn(keys.slice(0, size), true);
    if (isNode(node) && node.range) {
      const { line } = source.lines.linePos(node.range[0]);
      return bi(`（第 ${line} 行）`, ` (line ${line})`);
    }
  }
  return bi('', '');
}

function showValue(value: unknown): string {
  if (value === undefined) return '（缺失）/(missing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function profileError(source: ProfileSource, problems: ProfileProblem[]): OwhError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;

  const zhLines = listed.map((p) => {
    const where = origin(source, p.path)['zh-CN'];
    const value = p.value === undefined ? '缺失' : `值 ${showValue(p.value)}`;
    return `- 键 ${p.path}${where}：${value}；允许：${p.allowed['zh-CN']}`;
  });
  const enLines = listed.map((p) => {
    const where = origin(source, p.path).en;
    const value = p.value === undefined ? 'missing' : `value ${showValue(p.value)}`;
    return `- key ${p.path}${where}: ${value}; allowed: ${p.allowed.en}`;
  });
  if (more > 0) {
    zhLines.push(`- 另有 ${more} 处问题未列出`);
    enLines.push(`- ${more} more problems not listed`);
  }

  return new OwhError(
    'config',
    bi(
      `平台配置文件 ${source.file} 无效（${problems.length} 处问题）：\n${zhLines.join('\n')}\n请修改该文件，或修改配置中 platform.profileOverrides 的对应键。`,
      `invalid platform profile ${source.file} (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n${enLines.join('\n')}\nFix the file, or the matching key in platform.profileOverrides.`,
    ),
    { details: { file: source.file, problems } },
  );
}
