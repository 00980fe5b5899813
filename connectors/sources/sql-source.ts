import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import type { ColumnInfo, ColumnKind } from './column-types.js';
import {
  CURSOR_ALIAS,
  PARENT_ALIAS,
  type ChildShape,
  type ReadShape,
  boundKindOf,
  byKeysSql,
  changedParentsSql,
  childrenSql,
  countSql,
  cursorBoundKind,
  describeChildSql,
  describeSql,
  maxChildCursorSql,
  maxCursorSql,
  pageSql,
} from './keyset-query.js';
import { upperBoundFromClock } from './read-window.js';
import { convertRow, cursorText, valueText, type ValueOrigin } from './row-values.js';
import { checkReadSpec } from './source-config.js';
import type {
  ChildSpec,
  CursorKind,
  ReadOptions,
  ReadSnapshot,
  ReadSpec,
  ReadWindow,
  ResolvedSourceConfig,
  SourceReader,
} from './source-reader.js';
import type { Position, QualityIssue, RowPage, SourceRow, SourceWarning } from './source-types.js';
import { type BoundKind, type SqlPart, isIdentifier, quoteName } from './sql-text.js';

/**
 * The reader logic shared by every database: keyset paging, upper bounds,
 * child reads. A driver (mysql-source.ts, postgres-source.ts,
 * sqlite-source.ts) supplies read-only sessions and its type rules.
 */

/** Rows of one statement with each column's kind; values already follow the driver's type rules. */
export interface QueryResult {
  rows: Record<string, unknown>[];
  columns: ColumnInfo[];
}

/** One connection inside one read-only snapshot transaction. */
export interface DriverSession {
  query(sql: SqlPart[]): Promise<QueryResult>;
  /**
   * Returns the database clock in UTC as `YYYY-MM-DD HH:MM:SS[.ffffff]`, read
   * no later than the snapshot was taken, so no row stamped at or before it
   * and committed before the snapshot can be missing from the snapshot.
   */
  utcClock(): Promise<string>;
  /** Ends the transaction and gives the connection back. */
  end(): Promise<void>;
}

export interface SourceDriver {
  readonly quote: '`' | '"';
  readonly warnings: SourceWarning[];
  openSession(): Promise<DriverSession>;
  close(): Promise<void>;
}

/** Keys per IN list or OR list, so one statement stays well under packet and parameter limits. */
const KEYS_PER_STATEMENT = 500;

interface ReadPlan {
  label: string;
  shape: ReadShape;
  cursorKind: CursorKind;
  cursorBound: BoundKind;
  keyBound: BoundKind[];
}

interface ChildPlan {
  label: string;
  shape: ChildShape;
  parentBound: BoundKind;
  cursorKind?: CursorKind;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function inferCursorKind(kind: ColumnKind): CursorKind | undefined {
  if (kind === 'datetime' || kind === 'date') return 'datetime';
  if (kind === 'timestamptz') return 'timestamptz';
  if (kind === 'integer' || kind === 'bigint' || kind === 'decimal') return 'integer';
  if (kind === 'text') return 'text';
  return undefined;
}

class SqlSnapshot implements ReadSnapshot {
  private readonly plans = new Map<string, Promise<ReadPlan>>();
  private released = false;

  constructor(
    readonly session: DriverSession,
    private readonly driver: SourceDriver,
    private readonly config: ResolvedSourceConfig,
  ) {}

  private name(name: string): string {
    return quoteName(name, this.driver.quote);
  }

  private expression(columnOrSql: string): string {
    return isIdentifier(columnOrSql) ? this.name(columnOrSql) : `(${columnOrSql})`;
  }

  private from(spec: { table?: string; query?: string }): string {
    return spec.table !== undefined ? this.name(spec.table) : `(${spec.query}) AS owh_source`;
  }

  private configError(label: string, zh: string, en: string, details: Record<string, unknown> = {}): OwhError {
    return new OwhError('config', bi(`数据源 ${this.config.id} 的 ${label}：${zh}`, `Source ${this.config.id}, ${label}: ${en}`), {
      details: { source: this.config.id, table: label, ...details },
    });
  }

  private plan(spec: ReadSpec): Promise<ReadPlan> {
    checkReadSpec(this.config.id, spec);

    const cacheKey = JSON.stringify([spec.table, spec.query, spec.columns, spec.key, spec.cursor, spec.where]);
    let plan = this.plans.get(cacheKey);
    if (!plan) {
      plan = this.buildPlan(spec);
      this.plans.set(cacheKey, plan);
    }
    return plan;
  }

