import knexFactory, { type Knex } from 'knex';
import type { Connection, FieldPacket } from 'mysql2';
import { bi } from '../../config/i18n.js';
import { MYSQL_VALUE_OPTIONS, mysqlColumnKind, mysqlTypeCast } from './column-types.js';
import { sourceError } from './driver-errors.js';
import type { DriverSession, QueryResult, SourceDriver } from './sql-source.js';
import type { ResolvedSourceConfig } from './source-reader.js';
import type { SourceWarning } from './source-types.js';
import { type SqlPart, isBound } from './sql-text.js';

/**
 * MySQL / MariaDB through mysql2, pooled by knex, which supplies the pool and
 * its afterCreate hook. Statements go to the mysql2 connection directly,
 * because knex.raw would treat every `?` in the SQL as a binding, including
 * one inside a user's where clause.
 */

/** The charset every connection uses: 4-byte UTF-8, so emoji and astral CJK arrive intact. */
const FORCED_CHARSET = 'UTF8MB4_UNICODE_CI';

const NO_BACKSLASH_ESCAPES = Symbol('noBackslashEscapes');
const BROKEN = Symbol('broken');

type ReaderConnection = Connection & { [NO_BACKSLASH_ESCAPES]?: boolean; [BROKEN]?: boolean };

function run(conn: Connection, sql: string): Promise<[unknown, FieldPacket[]]> {
  return new Promise((resolve, reject) => {
    conn.query({ sql, typeCast: mysqlTypeCast }, (error, rows, fields) => {
      if (error) reject(error);
      else resolve([rows, (fields ?? []) as FieldPacket[]]);
    });
  });
}

/** Names the server without the password, for messages. */
function describeTarget(connection: Record<string, unknown> | string): string {
  if (typeof connection === 'string') {
    const url = new URL(connection);
    return `${url.hostname}:${url.port || '3306'}${url.pathname}`;
  }
  const host = String(connection.host ?? connection.socketPath ?? 'localhost');
  return `${host}:${String(connection.port ?? 3306)}/${String(connection.database ?? '')}`;
}

/**
 * Builds mysql2 options from the user's: the user's address and account,
 * our value options and a 4-byte charset. A 3-byte charset (utf8,
 * UTF8_GENERAL_CI, often copied from configs for the old mysql driver)
 * would turn every emoji into `?`, so it is replaced and reported.
 */
export function mysqlConnectionOptions(config: ResolvedSourceConfig): { options: Record<string, unknown>; warnings: SourceWarning[] } {
  const user = config.connection;
  const base: Record<string, unknown> = typeof user === 'string' ? { uri: user } : { ...user };
  const requested = typeof user === 'string' ? new URL(user).searchParams.get('charset') : (user.charset as string | undefined);
  const warnings: SourceWarning[] = [];

  let charset = FORCED_CHARSET;
  if (requested && /^utf8mb4/i.test(requested)) {
    charset = requested;
  } else if (requested) {
    warnings.push({
      code: 'charset-replaced',
      source: config.id,
      value: requested,
      message: bi(
        `数据源 ${config.id} 的连接字符集 ${requested} 不是 4 字节 UTF-8，表情符号和生僻汉字会读成 "?"；已改用 ${FORCED_CHARSET}。请从连接配置中删除 charset 或改为 utf8mb4。`,
        `Source ${config.id}: connection charset ${requested} is not 4-byte UTF-8 and would read emoji and astral CJK as "?"; ${FORCED_CHARSET} is used instead. Remove charset from the connection or set it to utf8mb4.`,
      ),
    });
  }

  // The user's timezone, typeCast and number options are dropped on purpose:
  // values must reach the reader unconverted.
  delete base.timezone;
  delete base.typeCast;
  const options = {
    ...base,
    ...MYSQL_VALUE_OPTIONS,
    charset,
    typeCast: mysqlTypeCast,
    multipleStatements: false,
    connectTimeout: config.connectTimeoutSeconds * 1000,
  };
  return { options, warnings };
}

