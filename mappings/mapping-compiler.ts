import type { SourceRow } from '../connectors/sources/source-types.js';
import { bi } from '../config/i18n.js';
import { compileField, unknownZoneIssue, type CompiledField } from './field-compiler.js';
import { failure, toProblem, type MappingProblem } from './field-problems.js';
import { compileMappingExpression, ExpressionCompileError, scanNames, type ExpressionEnvironment, type ExpressionScope } from './expressions.js';
import { isDecimalLike, toDecimal } from './decimal-values.js';
import { buildLookupTables } from './lookups.js';
import { mappingConfigError, placeIssue, type MappingIssue } from './mapping-errors.js';
import type { ChildMapping, MappingFile } from './mapping-schema.js';
import { zoneOrUndefined } from './zoned-datetime.js';

/** Comparison kind of cursor values; the source reader infers it when absent. */
export type CursorKind = 'datetime' | 'timestamptz' | 'integer' | 'text';

export interface CompileContext {
  /** IANA zone of naive datetimes in the source database. */
  sourceZone: string;
  /** IANA zone of the platform's datetimes, from the profile. */
  targetZone: string;
  /** Pipeline name, for error messages. */
  pipeline: string;
  /** The profile's recordKey fields for this kind; used when the mapping sets no recordKey. */
  recordKey?: string[];
}

export interface CompiledChild {
  field: string;
  table?: string;
  query?: string;
  parentKey: string;
  parentColumn: string;
  key: string[];
  orderBy: string[];
  changeCursor?: { column: string; kind?: CursorKind };
  where?: string;
  /** Child columns the mapping reads, including keys and orderBy. */
  columns: string[];
}

export type MapResult =
  | { ok: true; key: string; op: 'upsert' | 'delete'; body: Record<string, unknown>; warnings: MappingProblem[] }
  | { ok: false; key: string; problems: MappingProblem[] };

export interface CompiledMapping {
  kind: string;
  source: { table?: string; query?: string; key: string[]; cursor: { column: string; kind?: CursorKind }; where?: string; columns?: string[] };
  children: CompiledChild[];
  /**
   * Turns one source row plus its child rows into a record body, or problems.
   * Pure: all parsing and expression compilation happened in compileMapping.
   */
  map(row: SourceRow, children: Record<string, SourceRow[]>): MapResult;
}

/** Separator between the values of a recordKey given as a list of fields. */
export const RECORD_KEY_SEPARATOR = '|';

interface ChildPlan {
  spec: CompiledChild;
  fields: CompiledField[];
}

/**
 * Compiles a validated mapping for one pipeline: zones, lookups, expressions,
 * JSON paths and defaults are checked here, and every finding is reported at
 * once as OwhError('config') with the file's line and column.
 */
export function compileMapping(file: MappingFile, context: CompileContext): CompiledMapping {
  const issues: MappingIssue[] = [];
  const sourceZone = zoneOrUndefined(context.sourceZone);
  const targetZone = zoneOrUndefined(context.targetZone);
  if (sourceZone === undefined) issues.push(unknownZoneIssue(['source'], context.sourceZone));
  if (targetZone === undefined) issues.push(unknownZoneIssue([], context.targetZone));

  const env: ExpressionEnvironment = {
    sourceZone: sourceZone ?? zoneOrUndefined('UTC')!,
    targetZone: targetZone ?? zoneOrUndefined('UTC')!,
    lookups: buildLookupTables(file),
  };

  const fields = Object.entries(file.fields).map(([name, field]) => compileField(name, field, { env, keyPath: ['fields', name], issues }));
  const children = Object.entries(file.children ?? {}).map(([name, child]) => compileChild(name, child, file, env, issues));
  const isDeleted = compileDeleteRule(file, env, issues);
  const recordKey = compileRecordKey(file, context, issues);

  if (issues.length > 0) {
    const label = `${file.origin?.file ?? '(mapping)'} (pipeline ${context.pipeline})`;
    throw mappingConfigError(label, issues.map((issue) => placeIssue(file.origin, issue)));
  }

  const columns = sourceColumns(file, fields, children, recordKey.columns);

  return {
    kind: file.kind,
    source: {
      ...(file.source.table !== undefined && { table: file.source.table }),
      ...(file.source.query !== undefined && { query: file.source.query }),
      key: file.source.key,
      cursor: { column: file.source.cursor.column, kind: file.source.cursor.kind },
      ...(file.source.where !== undefined && { where: file.source.where }),
      columns,
    },
    children: children.map((child) => child.spec),
    map: (row, childRows) => mapRow(row, childRows, fields, children, isDeleted, recordKey.build),
  };
}