  private async buildPlan(spec: ReadSpec): Promise<ReadPlan> {
    const label = spec.table ?? 'query';

    // Key columns must come back with each row, to build its position.
    const selected = spec.columns ? [...spec.columns, ...spec.key.filter((k) => !spec.columns!.includes(k))] : undefined;
    const shape: ReadShape = {
      from: this.from(spec),
      select: selected ? selected.map((c) => this.name(c)).join(', ') : '*',
      cursor: this.expression(spec.cursor.column),
      keys: spec.key.map((k) => this.name(k)),
      where: spec.where,
    };

    const described = await this.session.query(describeSql(shape));
    const kindOf = new Map(described.columns.map((c) => [c.name, c.kind]));

    const keyBound = spec.key.map((key) => {
      const kind = kindOf.get(key);
      if (!kind) {
        throw this.configError(
          label,
          `找不到键列 ${key}。请检查 key 中的列名（区分大小写）。`,
          `key column ${key} was not found. Check the column names in key (case-sensitive).`,
          { column: key },
        );
      }
      return boundKindOf(kind);
    });

    const cursorColumnKind = kindOf.get(CURSOR_ALIAS) ?? 'other';
    const cursorKind = spec.cursor.kind ?? inferCursorKind(cursorColumnKind);
    if (!cursorKind) {
      throw this.configError(
        label,
        `无法从列类型推断游标 ${spec.cursor.column} 的种类。请设置 cursor.kind 为 datetime、timestamptz、integer 或 text。`,
        `the kind of cursor ${spec.cursor.column} cannot be inferred from its type. Set cursor.kind to datetime, timestamptz, integer or text.`,
        { cursor: spec.cursor.column },
      );
    }

    return { label, shape, cursorKind, cursorBound: cursorBoundKind(cursorKind), keyBound };
  }

  private origin(label: string, key: string[]): ValueOrigin {
    return { source: this.config.id, table: label, key };
  }

  /** Converts page rows and derives their positions; issues go to the page and to onQuality. */
  private toPage(result: QueryResult, spec: ReadSpec, plan: ReadPlan, options: ReadOptions): RowPage {
    const columns = result.columns.filter((c) => c.name !== CURSOR_ALIAS);
    const cursorKind: ColumnKind = plan.cursorKind === 'timestamptz' ? 'timestamptz' : 'other';
    const issues: QualityIssue[] = [];
    const rows: SourceRow[] = [];
    const positions: Position[] = [];

    for (const raw of result.rows) {
      const origin = this.origin(plan.label, []);
      origin.key = spec.key.map((k) => valueText(raw[k], k, origin));

      positions.push({ cursor: cursorText(raw[CURSOR_ALIAS], cursorKind, origin), key: origin.key });
      rows.push(convertRow(raw, columns, this.config, origin, issues));
    }

    for (const issue of issues) options.onQuality?.(issue);
    return { rows, positions, issues };
  }

  private checkOpen(): void {
    if (this.released) {
      throw new OwhError(
        'internal',
        bi(`数据源 ${this.config.id} 的快照已释放，不能再读取。`, `Source ${this.config.id}: the snapshot was released and cannot read any more.`),
      );
    }
  }

  async upperBound(spec: ReadSpec): Promise<string | null> {
    this.checkOpen();
    const plan = await this.plan(spec);

    if (plan.cursorKind === 'datetime' || plan.cursorKind === 'timestamptz') {
      const clock = await this.session.utcClock();
      return upperBoundFromClock(clock, plan.cursorKind, this.config.timezone, spec.commitLagSeconds ?? 0);
    }

    const result = await this.session.query(maxCursorSql(plan.shape));
    const max = result.rows[0]?.[CURSOR_ALIAS];
    if (max === null || max === undefined) return null;
    return valueText(max, CURSOR_ALIAS, this.origin(plan.label, []));
  }

  async *readPages(spec: ReadSpec, window: ReadWindow, options: ReadOptions = {}): AsyncGenerator<RowPage> {
    this.checkOpen();
    const plan = await this.plan(spec);
    const upper = window.upper === undefined ? await this.upperBound(spec) : window.upper;
    if (upper === null) return;

    const pageSize = spec.pageSize ?? this.config.pageSize;
    let from = window.from;
    this.checkPosition(plan, spec, from);

    while (true) {
      options.signal?.throwIfAborted();

      const result = await this.session.query(pageSql(plan.shape, { from, upper }, plan.cursorBound, plan.keyBound, pageSize));
      if (result.rows.length === 0) return;

      const page = this.toPage(result, spec, plan, options);
      yield page;

      // A short page is the last one; a full page may have more after it.
      if (result.rows.length < pageSize) return;
      from = page.positions[page.positions.length - 1]!;
    }
  }

