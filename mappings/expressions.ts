import { compileExpression } from 'filtrex';
import type { IANAZone } from 'luxon';
import { bi, type Bilingual } from '../config/i18n.js';
import { isDecimalLike, plainText, roundToText, toDecimal, Decimal, type DecimalValue, type Rounding } from './decimal-values.js';
import { parseJsonPath, readJsonPath } from './json-path.js';
import { lookupKey, type LookupTables } from './lookups.js';
import { formatInstant, formatWallDate, parseTemporal, resolveWallTime } from './zoned-datetime.js';

/**
 * Expressions in mapping files are compiled by filtrex 3.1, which gives a
 * small, side-effect-free language with no access to JS globals. This module
 * adds the mapping functions and replaces filtrex's operators, so `+ - * /`
 * and comparisons on numbers and numeric text run in big.js and return decimal
 * text. The filtrex built-ins (round, sqrt, min, ...) still use JS floats.
 */

/** Data an expression can read: the row's columns, plus line number and parent row in lines. */
export interface ExpressionScope {
  row: Record<string, unknown>;
  /** 1-based position of the line, inside a child table's fields. */
  rowNumber?: number;
  /** The parent row, inside a child table's fields. */
  parent?: Record<string, unknown>;
}

export type CompiledExpression = (scope: ExpressionScope) => { ok: true; value: unknown } | { ok: false; error: string };

export interface ExpressionEnvironment {
  sourceZone: IANAZone;
  targetZone: IANAZone;
  lookups: LookupTables;
}

/** A compile-time failure with the 0-based offset inside the expression text, when filtrex gives one. */
export class ExpressionCompileError extends Error {
  readonly offset: number | undefined;
  readonly reason: Bilingual;

  constructor(reason: Bilingual, offset?: number) {
    super(reason.en);
    this.name = 'ExpressionCompileError';
    this.reason = reason;
    this.offset = offset;
  }
}