function mapRow(
  row: SourceRow,
  childRows: Record<string, SourceRow[]>,
  fields: CompiledField[],
  children: ChildPlan[],
  isDeleted: (scope: ExpressionScope) => { ok: true; value: boolean } | { ok: false; problem: MappingProblem },
  buildKey: (row: SourceRow, body: Record<string, unknown>) => string,
): MapResult {
  const scope: ExpressionScope = { row };
  const body: Record<string, unknown> = {};
  const problems: MappingProblem[] = [];
  const warnings: MappingProblem[] = [];

  for (const field of fields) collect(field.read(scope, field.name), field.name, body, problems, warnings);

  for (const child of children) {
    const rows = sortRows(childRows[child.spec.field] ?? [], child.spec.orderBy);
    const lines: Array<Record<string, unknown>> = [];

    rows.forEach((childRow, index) => {
      const lineScope: ExpressionScope = { row: childRow, rowNumber: index + 1, parent: row };
      const line: Record<string, unknown> = {};
      for (const field of child.fields) {
        const path = `${child.spec.field}[${index}].${field.name}`;
        collect(field.read(lineScope, path), field.name, line, problems, warnings);
      }
      lines.push(line);
    });
    body[child.spec.field] = lines;
  }

  const deleted = isDeleted(scope);
  if (!deleted.ok) problems.push(deleted.problem);

  const key = buildKey(row, body);
  if (problems.length > 0) return { ok: false, key, problems };
  return { ok: true, key, op: deleted.ok && deleted.value ? 'delete' : 'upsert', body, warnings };
}

function collect(
  outcome: ReturnType<CompiledField['read']>,
  name: string,
  target: Record<string, unknown>,
  problems: MappingProblem[],
  warnings: MappingProblem[],
): void {
  if (outcome.kind === 'value') target[name] = outcome.value;
  else if (outcome.kind === 'problem') problems.push(outcome.problem);
  else if (outcome.warning !== undefined) warnings.push(outcome.warning);
}

/**
 * Sorts child rows by the orderBy columns. Numbers and numeric text (BIGINT
 * ids arrive as text) compare by value, other text by code point, and nulls
 * come first, so the line order does not depend on how the reader sorted.
 */
function sortRows(rows: SourceRow[], orderBy: string[]): SourceRow[] {
  return [...rows].sort((a, b) => {
    for (const column of orderBy) {
      const order = compareValues(a[column] ?? null, b[column] ?? null);
      if (order !== 0) return order;
    }
    return 0;
  });
}