  private checkPosition(plan: ReadPlan, spec: ReadSpec, from: Position | null): void {
    if (!from || from.key.length === spec.key.length) return;

    throw this.configError(
      plan.label,
      `起始位置有 ${from.key.length} 个键值，但 key 有 ${spec.key.length} 列。检查点可能属于另一种读取声明；请重置该管道的检查点。`,
      `the start position has ${from.key.length} key values but key has ${spec.key.length} columns. The checkpoint may belong to another read; reset this pipeline's checkpoint.`,
      { position: from, key: spec.key },
    );
  }

  async fetchByKeys(spec: ReadSpec, keys: string[][], options: ReadOptions = {}): Promise<RowPage> {
    this.checkOpen();
    const plan = await this.plan(spec);
    const page: RowPage = { rows: [], positions: [], issues: [] };

    for (const values of keys) this.checkPosition(plan, spec, { cursor: '', key: values });

    for (const part of chunk(keys, KEYS_PER_STATEMENT)) {
      const result = await this.session.query(byKeysSql(plan.shape, part, plan.keyBound));
      const converted = this.toPage(result, spec, plan, options);

      page.rows.push(...converted.rows);
      page.positions.push(...converted.positions);
      page.issues!.push(...converted.issues!);
    }
    return page;
  }

  async count(spec: ReadSpec, window?: ReadWindow): Promise<number> {
    this.checkOpen();
    const plan = await this.plan(spec);

    let range: { from: Position | null; upper: string } | null = null;
    if (window) {
      const upper = window.upper === undefined ? await this.upperBound(spec) : window.upper;
      if (upper === null) return 0;
      range = { from: window.from, upper };
    }

    // COUNT(*) is BIGINT on MySQL and PG, so drivers give it as text; parse it
    // on purpose rather than rely on JS coercion.
    const result = await this.session.query(countSql(plan.shape, range, plan.cursorBound, plan.keyBound));
    const text = valueText(result.rows[0]?.owh_count, 'COUNT(*)', this.origin(plan.label, []));
    const count = Number(text);

    if (!/^\d+$/.test(text) || !Number.isSafeInteger(count)) {
      throw new OwhError('internal', bi(`数据源 ${this.config.id} 返回的行数 "${text}" 无效。`, `Source ${this.config.id} returned an invalid row count "${text}".`));
    }
    return count;
  }

  private async childPlan(child: ChildSpec): Promise<ChildPlan> {
    const label = child.table ?? 'child query';

    if ((child.table === undefined) === (child.query === undefined)) {
      throw this.configError(label, '子表声明须且只须给出 table 或 query 之一。', 'a child read must name exactly one of table and query.');
    }

    const shape: ChildShape = {
      from: this.from(child),
      parentKey: this.name(child.parentKey),
      order: (child.orderBy ?? child.key).map((c) => this.name(c)),
      cursor: child.cursor ? this.expression(child.cursor.column) : undefined,
      where: child.where,
    };

    const described = await this.session.query(describeChildSql(shape));
    const kindOf = new Map(described.columns.map((c) => [c.name, c.kind]));
    const parentKind = kindOf.get(child.parentKey);
    if (!parentKind) {
      throw this.configError(
        label,
        `找不到父键列 ${child.parentKey}。请检查 parentKey 的列名（区分大小写）。`,
        `parent key column ${child.parentKey} was not found. Check the parentKey column name (case-sensitive).`,
        { column: child.parentKey },
      );
    }

    const cursorColumnKind = kindOf.get(CURSOR_ALIAS);
    const cursorKind = child.cursor?.kind ?? (cursorColumnKind ? inferCursorKind(cursorColumnKind) : undefined);
    return { label, shape, parentBound: boundKindOf(parentKind), cursorKind };
  }

  async fetchChildren(child: ChildSpec, parentKeys: string[], options: ReadOptions = {}): Promise<Map<string, SourceRow[]>> {
    this.checkOpen();
    const plan = await this.childPlan(child);
    const groups = new Map<string, SourceRow[]>(parentKeys.map((key) => [key, []]));
    const issues: QualityIssue[] = [];

    for (const part of chunk(parentKeys, KEYS_PER_STATEMENT)) {
      if (part.length === 0) continue;
      const result = await this.session.query(childrenSql(plan.shape, part, plan.parentBound));

      for (const raw of result.rows) {
        const origin = this.origin(plan.label, []);
        origin.key = child.key.map((k) => valueText(raw[k], k, origin));

        const parent = valueText(raw[child.parentKey], child.parentKey, origin);
        const row = convertRow(raw, result.columns, this.config, origin, issues);
        if (!groups.has(parent)) groups.set(parent, []);
        groups.get(parent)!.push(row);
      }
    }

    for (const issue of issues) options.onQuality?.(issue);
    return groups;
  }

