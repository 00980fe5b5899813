import { bi } from '../config/i18n.js';
import { failure, toProblem, type MappingProblem } from './field-problems.js';
import { compileMappingExpression, ExpressionCompileError, scanNames, type ExpressionEnvironment, type ExpressionScope } from './expressions.js';
import { parseJsonPath, readJsonPath, type PathStep } from './json-path.js';
import { lookupKey } from './lookups.js';
import type { MappingIssue } from './mapping-errors.js';
import type { FieldMapping } from './mapping-schema.js';
import { makeConverter, type Converter } from './value-converters.js';
import { zoneOrUndefined } from './zoned-datetime.js';

/** Result of one field on one row: a value, an omitted field (maybe with a warning), or a problem. */
export type FieldOutcome =
  | { kind: 'value'; value: unknown }
  | { kind: 'omit'; warning?: MappingProblem }
  | { kind: 'problem'; problem: MappingProblem };

export interface CompiledField {
  name: string;
  /** Source column named by `column`, for messages. */
  column: string | undefined;
  /** Row columns the field reads (its column or its expression's names). */
  columns: string[];
  /** Parent columns a line field reads through `parent.col`. */
  parentColumns: string[];
  read(scope: ExpressionScope, path: string): FieldOutcome;
}

export interface FieldCompileContext {
  env: ExpressionEnvironment;
  /** Key path of the field in the file, for error positions. */
  keyPath: Array<string | number>;
  issues: MappingIssue[];
}

const OMIT: FieldOutcome = { kind: 'omit' };

function isBlank(value: unknown, keepEmpty: boolean): boolean {
  return value === null || value === undefined || (value === '' && !keepEmpty);
}

/**
 * Compiles one field: its value source (column, const or expr), JSON path,
 * lookup, default, unit conversion and target type. Problems in the mapping
 * itself go to `ctx.issues`. The returned reader reports row errors as
 * outcomes instead of throwing.
 */
export function compileField(name: string, field: FieldMapping, ctx: FieldCompileContext): CompiledField {
  const zones = { source: ctx.env.sourceZone, target: ctx.env.targetZone };
  if (field.sourceZone !== undefined) {
    const zone = zoneOrUndefined(field.sourceZone);
    if (zone === undefined) ctx.issues.push(unknownZoneIssue([...ctx.keyPath, 'sourceZone'], field.sourceZone));
    else zones.source = zone;
  }

  if (field.convert?.divide !== undefined && /^[+-]?0*\.?0*$/.test(field.convert.divide)) {
    ctx.issues.push({ path: [...ctx.keyPath, 'convert', 'divide'], value: field.convert.divide, reason: bi('不能除以 0', 'cannot divide by zero') });
    field = { ...field, convert: { ...field.convert, divide: undefined } };
  }

  const convert = makeConverter(field, zones);
  const readRaw = compileValueSource(field, ctx);
  const paths = compileJsonPaths(field, ctx);
  const table = compileLookup(field, ctx);
  const fallbackValue = compileDefault(field, ctx, makeConverter({ ...field, convert: undefined }, zones));
  const keepEmpty = field.keepEmpty;
  const column = field.column;

  const names = field.expr !== undefined ? scanNames(field.expr) : undefined;
  const columns = field.column !== undefined ? [field.column] : (names?.columns ?? []);
  const parentColumns = names?.parentColumns ?? [];

  const read = (scope: ExpressionScope, path: string): FieldOutcome => {
    const raw = readRaw(scope);
    if (!raw.ok) return { kind: 'problem', problem: toProblem(path, column, raw.value, raw.failure) };

    let value = raw.value;
    if (paths !== undefined) {
      const picked = pickJsonPath(value, paths, keepEmpty);
      if (!picked.ok) {
        return { kind: 'problem', problem: toProblem(path, column, value, failure('invalid_json', '不是有效的 JSON 文本', 'is not valid JSON text')) };
      }
      value = picked.value;
    }

    if (table !== undefined && !isBlank(value, keepEmpty)) {
      const key = lookupKey(value);
      const found = key === undefined ? undefined : table.entries.get(key);
      if (found !== undefined) value = found;
      else if (fallbackValue !== undefined) return { kind: 'value', value: fallbackValue.value };
      else {
        const reason = failure('lookup_missing', `查找表 ${table.name} 中没有这个值；请在表中补上，或为字段设置 default`, `lookup table ${table.name} has no entry for it; add one or set a default`);
        return { kind: 'problem', problem: toProblem(path, column, value, reason) };
      }
    }

    if (isBlank(value, keepEmpty)) return blankOutcome(path, value);

    const converted = convert(value);
    if (!converted.ok) return { kind: 'problem', problem: toProblem(path, column, value, converted.failure) };
    if (converted.value === null && 'nullReason' in converted) {
      const problem = toProblem(path, column, value, converted.nullReason);
      return field.required ? { kind: 'problem', problem } : { kind: 'omit', warning: problem };
    }
    if (isBlank(converted.value, keepEmpty)) return blankOutcome(path, value);
    return { kind: 'value', value: converted.value };
  };

  const blankOutcome = (path: string, value: unknown): FieldOutcome => {
    if (fallbackValue !== undefined) return { kind: 'value', value: fallbackValue.value };
    if (!field.required) return OMIT;
    const reason = failure('required', '必填字段为空', 'a required field is empty');
    return { kind: 'problem', problem: toProblem(path, column, value ?? null, reason) };
  };

  return { name, column, columns, parentColumns, read };
}

