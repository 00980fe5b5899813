import { createMysqlDriver } from './mysql-source.js';
import { createPostgresDriver } from './postgres-source.js';
import { resolveSourceConfig } from './source-config.js';
import type { Position, QualityIssue, RowPage, SourceRow, SourceWarning } from './source-types.js';
import { SqlSourceReader } from './sql-source.js';
import { createSqliteDriver } from './sqlite-source.js';

/** Database client of a source; the names are the knex client names. */
export type SourceClient = 'mysql2' | 'pg' | 'better-sqlite3';

/** Policy for a DATE/DATETIME value that names no real day. */
export type ZeroDatePolicy = 'null' | 'error';

/** Policy for a partial date such as `2013-03-00`. */
export type PartialDatePolicy = 'null' | 'passthrough' | 'error';

/** One WMS database as the user declares it. */
export interface SourceConfig {
  id: string;
  client: SourceClient;
  /**
   * Driver connection options or a connection URL. For better-sqlite3 a file
   * path, or `{ filename }`. The reader overrides the options that would
   * change values (charset, timezone, type parsing) and reports a replaced
   * charset in `warnings`.
   */
  connection: Record<string, unknown> | string;
  /** IANA zone the zone-less datetimes were written in; default Asia/Shanghai. */
  timezone?: string;
  /** Zero dates (`0000-00-00`) and impossible days; default 'null' plus a QualityIssue. */
  zeroDates?: ZeroDatePolicy;
  /** Partial dates (`2013-03-00`); default 'null' plus a QualityIssue. */
  partialDates?: PartialDatePolicy;
  /** Rows per page when a ReadSpec does not set its own; default 1000. */
  pageSize?: number;
  /** Maximum pooled connections (MySQL, PostgreSQL); default 2. */
  poolMax?: number;
  /** Seconds to wait for a connection before failing; default 10. */
  connectTimeoutSeconds?: number;
}

/** SourceConfig with every default filled in, as readers use it. */
export interface ResolvedSourceConfig {
  id: string;
  client: SourceClient;
  connection: Record<string, unknown> | string;
  timezone: string;
  zeroDates: ZeroDatePolicy;
  partialDates: PartialDatePolicy;
  pageSize: number;
  poolMax: number;
  connectTimeoutSeconds: number;
}

/**
 * Cursor kind, which decides how values compare and how a run's upper bound
 * is taken:
 * - datetime: zone-less DATETIME / timestamp; bound = database clock minus
 *   the commit lag, as wall-clock text in the source's zone.
 * - timestamptz: an instant (PG timestamptz, MySQL TIMESTAMP); bound =
 *   database clock minus the commit lag, as `…Z` text.
 * - integer, text: bound = the greatest cursor value inside the snapshot;
 *   no commit lag can apply.
 */
export type CursorKind = 'datetime' | 'timestamptz' | 'integer' | 'text';

/** Declaration of one read from a table or query. */
export interface ReadSpec {
  /** Table name, optionally `schema.table`. Exactly one of table and query. */
  table?: string;
  /** A SELECT used as a subquery; cursor, key and where then name its columns. */
  query?: string;
  /** Columns to return; default all. */
  columns?: string[];
  /** Key columns: unique together, the tie-breaker after the cursor. */
  key: string[];
  cursor: {
    /** A column name, or an SQL expression such as `COALESCE(update_time, create_time)`. */
    column: string;
    /** Inferred from the column type when left out (required for SQLite expressions). */
    kind?: CursorKind;
  };
  /** Extra SQL condition, ANDed to every query of this read. */
  where?: string;
  /** Seconds subtracted from the database clock for the upper bound; default 0. */
  commitLagSeconds?: number;
  pageSize?: number;
}

/** A child table (order lines) read for parents and watched for changes. */
export interface ChildSpec {
  table?: string;
  query?: string;
  /** Column in the child that contains the parent's key. */
  parentKey: string;
  /** The child's own key columns. */
  key: string[];
  /** Order of the rows inside one parent; default `key`. */
  orderBy?: string[];
  /** Change cursor of the child, in the same domain as the parent's cursor. */
  cursor?: { column: string; kind?: CursorKind };
  where?: string;
  pageSize?: number;
}