function compareValues(a: unknown, b: unknown): number {
  if (a === null && b === null) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (isDecimalLike(a) && isDecimalLike(b)) return toDecimal(a)!.cmp(toDecimal(b)!);

  const left = String(a);
  const right = String(b);
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

function compileChild(name: string, child: ChildMapping, file: MappingFile, env: ExpressionEnvironment, issues: MappingIssue[]): ChildPlan {
  if (Object.hasOwn(file.fields, name)) {
    issues.push({ path: ['children', name], reason: bi(`子表名 ${name} 与 fields 中的字段重名`, `child name ${name} is also a field under fields`) });
  }

  let parentColumn = child.parentColumn;
  if (parentColumn === undefined) {
    if (file.source.key.length !== 1) {
      issues.push({ path: ['children', name, 'parentKey'], reason: bi('父表主键有多列，请用 parentColumn 指明引用的父表列', 'the parent key has several columns; name the referenced parent column with parentColumn') });
    }
    parentColumn = file.source.key[0]!;
  }

  const fields = Object.entries(child.fields).map(([fieldName, field]) =>
    compileField(fieldName, field, { env, keyPath: ['children', name, 'fields', fieldName], issues }),
  );
  const orderBy = child.orderBy ?? child.key;
  const columns = unique([child.parentKey, ...child.key, ...orderBy, ...fields.flatMap((field) => field.columns)]);
  if (child.changeCursor !== undefined && isPlainColumn(child.changeCursor.column)) columns.push(child.changeCursor.column);

  const spec: CompiledChild = {
    field: name,
    ...(child.table !== undefined && { table: child.table }),
    ...(child.query !== undefined && { query: child.query }),
    parentKey: child.parentKey,
    parentColumn,
    key: child.key,
    orderBy,
    ...(child.changeCursor !== undefined && { changeCursor: { column: child.changeCursor.column, kind: child.changeCursor.kind } }),
    ...(child.where !== undefined && { where: child.where }),
    columns: unique(columns),
  };
  return { spec, fields };
}

function compileDeleteRule(file: MappingFile, env: ExpressionEnvironment, issues: MappingIssue[]) {
  const when = file.source.deleted?.when;
  if (when === undefined) return () => ({ ok: true as const, value: false });

  try {
    const expression = compileMappingExpression(when, env);
    return (scope: ExpressionScope) => {
      const result = expression(scope);
      if (result.ok) return { ok: true as const, value: isTruthy(result.value) };
      const reason = failure('expression_failed', `软删除规则 ${when} 执行失败：${result.error}`, `soft-delete rule ${when} failed: ${result.error}`);
      return { ok: false as const, problem: toProblem('$deleted', undefined, null, reason) };
    };
  } catch (error) {
    if (!(error instanceof ExpressionCompileError)) throw error;
    issues.push({ path: ['source', 'deleted', 'when'], value: when, reason: error.reason });
    return () => ({ ok: true as const, value: false });
  }
}

/** Truth of a rule's result: booleans as they are, 0, '', '0' and null are false. */
function isTruthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined || value === '' || value === '0') return false;
  if (isDecimalLike(value)) return !toDecimal(value)!.eq('0');
  return true;
}

function compileRecordKey(file: MappingFile, context: CompileContext, issues: MappingIssue[]) {
  const declared = file.recordKey ?? context.recordKey;

  if (declared === undefined) {
    issues.push({ path: ['recordKey'], reason: bi('缺少 recordKey，且未从平台配置文件得到默认值；请设置 recordKey', 'recordKey is missing and the profile gave no default; set recordKey') });
    return { columns: [], build: () => '' };
  }

  if (typeof declared === 'string') {
    const parts = declared.split(/(\{[^{}]+\})/).filter((part) => part !== '');
    const columns = parts.filter((part) => part.startsWith('{')).map((part) => part.slice(1, -1).trim());
    if (columns.length === 0) {
      issues.push({ path: ['recordKey'], value: declared, reason: bi('recordKey 模板至少要引用一列，如 "{asn_code}"', 'a recordKey template must name at least one column, like "{asn_code}"') });
    }
    return {
      columns,
      build: (row: SourceRow) =>
        parts.map((part) => (part.startsWith('{') ? keyText(row[part.slice(1, -1).trim()]) : part)).join(''),
    };
  }

  const missing = declared.filter((name) => !Object.hasOwn(file.fields, name));
  if (missing.length > 0) {
    issues.push({ path: ['recordKey'], value: declared, reason: bi(`recordKey 引用了 fields 中不存在的字段：${missing.join(', ')}`, `recordKey names fields that are not under fields: ${missing.join(', ')}`) });
  }
  return {
    columns: [],
    build: (_row: SourceRow, body: Record<string, unknown>) => declared.map((name) => keyText(body[name])).join(RECORD_KEY_SEPARATOR),
  };
}

function keyText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Columns the reader must select: keys, columns the fields and rules read, and parent columns the children use. */
function sourceColumns(file: MappingFile, fields: CompiledField[], children: ChildPlan[], keyColumns: string[]): string[] {
  const columns = [...file.source.key, ...fields.flatMap((field) => field.columns), ...keyColumns];
  if (file.source.deleted !== undefined) columns.push(...scanNames(file.source.deleted.when).columns);
  if (isPlainColumn(file.source.cursor.column)) columns.push(file.source.cursor.column);

  for (const child of children) {
    columns.push(child.spec.parentColumn, ...child.fields.flatMap((field) => field.parentColumns));
  }
  return unique(columns);
}

/** Tells a column name from SQL: a cursor like COALESCE(a, b) is not a column to select. */
function isPlainColumn(text: string): boolean {
  return /^[A-Za-z_][\w$]*$/.test(text);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
