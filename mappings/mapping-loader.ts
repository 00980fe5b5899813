import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { bi } from '../config/i18n.js';
import { mappingConfigError, placeIssue, type MappingIssue } from './mapping-errors.js';
import {
  ALLOWED_KEYS_MARKER,
  MappingFileSchema,
  ONE_OF_MARKER,
  type MappingFile,
  type MappingOrigin,
} from './mapping-schema.js';
import { resolveLookupFiles } from './lookups.js';

/**
 * Reads, validates and completes a mapping file: lookup files are read
 * relative to the mapping's folder. Throws OwhError('config') naming the
 * file, line, column, key path and value of every problem.
 */
export function loadMapping(filePath: string): MappingFile {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw mappingConfigError(filePath, [{ path: [], reason: bi(`无法读取文件：${String(error)}`, `cannot read the file: ${String(error)}`) }], error);
  }

  return parseMapping(text, filePath, path.dirname(path.resolve(filePath)));
}

/** Parses mapping text; `file` names it in errors and `baseDir` anchors lookup files. */
export function parseMapping(text: string, file: string, baseDir: string): MappingFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: false });
  const origin = makeOrigin(doc, lineCounter, file, baseDir);

  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error): MappingIssue => {
      const place = lineCounter.linePos(error.pos[0]);
      return { path: [], line: place.line, col: place.col, reason: bi(`YAML 语法错误：${error.message}`, `YAML syntax error: ${error.message}`) };
    });
    throw mappingConfigError(file, issues);
  }

  const parsed = MappingFileSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => placeIssue(origin, describeZodIssue(issue, doc)));
    throw mappingConfigError(file, issues, parsed.error);
  }

  const mapping = parsed.data as MappingFile;
  Object.defineProperty(mapping, 'origin', { value: origin, enumerable: false });
  resolveLookupFiles(mapping);
  return mapping;
}

function makeOrigin(doc: Document, lineCounter: LineCounter, file: string, baseDir: string): MappingOrigin {
  return {
    file,
    baseDir,
    locate(keyPath, at = 'value') {
      if (at === 'key' && keyPath.length > 0) {
        const parent = doc.getIn(keyPath.slice(0, -1), true);
        const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === keyPath[keyPath.length - 1]) : undefined;
        if (pair !== undefined && isNode(pair.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]);
      }

      // Walk down as far as the document has nodes, so a missing key points at its parent.
      for (let depth = keyPath.length; depth >= 0; depth--) {
        const node = doc.getIn(keyPath.slice(0, depth), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
      }
      return undefined;
    },
  };
}

/** Turns a zod issue into a bilingual reason with the value found and, where known, the allowed values. */
function describeZodIssue(issue: z.core.$ZodIssue, doc: Document): MappingIssue {
  const issuePath = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const value = valueAt(doc, issuePath);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = issue.message.startsWith(ALLOWED_KEYS_MARKER) ? issue.message.slice(ALLOWED_KEYS_MARKER.length) : '';
      const keys = issue.keys.join(', ');
      return {
        path: [...issuePath, issue.keys[0] ?? ''],
        atKey: true,
        reason: bi(`未知的键 ${keys}；允许的键：${allowed}`, `unknown key ${keys}; allowed keys: ${allowed}`),
      };
    }

    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return { path: issuePath, value, reason: bi(`取值无效，允许的值：${allowed}`, `invalid value; allowed values: ${allowed}`) };
    }

    case 'invalid_type':
      if (value === undefined) {
        return { path: issuePath, reason: bi(`缺少必填的键（应为 ${issue.expected}）`, `required key is missing (expected ${issue.expected})`) };
      }
      return { path: issuePath, value, reason: bi(`类型不对，应为 ${issue.expected}`, `wrong type; expected ${issue.expected}`) };

    case 'custom':
      if (issue.message.startsWith(ONE_OF_MARKER)) {
        const names = issue.message.slice(ONE_OF_MARKER.length);
        return { path: issuePath, reason: bi(`必须且只能给出以下键之一：${names}`, `give exactly one of these keys: ${names}`) };
      }
      return { path: issuePath, value, reason: bi(issue.message, issue.message) };

    case 'too_small':
    case 'too_big':
      return { path: issuePath, value, reason: bi(`超出允许范围：${issue.message}`, `out of the allowed range: ${issue.message}`) };

    case 'invalid_union':
      return {
        path: issuePath,
        value,
        reason: bi('格式不对，请对照文档中该键的写法', 'does not match any allowed form of this key; see the reference for its forms'),
      };

    default:
      return { path: issuePath, value, reason: bi(`无效：${issue.message}`, `invalid: ${issue.message}`) };
  }
}

function valueAt(doc: Document, keyPath: Array<string | number>): unknown {
  const node = doc.getIn(keyPath, true);
  if (node === undefined) return undefined;
  if (isMap(node) || isSeq(node)) return (node as { toJSON(): unknown }).toJSON();
  return isNode(node) ? node.toJSON() : node;
}
