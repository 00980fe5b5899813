import pg from 'pg';

import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';

/** `state.connection` from the config: a postgres:// URL or node-postgres pool settings. */
export type PostgresConnection = string | Record<string, unknown>;

/** Default max connections per store. A run syncs one pipeline at a time, so few are busy at once. */
const DEFAULT_POOL_MAX = 4;

/** Builds node-postgres pool settings from the config value. */
export function poolConfigFor(connection: PostgresConnection, poolMax = DEFAULT_POOL_MAX): pg.PoolConfig {
  const base: pg.PoolConfig = typeof connection === 'string' ? { connectionString: connection } : { ...connection };
  return { application_name: 'owh-sync', max: poolMax, connectionTimeoutMillis: 10_000, ...base };
}

/** Describes the server and database for error messages, without the password. */
export function describeTarget(connection: PostgresConnection): string {
  if (typeof connection === 'string') {
    try {
      const url = new URL(connection);
      return `${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return '(unparsable URL)';
    }
  }
  const host = typeof connection.host === 'string' ? connection.host : 'localhost';
  const port = connection.port ?? 5432;
  const database = typeof connection.database === 'string' ? connection.database : '(default database)';
  return `${host}:${String(port)}/${database}`;
}

/** Wraps a failed connection attempt in an error that names the target and the key to fix. */
export function connectError(connection: PostgresConnection, cause: unknown): OwhError {
  const target = describeTarget(connection);
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new OwhError(
    'config',
    bi(
      `无法连接 PostgreSQL 状态库 ${target}：${reason}。请检查配置键 state.connection，并确认服务器已启动、数据库已存在。`,
      `cannot connect to the PostgreSQL state store ${target}: ${reason}. Check the key state.connection and that the server runs and the database exists.`,
    ),
    { cause, details: { target } },
  );
}

/** Quotes a schema name for SQL, after checking it is a plain identifier (the config checks it too). */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new OwhError(
      'config',
      bi(
        `状态库 schema 名称 "${name}" 无效：只能包含字母、数字和下划线，以字母或下划线开头，最长 63 个字符。`,
        `invalid state store schema name "${name}": use letters, digits and underscores, starting with a letter or underscore, at most 63 characters.`,
      ),
    );
  }
  return `"${name}"`;
}

/** Returns a timestamptz column value (a Date from node-postgres) as ISO text. */
export function isoText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Returns a nullable timestamptz column value as ISO text or null. */
export function isoTextOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : isoText(value);
}