type RawValue = { ok: true; value: unknown } | { ok: false; value: unknown; failure: ReturnType<typeof failure> };

function compileValueSource(field: FieldMapping, ctx: FieldCompileContext): (scope: ExpressionScope) => RawValue {
  if (field.column !== undefined) {
    const column = field.column;
    return (scope) => ({ ok: true, value: Object.hasOwn(scope.row, column) ? scope.row[column] : null });
  }

  if (field.expr !== undefined) {
    const source = field.expr;
    try {
      const expression = compileMappingExpression(source, ctx.env);
      return (scope) => {
        const result = expression(scope);
        if (result.ok) return { ok: true, value: result.value };
        return { ok: false, value: null, failure: failure('expression_failed', `表达式 ${source} 执行失败：${result.error}`, `expression ${source} failed: ${result.error}`) };
      };
    } catch (error) {
      if (!(error instanceof ExpressionCompileError)) throw error;
      ctx.issues.push({ path: [...ctx.keyPath, 'expr'], value: source, reason: withOffset(error) });
      return () => ({ ok: true, value: null });
    }
  }

  const constant = field.const ?? null;
  return () => ({ ok: true, value: constant });
}

function withOffset(error: ExpressionCompileError) {
  if (error.offset === undefined) return error.reason;
  const at = error.offset + 1;
  return bi(`${error.reason['zh-CN']}（表达式第 ${at} 个字符处）`, `${error.reason.en} (at character ${at} of the expression)`);
}

function compileJsonPaths(field: FieldMapping, ctx: FieldCompileContext): PathStep[][] | undefined {
  if (field.jsonPath === undefined) {
    if (field.fallback !== undefined) {
      ctx.issues.push({ path: [...ctx.keyPath, 'fallback'], reason: bi('fallback 需要与 jsonPath 一起使用', 'fallback needs jsonPath') });
    }
    return undefined;
  }

  const texts: Array<[string, Array<string | number>]> = [[field.jsonPath, [...ctx.keyPath, 'jsonPath']]];
  (field.fallback ?? []).forEach((text, index) => texts.push([text, [...ctx.keyPath, 'fallback', index]]));

  const paths: PathStep[][] = [];
  for (const [text, keyPath] of texts) {
    const steps = parseJsonPath(text);
    if (steps === undefined) {
      ctx.issues.push({ path: keyPath, value: text, reason: bi('JSON 路径格式不对，应形如 zh_CN 或 detail[0].fee', 'invalid JSON path; write it like zh_CN or detail[0].fee') });
    } else paths.push(steps);
  }
  return paths;
}

/** Tries each path in order and returns the first value that is not blank. */
function pickJsonPath(value: unknown, paths: PathStep[][], keepEmpty: boolean): { ok: true; value: unknown } | { ok: false } {
  if (value === null || value === undefined) return { ok: true, value: null };

  for (const steps of paths) {
    const read = readJsonPath(value, steps);
    if (!read.ok) return read;
    if (!isBlank(read.value, keepEmpty)) return read;
  }
  return { ok: true, value: null };
}

function compileLookup(field: FieldMapping, ctx: FieldCompileContext) {
  if (field.lookup === undefined) return undefined;

  const entries = ctx.env.lookups.get(field.lookup);
  if (entries === undefined) {
    const known = [...ctx.env.lookups.keys()].join(', ') || '(none)';
    ctx.issues.push({
      path: [...ctx.keyPath, 'lookup'],
      value: field.lookup,
      reason: bi(`lookups 中没有名为 ${field.lookup} 的查找表；已定义：${known}`, `no lookup table named ${field.lookup} under lookups; defined: ${known}`),
    });
    return undefined;
  }
  return { name: field.lookup, entries };
}

/** Converts the default once, at compile time, so a bad default is a load error and not a row problem. */
function compileDefault(field: FieldMapping, ctx: FieldCompileContext, convert: Converter): { value: unknown } | undefined {
  if (field.default === undefined || field.default === null) return undefined;

  const converted = convert(field.default);
  if (!converted.ok || converted.value === null) {
    const reason = converted.ok ? bi('默认值不能是零日期', 'the default cannot be a zero date') : converted.failure.reason;
    ctx.issues.push({ path: [...ctx.keyPath, 'default'], value: field.default, reason: bi(`默认值无效：${reason['zh-CN']}`, `invalid default: ${reason.en}`) });
    return undefined;
  }
  return { value: converted.value };
}

export function unknownZoneIssue(path: Array<string | number>, zone: string): MappingIssue {
  return {
    path,
    value: zone,
    reason: bi(`未知的时区 ${zone}；请使用 IANA 时区名，如 Asia/Shanghai、America/Los_Angeles、UTC`, `unknown time zone ${zone}; use an IANA zone name such as Asia/Shanghai, America/Los_Angeles or UTC`),
  };
}