/** Session setup, run once on each new pooled connection before first use. */
async function prepareConnection(conn: ReaderConnection): Promise<void> {
  // Readers never write: every transaction on this session is read-only.
  await run(conn, 'SET SESSION TRANSACTION READ ONLY');

  // TIMESTAMP columns are shown in the session zone; UTC makes their text an
  // instant the reader can mark with Z. DATETIME is not affected.
  await run(conn, "SET time_zone = '+00:00'");

  // Literals are escaped by hand (text protocol), and NO_BACKSLASH_ESCAPES
  // changes what a backslash means inside them.
  const [rows] = await run(conn, 'SELECT @@SESSION.sql_mode AS sql_mode');
  const mode = String((rows as Array<{ sql_mode: string }>)[0]?.sql_mode ?? '');
  conn[NO_BACKSLASH_ESCAPES] = mode.split(',').includes('NO_BACKSLASH_ESCAPES');
}

/**
 * Renders parts as one statement for the text protocol: values become
 * literals. Numbers and datetimes were checked to hold only digits and
 * separators; text is escaped for the session's sql_mode.
 */
function renderSql(conn: ReaderConnection, parts: SqlPart[]): string {
  return parts
    .map((part) => {
      if (!isBound(part)) return part;

      switch (part.kind) {
        case 'number':
          return part.value;
        case 'datetime':
          return `'${part.value.replace('T', ' ')}'`;
        case 'timestamptz':
          // The session zone is UTC, so the instant's wall time is the literal.
          return `'${part.value.replace('T', ' ').replace(/Z$/, '')}'`;
        case 'text':
          return conn[NO_BACKSLASH_ESCAPES] ? `'${part.value.replaceAll("'", "''")}'` : conn.escape(part.value);
      }
    })
    .join('');
}

export function createMysqlDriver(config: ResolvedSourceConfig, onWarning: (warning: SourceWarning) => void): SourceDriver {
  const { options, warnings } = mysqlConnectionOptions(config);
  const target = describeTarget(config.connection);
  const driverWarning = (message: unknown): void => {
    onWarning({ code: 'driver-warning', source: config.id, value: String(message), message: bi(`数据源 ${config.id} 的驱动警告：${String(message)}`, `Source ${config.id} driver warning: ${String(message)}`) });
  };

  const db: Knex = knexFactory({
    client: 'mysql2',
    connection: options,
    pool: {
      min: 0,
      max: config.poolMax,
      afterCreate: (conn: ReaderConnection, done: (error: Error | null, conn: unknown) => void) => {
        prepareConnection(conn).then(
          () => done(null, conn),
          (error: Error) => done(error, conn),
        );
      },
      validate: (conn: ReaderConnection) => !conn[BROKEN],
    },
    acquireConnectionTimeout: config.connectTimeoutSeconds * 1000,
    log: { warn: driverWarning, error: driverWarning, deprecate: driverWarning, debug: () => {} },
  });

  async function openSession(): Promise<DriverSession> {
    let conn: ReaderConnection;
    try {
      conn = (await db.client.acquireConnection()) as ReaderConnection;
    } catch (error) {
      throw sourceError(config.id, target, error);
    }

    let clock: string;
    try {
      // The clock is read just before the snapshot, and the snapshot starts
      // here rather than at the first table read, so the upper bound and
      // every page see the same committed data.
      const [rows] = await run(conn, 'SELECT UTC_TIMESTAMP(6) AS utc_now');
      clock = String((rows as Array<{ utc_now: string }>)[0]?.utc_now);
      await run(conn, 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    } catch (error) {
      conn[BROKEN] = true;
      await db.client.releaseConnection(conn);
      throw sourceError(config.id, target, error);
    }

    return {
      async query(parts: SqlPart[]): Promise<QueryResult> {
        const sql = renderSql(conn, parts);
        try {
          const [rows, fields] = await run(conn, sql);
          const columns = fields.map((field) => ({ name: field.name, kind: mysqlColumnKind(field) }));
          return { rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [], columns };
        } catch (error) {
          throw sourceError(config.id, target, error, sql);
        }
      },
      async utcClock(): Promise<string> {
        return clock;
      },
      async end(): Promise<void> {
        try {
          await run(conn, 'ROLLBACK');
        } catch {
          // The pool drops a connection whose transaction state is unknown.
          conn[BROKEN] = true;
        }
        await db.client.releaseConnection(conn);
      },
    };
  }

  return {
    quote: '`',
    warnings,
    openSession,
    close: () => db.destroy(),
  };
}