  async *changedParents(child: ChildSpec, window: { from: string | null; upper: string }): AsyncGenerator<string[]> {
    this.checkOpen();
    const plan = await this.childPlan(child);
    const cursor = plan.shape.cursor;
    if (!cursor || !plan.cursorKind) {
      throw this.configError(
        plan.label,
        '子表没有可用的 cursor，无法找出变更过的父记录。请设置 cursor.column（必要时设置 cursor.kind）。',
        'the child has no usable cursor, so changed parents cannot be found. Set cursor.column (and cursor.kind if it cannot be inferred).',
      );
    }

    const pageSize = child.pageSize ?? this.config.pageSize;
    const cursorBound = cursorBoundKind(plan.cursorKind);
    let after: string | null = null;

    while (true) {
      const sql = changedParentsSql({ ...plan.shape, cursor }, { ...window, after }, cursorBound, plan.parentBound, pageSize);
      const result = await this.session.query(sql);
      if (result.rows.length === 0) return;

      const keys = result.rows.map((raw) => valueText(raw[PARENT_ALIAS], child.parentKey, this.origin(plan.label, [])));
      yield keys;

      if (keys.length < pageSize) return;
      after = keys[keys.length - 1]!;
    }
  }

  async maxChildCursor(child: ChildSpec, upper: string): Promise<string | null> {
    this.checkOpen();
    const plan = await this.childPlan(child);
    const cursor = plan.shape.cursor;
    if (!cursor || !plan.cursorKind) {
      throw this.configError(
        plan.label,
        '子表没有可用的 cursor，无法记录子表读到的位置。请设置 cursor.column（必要时设置 cursor.kind）。',
        'the child has no usable cursor, so its position cannot be recorded. Set cursor.column (and cursor.kind if it cannot be inferred).',
      );
    }

    const result = await this.session.query(maxChildCursorSql({ ...plan.shape, cursor }, upper, cursorBoundKind(plan.cursorKind)));
    const max = result.rows[0]?.[CURSOR_ALIAS];
    if (max === null || max === undefined) return null;
    return cursorText(max, plan.cursorKind === 'timestamptz' ? 'timestamptz' : 'other', this.origin(plan.label, []));
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.end();
  }
}

/** A SourceReader over a driver; reader-level calls each run in a snapshot of their own. */
export class SqlSourceReader implements SourceReader {
  constructor(
    readonly config: ResolvedSourceConfig,
    private readonly driver: SourceDriver,
  ) {}

  get warnings(): readonly SourceWarning[] {
    return this.driver.warnings;
  }

  async snapshot(): Promise<ReadSnapshot> {
    const session = await this.driver.openSession();
    return new SqlSnapshot(session, this.driver, this.config);
  }

  private async withSnapshot<T>(work: (snapshot: ReadSnapshot) => Promise<T>): Promise<T> {
    const snapshot = await this.snapshot();
    try {
      return await work(snapshot);
    } finally {
      await snapshot.release();
    }
  }

  upperBound(spec: ReadSpec): Promise<string | null> {
    return this.withSnapshot((s) => s.upperBound(spec));
  }

  async *readPages(spec: ReadSpec, window: ReadWindow, options?: ReadOptions): AsyncGenerator<RowPage> {
    const snapshot = await this.snapshot();
    try {
      yield* snapshot.readPages(spec, window, options);
    } finally {
      await snapshot.release();
    }
  }

  fetchChildren(child: ChildSpec, parentKeys: string[], options?: ReadOptions): Promise<Map<string, SourceRow[]>> {
    return this.withSnapshot((s) => s.fetchChildren(child, parentKeys, options));
  }

  async *changedParents(child: ChildSpec, window: { from: string | null; upper: string }): AsyncGenerator<string[]> {
    const snapshot = await this.snapshot();
    try {
      yield* snapshot.changedParents(child, window);
    } finally {
      await snapshot.release();
    }
  }

  maxChildCursor(child: ChildSpec, upper: string): Promise<string | null> {
    return this.withSnapshot((s) => s.maxChildCursor(child, upper));
  }

  fetchByKeys(spec: ReadSpec, keys: string[][], options?: ReadOptions): Promise<RowPage> {
    return this.withSnapshot((s) => s.fetchByKeys(spec, keys, options));
  }

  count(spec: ReadSpec, window?: ReadWindow): Promise<number> {
    return this.withSnapshot((s) => s.count(spec, window));
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

/**
 * Runs one statement on a snapshot's own connection. Only for tests that
 * prove the session refuses writes; nothing in the product calls it, and
 * index.ts does not export it.
 */
export async function runOnSnapshotForTest(snapshot: ReadSnapshot, sql: string): Promise<QueryResult> {
  if (!(snapshot instanceof SqlSnapshot)) throw new TypeError('not a snapshot made by SqlSourceReader');
  return snapshot.session.query([sql]);
}
