import { OwhError, toError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';

/**
 * Driver error codes that mean the database could not be reached or refused
 * the login, as opposed to a statement it could not run. Sources: Node's
 * socket errors, mysql2's protocol codes, MySQL server error names, PG
 * SQLSTATE classes 08 (connection) and 28 (authorization), 3D000 (no such
 * database), 57P0x (server shutting down), SQLite's open failures.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_CON_COUNT_ERROR',
  '3D000',
  '57P01',
  '57P02',
  '57P03',
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
]);

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

export function isUnreachable(error: Error): boolean {
  const code = codeOf(error);
  if (UNREACHABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('28')) return true;

  // knex reports a pool that could not get a connection in time this way.
  return error.name === 'KnexTimeoutError';
}

/**
 * Wraps a failure to connect or to run a statement as an OwhError. `target`
 * names the database without secrets (host:port/database or a file path).
 */
export function sourceError(source: string, target: string, cause: unknown, sql?: string): OwhError {
  if (cause instanceof OwhError) return cause;

  const error = toError(cause);
  const code = codeOf(error);
  const details = { source, target, code, ...(sql ? { sql } : {}) };

  if (isUnreachable(error)) {
    return new OwhError(
      'source-unreachable',
      bi(
        `无法连接数据源 ${source}（${target}）：${error.message}。请检查地址、端口、库名、账号和网络，然后重试。`,
        `Cannot reach source ${source} (${target}): ${error.message}. Check host, port, database name, account and network, then retry.`,
      ),
      { cause: error, details },
    );
  }

  return new OwhError(
    'config',
    bi(
      `数据源 ${source}（${target}）的查询失败：${error.message}。请检查读取声明中的表名、列名、游标表达式和 where 条件。`,
      `Query on source ${source} (${target}) failed: ${error.message}. Check the table, column names, cursor expression and where condition of the read.`,
    ),
    { cause: error, details },
  );
}
