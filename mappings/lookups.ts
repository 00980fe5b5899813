import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { bi } from '../config/i18n.js';
import { mappingConfigError, placeIssue, type MappingIssue } from './mapping-errors.js';
import type { LookupDefinition, MappingFile } from './mapping-schema.js';

export type LookupValue = string | number | boolean;

/** Lookup tables by name, keyed by the source value's text. */
export type LookupTables = Map<string, Map<string, LookupValue>>;

function isFileRef(definition: LookupDefinition): definition is { file: string } {
  const keys = Object.keys(definition);
  return keys.length === 1 && keys[0] === 'file' && typeof definition.file === 'string';
}

/**
 * Replaces every `{ file: path }` lookup with the table read from that file
 * (YAML or JSON, a flat map), relative to the mapping's folder. Throws
 * OwhError('config') naming the lookup and the file.
 */
export function resolveLookupFiles(mapping: MappingFile): void {
  if (mapping.lookups === undefined) return;

  const baseDir = mapping.origin?.baseDir ?? process.cwd();
  const file = mapping.origin?.file ?? '(mapping)';
  const issues: MappingIssue[] = [];

  for (const [name, definition] of Object.entries(mapping.lookups)) {
    if (!isFileRef(definition)) continue;

    const lookupPath = path.resolve(baseDir, definition.file);
    const issuePath = ['lookups', name, 'file'];
    let content: unknown;
    try {
      content = parseYaml(readFileSync(lookupPath, 'utf8'));
    } catch (error) {
      issues.push(placeIssue(mapping.origin, {
        path: issuePath,
        value: definition.file,
        reason: bi(`无法读取查找表文件 ${lookupPath}：${String(error)}`, `cannot read lookup file ${lookupPath}: ${String(error)}`),
      }));
      continue;
    }

    const table = checkFlatTable(content);
    if (table === undefined) {
      issues.push(placeIssue(mapping.origin, {
        path: issuePath,
        value: definition.file,
        reason: bi(
          `查找表文件 ${lookupPath} 必须是“键: 值”的平铺映射，值为字符串、数字或布尔`,
          `lookup file ${lookupPath} must be a flat map of key: value, with string, number or boolean values`,
        ),
      }));
      continue;
    }
    mapping.lookups[name] = table;
  }

  if (issues.length > 0) throw mappingConfigError(file, issues);
}

function checkFlatTable(content: unknown): Record<string, LookupValue> | undefined {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) return undefined;

  const table: Record<string, LookupValue> = {};
  for (const [key, value] of Object.entries(content)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
    table[key] = value;
  }
  return table;
}

/** Builds the lookup maps; a file reference that was not resolved is a config error. */
export function buildLookupTables(mapping: MappingFile): LookupTables {
  const tables: LookupTables = new Map();

  for (const [name, definition] of Object.entries(mapping.lookups ?? {})) {
    if (isFileRef(definition)) {
      throw mappingConfigError(mapping.origin?.file ?? '(mapping)', [placeIssue(mapping.origin, {
        path: ['lookups', name],
        value: definition,
        reason: bi('查找表文件尚未读取；请用 loadMapping() 加载映射文件', 'the lookup file was not read; load the mapping with loadMapping()'),
      })]);
    }
    tables.set(name, new Map(Object.entries(definition as Record<string, LookupValue>)));
  }
  return tables;
}

/** Key text of a source value in a lookup table: strings as they are, numbers and booleans as text. */
export function lookupKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