const KEYWORDS = new Set(['and', 'or', 'not', 'if', 'then', 'else', 'in', 'of', 'mod', 'true', 'false', 'null']);
const FILTREX_BUILTINS = ['abs', 'ceil', 'floor', 'log', 'log2', 'log10', 'max', 'min', 'round', 'sqrt', 'exists', 'empty'];

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function decimalArg(value: unknown, fn: string): DecimalValue {
  const decimal = toDecimal(value);
  if (decimal === undefined) throw new Error(`${fn}: ${JSON.stringify(value)} is not a number`);
  return decimal;
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** Builds the function table; date functions close over the zones, `lookup` over the tables. */
function mappingFunctions(env: ExpressionEnvironment): Record<string, (...args: unknown[]) => unknown> {
  const toDatetime = (value: unknown, format: unknown, wantDate: boolean): string | null => {
    if (isBlank(value)) return null;
    const parsed = parseTemporal(text(value));
    let pattern = wantDate ? 'yyyyMMdd' : 'yyyyMMddHHmmss';
    if (typeof format === 'string') pattern = format;

    if (parsed.kind === 'zero' || parsed.kind === 'partial') return null;
    if (parsed.kind === 'invalid') throw new Error(`${JSON.stringify(value)} is not a valid date or datetime`);
    if (parsed.kind === 'instant') return formatInstant(parsed.epochMillis, env.targetZone, pattern);
    if (parsed.kind === 'date' && wantDate) return formatWallDate(parsed.wall, pattern);

    const resolved = resolveWallTime(parsed.wall, env.sourceZone, 'earlier', 'forward');
    if (!resolved.ok) throw new Error(`${JSON.stringify(value)} cannot be placed in ${env.sourceZone.name}`);
    return formatInstant(resolved.epochMillis, env.targetZone, pattern);
  };

  return {
    upper: (value) => (isBlank(value) ? value : text(value).toUpperCase()),
    lower: (value) => (isBlank(value) ? value : text(value).toLowerCase()),
    trim: (value) => (isBlank(value) ? value : text(value).trim()),
    // Positions and lengths count code points, like maxLength does.
    substr: (value, start, length) => {
      const chars = Array.from(text(value));
      const from = Number(start ?? 0);
      return chars.slice(from, length === undefined ? undefined : from + Number(length)).join('');
    },
    length: (value) => Array.from(text(value)).length,
    concat: (...values) => values.map(text).join(''),
    coalesce: (...values) => values.find((value) => !isBlank(value)) ?? null,
    replace: (value, search, replacement) => text(value).split(text(search)).join(text(replacement)),
    padStart: (value, width, fill) => text(value).padStart(Number(width), fill === undefined ? ' ' : text(fill)),
    str: (value) => text(value),

    dec_add: (...values) => plainText(values.reduce<DecimalValue>((sum, value) => sum.plus(decimalArg(value, 'dec_add')), new Decimal('0'))),
    dec_sub: (a, b) => plainText(decimalArg(a, 'dec_sub').minus(decimalArg(b, 'dec_sub'))),
    dec_mul: (...values) => plainText(values.reduce<DecimalValue>((product, value) => product.times(decimalArg(value, 'dec_mul')), new Decimal('1'))),
    dec_div: (a, b, scale) => {
      const quotient = decimalArg(a, 'dec_div').div(decimalArg(b, 'dec_div'));
      return scale === undefined ? plainText(quotient.round(20, 1)) : roundToText(quotient, Number(scale), 'halfUp');
    },
    dec_round: (value, scale, mode) => roundToText(decimalArg(value, 'dec_round'), Number(scale ?? 0), roundingName(mode)),

    date: (value, format) => toDatetime(value, format, true),
    datetime: (value, format) => toDatetime(value, format, false),

    json: (value, path) => {
      const steps = parseJsonPath(text(path));
      if (steps === undefined) throw new Error(`json: invalid path ${JSON.stringify(path)}`);
      const read = readJsonPath(value, steps);
      if (!read.ok) throw new Error('json: the value is not valid JSON text');
      return read.value ?? null;
    },
    lookup: (table, value) => {
      const entries = env.lookups.get(text(table));
      if (entries === undefined) throw new Error(`lookup: no table named ${JSON.stringify(table)}`);
      const key = lookupKey(value);
      return key === undefined ? null : (entries.get(key) ?? null);
    },
  };
}

function roundingName(mode: unknown): Rounding {
  if (mode === undefined) return 'halfUp';
  if (mode === 'halfUp' || mode === 'halfEven' || mode === 'down' || mode === 'up') return mode;
  throw new Error(`dec_round: rounding must be halfUp, halfEven, down or up, not ${JSON.stringify(mode)}`);
}

export const FUNCTION_NAMES = [
  ...FILTREX_BUILTINS,
  'upper', 'lower', 'trim', 'substr', 'length', 'concat', 'coalesce', 'replace', 'padStart', 'str',
  'dec_add', 'dec_sub', 'dec_mul', 'dec_div', 'dec_round', 'date', 'datetime', 'json', 'lookup',
];

function arithmetic(op: string, combine: (a: DecimalValue, b: DecimalValue) => DecimalValue) {
  return (a: unknown, b: unknown): string => {
    if (!isDecimalLike(a) || !isDecimalLike(b)) {
      throw new Error(`${JSON.stringify(a)} ${op} ${JSON.stringify(b)}: both sides must be numbers; use concat() to join text`);
    }
    return plainText(combine(toDecimal(a)!, toDecimal(b)!));
  };
}

/** Equality that compares numbers and numeric text by value ('5.0' == 5), and null with absent. */
function looseEqual(a: unknown, b: unknown): boolean {
  if (isBlankNull(a) || isBlankNull(b)) return isBlankNull(a) && isBlankNull(b);
  if (isDecimalLike(a) && isDecimalLike(b) && (typeof a === 'number' || typeof b === 'number')) return toDecimal(a)!.eq(toDecimal(b)!);
  return a === b;
}

function isBlankNull(value: unknown): boolean {
  return value === null || value === undefined;
}

function compare(a: unknown, b: unknown): number {
  if (isDecimalLike(a) && isDecimalLike(b)) return toDecimal(a)!.cmp(toDecimal(b)!);
  const left = text(a);
  const right = text(b);
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

const OPERATORS = {
  '+': arithmetic('+', (a, b) => a.plus(b)),
  '-': (a: unknown, b?: unknown) => (b === undefined ? arithmetic('-', (x, y) => x.minus(y))(0, a) : arithmetic('-', (x, y) => x.minus(y))(a, b)),
  '*': arithmetic('*', (a, b) => a.times(b)),
  // Division keeps 20 decimals; round the result with dec_round or the field's scale.
  '/': arithmetic('/', (a, b) => a.div(b).round(20, 1)),
  '==': looseEqual,
  '!=': (a: unknown, b: unknown) => !looseEqual(a, b),
  '<': (a: unknown, b: unknown) => compare(a, b) < 0,
  '<=': (a: unknown, b: unknown) => compare(a, b) <= 0,
  '>': (a: unknown, b: unknown) => compare(a, b) > 0,
  '>=': (a: unknown, b: unknown) => compare(a, b) >= 0,
};

/**
 * Resolves a name: `rowNumber`, `parent.col` / `col of parent` in lines, then
 * the row's columns. An absent column reads as null, the same as a NULL.
 */
function resolveName(name: string, _get: (name: string) => unknown, data: ExpressionScope): unknown {
  if (name === 'rowNumber' && data.rowNumber !== undefined) return data.rowNumber;
  if (name === 'parent' && data.parent !== undefined) return data.parent;
  if (Object.hasOwn(data.row, name)) return data.row[name];

  if (name.startsWith('parent.') && data.parent !== undefined) {
    const column = name.slice('parent.'.length);
    return Object.hasOwn(data.parent, column) ? data.parent[column] : null;
  }
  return null;
}

/** Names an expression reads, split into row columns and parent columns; used to list source columns. */
export interface ExpressionNames {
  columns: string[];
  parentColumns: string[];
  functions: string[];
}

/**
 * Scans expression text for identifiers without evaluating it: double-quoted
 * text is skipped, single-quoted names are columns, a name before `(` is a
 * function call.
 */
export function scanNames(source: string): ExpressionNames {
  const names: ExpressionNames = { columns: [], parentColumns: [], functions: [] };
  const token = /"(?:\\.|[^"\\])*"|'((?:\\.|[^'\\])*)'|([A-Za-z_$][\w$.]*)(\s*\()?|\d+(?:\.\d*)?(?:e[+-]?\d+)?|[\s\S]/gi;
  let match: RegExpExecArray | null;

  while ((match = token.exec(source)) !== null) {
    const quoted = match[1];
    const word = match[2];
    if (quoted !== undefined) addName(names, quoted.replace(/\\(.)/g, '$1'));
    else if (word !== undefined && match[3] !== undefined) names.functions.push(word);
    else if (word !== undefined && !KEYWORDS.has(word)) addName(names, word);
  }
  return names;
}