/** The range of one read: after `from` (exclusive) up to `upper` (inclusive). */
export interface ReadWindow {
  from: Position | null;
  /** Upper bound cursor text; left out, the reader takes it inside the read's snapshot. */
  upper?: string | null;
}

export interface ReadOptions {
  signal?: AbortSignal;
  onQuality?: (issue: QualityIssue) => void;
}

/**
 * Reads inside one read-only snapshot kept on one connection, so every call
 * reads the same committed data. A run uses one, and `release` ends it.
 */
export interface ReadSnapshot {
  /**
   * Returns the run's upper bound: for datetime cursors the database clock
   * minus the commit lag, otherwise the greatest cursor value. Null means
   * the source has no row with a cursor value (integer and text cursors).
   */
  upperBound(spec: ReadSpec): Promise<string | null>;
  /**
   * Yields keyset pages of rows with (cursor, key) > from and cursor <= upper,
   * ordered by cursor then key. Each page is one query with LIMIT, so the
   * next page is read only when the consumer requests it.
   */
  readPages(spec: ReadSpec, window: ReadWindow, options?: ReadOptions): AsyncGenerator<RowPage>;
  /** Returns child rows for the given parent keys, grouped by parent key text; each key gets an array. */
  fetchChildren(child: ChildSpec, parentKeys: string[], options?: ReadOptions): Promise<Map<string, SourceRow[]>>;
  /** Yields, in batches, parent keys whose children have a cursor in (from, upper]. */
  changedParents(child: ChildSpec, window: { from: string | null; upper: string }): AsyncGenerator<string[]>;
  /**
   * Returns the greatest child cursor value up to `upper`, or null when the
   * child has none. A run stores it as the child's position, so the next
   * run's change scan starts right after the newest line it has seen.
   */
  maxChildCursor(child: ChildSpec, upper: string): Promise<string | null>;
  /** Returns rows by key, ordered by cursor then key, with their positions. */
  fetchByKeys(spec: ReadSpec, keys: string[][], options?: ReadOptions): Promise<RowPage>;
  /** Counts rows of a read (all, or after `from` up to `upper`), parsed as an exact integer. */
  count(spec: ReadSpec, window?: ReadWindow): Promise<number>;
  release(): Promise<void>;
}

/**
 * A reader of one source database. Every method other than `snapshot` and
 * `close` opens its own snapshot for the length of the call (a generator
 * keeps it until it finishes or is closed).
 */
export interface SourceReader extends Omit<ReadSnapshot, 'release'> {
  readonly config: ResolvedSourceConfig;
  /** Setup findings, such as a replaced charset; also sent to `onWarning`. */
  readonly warnings: readonly SourceWarning[];
  /** Opens a read-only snapshot for a run. */
  snapshot(): Promise<ReadSnapshot>;
  close(): Promise<void>;
}

export interface SourceReaderOptions {
  onWarning?: (warning: SourceWarning) => void;
}

/**
 * Creates a reader for one source. Validates the config first (an unknown
 * time zone or client throws an OwhError of category 'config'); connections
 * open on first use. Setup warnings go to `options.onWarning` and stay in
 * `reader.warnings`.
 */
export function createSourceReader(config: SourceConfig, options: SourceReaderOptions = {}): SourceReader {
  const resolved = resolveSourceConfig(config);
  const onWarning = options.onWarning ?? (() => {});

  const driver =
    resolved.client === 'mysql2'
      ? createMysqlDriver(resolved, onWarning)
      : resolved.client === 'pg'
        ? createPostgresDriver(resolved, onWarning)
        : createSqliteDriver(resolved);

  for (const warning of driver.warnings) onWarning(warning);
  return new SqlSourceReader(resolved, driver);
}
