import { type ColumnKind, isNumericKind } from './column-types.js';
import type { CursorKind } from './source-reader.js';
import type { Position } from './source-types.js';
import { type BoundKind, type SqlPart, bind, joinParts } from './sql-text.js';

/**
 * SQL for keyset reads. Rows are ordered by (cursor, key…) and a page starts
 * after a position with the expanded form of the tuple comparison:
 *
 *   c > t OR (c = t AND (k1 > v1 OR (k1 = v1 AND k2 > v2)))
 *
 * The expanded form is used on every database because MariaDB does not use
 * an index for a row-constructor comparison. Values are bound with the
 * column's kind, so BIGINT keys compare as numbers in SQL.
 */

/** Alias of the cursor expression in every result. */
export const CURSOR_ALIAS = 'owh_cursor';

/** Alias of the parent key in changedParents results. */
export const PARENT_ALIAS = 'owh_parent';

/** A read's names, already quoted for the dialect. */
export interface ReadShape {
  /** FROM clause: a quoted table or `(query) AS owh_source`. */
  from: string;
  /** Select list without the cursor: `*` or quoted columns. */
  select: string;
  /** Cursor expression (a quoted column or the user's SQL expression). */
  cursor: string;
  /** Quoted key columns, in key order. */
  keys: string[];
  where?: string;
}

export function boundKindOf(kind: ColumnKind): BoundKind {
  if (isNumericKind(kind)) return 'number';
  if (kind === 'datetime') return 'datetime';
  if (kind === 'timestamptz') return 'timestamptz';
  return 'text';
}

export function cursorBoundKind(kind: CursorKind): BoundKind {
  return kind === 'integer' ? 'number' : kind;
}

function whereParts(shape: { where?: string }): SqlPart[][] {
  return shape.where ? [[`(${shape.where})`]] : [];
}

function conditionsSql(conditions: SqlPart[][]): SqlPart[] {
  if (conditions.length === 0) return [];
  return [' WHERE ', ...joinParts(conditions, ' AND ')];
}

/** Selects no rows, only the column metadata (and checks the user's SQL early). */
export function describeSql(shape: ReadShape): SqlPart[] {
  const conditions = [...whereParts(shape), ['1 = 0']];
  return [`SELECT ${shape.select}, ${shape.cursor} AS ${CURSOR_ALIAS} FROM ${shape.from}`, ...conditionsSql(conditions)];
}

/**
 * Builds `(cursor, keys) > position` in expanded form. Each key value is
 * bound with its column's kind.
 */
export function afterPosition(shape: ReadShape, position: Position, cursorKind: BoundKind, keyKinds: BoundKind[]): SqlPart[] {
  const cursorValue = bind(position.cursor, cursorKind);

  // Innermost first: k_last > v_last, then k_i > v_i OR (k_i = v_i AND inner).
  let inner: SqlPart[] | undefined;
  for (let i = shape.keys.length - 1; i >= 0; i--) {
    const column = shape.keys[i]!;
    const value = position.key[i]!;
    const greater: SqlPart[] = [`${column} > `, bind(value, keyKinds[i]!)];

    inner = inner
      ? ['(', ...greater, ` OR (${column} = `, bind(value, keyKinds[i]!), ' AND ', ...inner, '))']
      : greater;
  }

  const cursorGreater: SqlPart[] = [`${shape.cursor} > `, cursorValue];
  if (!inner) return ['(', ...cursorGreater, ')'];
  return ['(', ...cursorGreater, ` OR (${shape.cursor} = `, cursorValue, ' AND ', ...inner, '))'];
}

/** Builds the window conditions: after `from` (if any) and cursor <= upper. */
function windowConditions(
  shape: ReadShape,
  from: Position | null,
  upper: string,
  cursorKind: BoundKind,
  keyKinds: BoundKind[],
): SqlPart[][] {
  const conditions = whereParts(shape);

  conditions.push([`${shape.cursor} <= `, bind(upper, cursorKind)]);
  if (from) {
    // Redundant with the expanded form, but PostgreSQL (checked on 15) cannot
    // make an index bound of that OR and scans the index from its start on
    // every page, so a full read grows with the square of the row count.
    conditions.push([`${shape.cursor} >= `, bind(from.cursor, cursorKind)]);
    conditions.push(afterPosition(shape, from, cursorKind, keyKinds));
  }
  return conditions;
}

function orderBy(shape: ReadShape): string {
  return ` ORDER BY ${[shape.cursor, ...shape.keys].join(', ')}`;
}