function addName(names: ExpressionNames, name: string): void {
  if (name === 'rowNumber' || name === 'parent') return;
  if (name.startsWith('parent.')) names.parentColumns.push(name.slice('parent.'.length));
  else names.columns.push(name);
}

/**
 * Compiles an expression once. Unknown functions and syntax errors throw
 * ExpressionCompileError here. Errors while running, such as text in
 * arithmetic or bad JSON, come back as `{ ok: false }` for the row.
 */
export function compileMappingExpression(source: string, env: ExpressionEnvironment): CompiledExpression {
  const unknown = scanNames(source).functions.filter((name) => !FUNCTION_NAMES.includes(name));
  if (unknown.length > 0) {
    const offset = source.indexOf(unknown[0]!);
    throw new ExpressionCompileError(
      bi(`未知的函数 ${unknown.join(', ')}；可用函数：${FUNCTION_NAMES.join(', ')}`, `unknown function ${unknown.join(', ')}; available: ${FUNCTION_NAMES.join(', ')}`),
      offset,
    );
  }

  let compiled: (data: unknown) => unknown;
  try {
    compiled = compileExpression(source, {
      extraFunctions: mappingFunctions(env),
      constants: { true: true, false: false, null: null },
      operators: OPERATORS,
      customProp: (name, get, data, type) => resolveName(name, get, data as ExpressionScope),
    });
  } catch (error) {
    throw syntaxError(error);
  }

  return (scope) => {
    const result = compiled(scope);
    if (result instanceof Error) return { ok: false, error: result.message };
    return { ok: true, value: result };
  };
}

/** Reads the caret line filtrex puts under the expression (`---^`) to find the offset. */
function syntaxError(error: unknown): ExpressionCompileError {
  const message = error instanceof Error ? error.message : String(error);
  const caret = /\n(-*)\^/.exec(message);
  const offset = caret ? caret[1]!.length : undefined;
  const firstLine = message.split('\n')[0] ?? message;
  const expecting = /Expecting (.*)$/m.exec(message)?.[1];
  const detail = expecting ? `${firstLine}; expecting ${expecting}` : firstLine;

  return new ExpressionCompileError(bi(`表达式语法错误：${detail}`, `expression syntax error: ${detail}`), offset);
}
