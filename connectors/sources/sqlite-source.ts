import Database from 'better-sqlite3';
import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import { sqliteColumnKind, sqliteValue } from './column-types.js';
import { sourceError } from './driver-errors.js';
import type { DriverSession, QueryResult, SourceDriver } from './sql-source.js';
import type { ResolvedSourceConfig } from './source-reader.js';
import { type SqlPart, isBound } from './sql-text.js';

/**
 * SQLite through better-sqlite3 directly, not through knex: knex's
 * better-sqlite3 client cannot pass fileMustExist, and its results carry no
 * declared column types, which decide whether an INTEGER is a number or a
 * string. Each snapshot opens its own read-only handle; opening one is
 * cheap, and a handle holds only one transaction at a time.
 *
 * A snapshot keeps a read transaction open only in WAL mode. In the default
 * rollback-journal mode a read transaction keeps a SHARED lock that makes
 * every writer of the WMS fail with "database is locked" until the run ends,
 * so there each statement is its own transaction. The fixed upper bound and
 * the keyset order still read each row once; what such a run can see is a
 * row that changed between two pages at its new position, which a later
 * page or run reads anyway.
 */

const CLOCK_SQL = "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now') AS utc_now";

function filenameOf(config: ResolvedSourceConfig): string {
  const connection = config.connection;
  const filename = typeof connection === 'string' ? connection : connection.filename;

  if (typeof filename !== 'string' || filename === '' || filename === ':memory:') {
    throw new OwhError(
      'config',
      bi(
        `数据源 ${config.id} 的 SQLite 连接需要一个已存在的数据库文件路径，当前为 ${String(filename)}。请把 connection 设为文件路径或 { filename }。`,
        `Source ${config.id}: an SQLite connection needs the path of an existing database file, got ${String(filename)}. Set connection to a file path or { filename }.`,
      ),
      { details: { source: config.id, value: filename } },
    );
  }
  return filename;
}

/** Binds numbers as BigInt when they are integers, so 64-bit keys compare exactly. */
function renderSql(parts: SqlPart[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const text = parts
    .map((part) => {
      if (!isBound(part)) return part;

      if (part.kind === 'number') values.push(/^-?\d+$/.test(part.value) ? BigInt(part.value) : Number(part.value));
      else values.push(part.value);
      return '?';
    })
    .join('');
  return { text, values };
}

export function createSqliteDriver(config: ResolvedSourceConfig): SourceDriver {
  const filename = filenameOf(config);

  async function openSession(): Promise<DriverSession> {
    let db: Database.Database;
    let clock: string;
    try {
      db = new Database(filename, { readonly: true, fileMustExist: true, timeout: config.connectTimeoutSeconds * 1000 });

      // INTEGER as BigInt, so values past 2^53 keep every digit; the column's
      // declared type then decides number or string.
      db.defaultSafeIntegers(true);
      clock = String((db.prepare(CLOCK_SQL).get() as { utc_now: string }).utc_now);

      // A deferred read transaction. Its snapshot starts at the first read
      // and lasts until the session ends, and WAL readers never block writers.
      const journalMode = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
      if (journalMode === 'wal') db.exec('BEGIN');
    } catch (error) {
      throw sourceError(config.id, filename, error);
    }

    return {
      async query(parts: SqlPart[]): Promise<QueryResult> {
        const { text, values } = renderSql(parts);
        try {
          const statement = db.prepare(text);
          if (!statement.reader) {
            statement.run(...values);
            return { rows: [], columns: [] };
          }

          const columns = statement.columns().map((c) => ({ name: c.name, kind: sqliteColumnKind(c.type) ?? 'other' }) as const);
          const raw = statement.all(...values) as Record<string, unknown>[];
          const rows = raw.map((row) => {
            for (const column of columns) row[column.name] = sqliteValue(row[column.name], column.kind);
            return row;
          });
          return { rows, columns: [...columns] };
        } catch (error) {
          throw sourceError(config.id, filename, error, text);
        }
      },
      async utcClock(): Promise<string> {
        return clock;
      },
      async end(): Promise<void> {
        if (db.inTransaction) db.exec('ROLLBACK');
        db.close();
      },
    };
  }

  return { quote: '"', warnings: [], openSession, close: async () => {} };
}