/** Builds one keyset page: rows after `from` up to `upper`, ordered by cursor then key. */
export function pageSql(
  shape: ReadShape,
  window: { from: Position | null; upper: string },
  cursorKind: BoundKind,
  keyKinds: BoundKind[],
  limit: number,
): SqlPart[] {
  const conditions = windowConditions(shape, window.from, window.upper, cursorKind, keyKinds);

  return [
    `SELECT ${shape.select}, ${shape.cursor} AS ${CURSOR_ALIAS} FROM ${shape.from}`,
    ...conditionsSql(conditions),
    orderBy(shape),
    ` LIMIT ${limit}`,
  ];
}

/** Selects the greatest cursor value of the read (upper bound of integer and text cursors). */
export function maxCursorSql(shape: ReadShape): SqlPart[] {
  return [`SELECT MAX(${shape.cursor}) AS ${CURSOR_ALIAS} FROM ${shape.from}`, ...conditionsSql(whereParts(shape))];
}

/** COUNT(*) over the whole read, or over a window of it. */
export function countSql(
  shape: ReadShape,
  window: { from: Position | null; upper: string } | null,
  cursorKind: BoundKind,
  keyKinds: BoundKind[],
): SqlPart[] {
  const conditions = window
    ? windowConditions(shape, window.from, window.upper, cursorKind, keyKinds)
    : whereParts(shape);

  return [`SELECT COUNT(*) AS owh_count FROM ${shape.from}`, ...conditionsSql(conditions)];
}

/** Rows whose key equals one of `keys`, ordered like a page. */
export function byKeysSql(shape: ReadShape, keys: string[][], keyKinds: BoundKind[]): SqlPart[] {
  const matches = keys.map((values) => {
    const equalities = shape.keys.map((column, i): SqlPart[] => [`${column} = `, bind(values[i]!, keyKinds[i]!)]);
    return ['(', ...joinParts(equalities, ' AND '), ')'];
  });
  const conditions = [...whereParts(shape), ['(', ...joinParts(matches, ' OR '), ')']];

  return [
    `SELECT ${shape.select}, ${shape.cursor} AS ${CURSOR_ALIAS} FROM ${shape.from}`,
    ...conditionsSql(conditions),
    orderBy(shape),
  ];
}

/** A child read's names, already quoted. */
export interface ChildShape {
  from: string;
  parentKey: string;
  /** Quoted ORDER BY columns inside one parent. */
  order: string[];
  cursor?: string;
  where?: string;
}

/** Selects no child rows, only the column metadata. */
export function describeChildSql(shape: ChildShape): SqlPart[] {
  const cursor = shape.cursor ? `, ${shape.cursor} AS ${CURSOR_ALIAS}` : '';
  return [`SELECT *${cursor} FROM ${shape.from}`, ...conditionsSql([...whereParts(shape), ['1 = 0']])];
}

/** Child rows of the given parents, ordered by parent key then the child order. */
export function childrenSql(shape: ChildShape, parentKeys: string[], parentKind: BoundKind): SqlPart[] {
  const list = joinParts(parentKeys.map((key) => [bind(key, parentKind)]), ', ');
  const conditions = [...whereParts(shape), [`${shape.parentKey} IN (`, ...list, ')']];

  return [
    `SELECT * FROM ${shape.from}`,
    ...conditionsSql(conditions),
    ` ORDER BY ${[shape.parentKey, ...shape.order].join(', ')}`,
  ];
}

/**
 * Selects one page of distinct parent keys whose children have a cursor in
 * (from, upper], after the last parent key of the previous page.
 */
export function changedParentsSql(
  shape: ChildShape & { cursor: string },
  window: { from: string | null; upper: string; after: string | null },
  cursorKind: BoundKind,
  parentKind: BoundKind,
  limit: number,
): SqlPart[] {
  // The child's `where` is left out on purpose: a line that leaves the
  // filter (a soft delete) is a change of its parent too. Parents are fetched
  // with the parent's own filter, so lines of other tenants cost one lookup.
  const conditions: SqlPart[][] = [];

  if (window.from !== null) conditions.push([`${shape.cursor} > `, bind(window.from, cursorKind)]);
  conditions.push([`${shape.cursor} <= `, bind(window.upper, cursorKind)]);
  if (window.after !== null) conditions.push([`${shape.parentKey} > `, bind(window.after, parentKind)]);

  return [
    `SELECT DISTINCT ${shape.parentKey} AS ${PARENT_ALIAS} FROM ${shape.from}`,
    ...conditionsSql(conditions),
    ` ORDER BY ${PARENT_ALIAS}`,
    ` LIMIT ${limit}`,
  ];
}

/** Selects the greatest child cursor value up to `upper`, without the child's filter, as changedParentsSql does. */
export function maxChildCursorSql(shape: ChildShape & { cursor: string }, upper: string, cursorKind: BoundKind): SqlPart[] {
  return [
    `SELECT MAX(${shape.cursor}) AS ${CURSOR_ALIAS} FROM ${shape.from}`,
    ...conditionsSql([[`${shape.cursor} <= `, bind(upper, cursorKind)]]),
  ];
}
