import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { bi } from '../../config/i18n.js';
import { pgClientTypes, pgColumnKind } from './column-types.js';
import { sourceError } from './driver-errors.js';
import type { DriverSession, QueryResult, SourceDriver } from './sql-source.js';
import type { ResolvedSourceConfig } from './source-reader.js';
import type { SourceWarning } from './source-types.js';
import { type SqlPart, isBound } from './sql-text.js';

/**
 * PostgreSQL through pg, pooled by knex. Statements go to the pg client
 * directly with $n parameters, because knex.raw would read a `?` in the
 * user's SQL (the jsonb `?` operator) as a binding.
 */

const BROKEN = Symbol('broken');

type ReaderClient = pg.Client & { [BROKEN]?: boolean };

/**
 * Session settings sent in the startup packet, so they hold before the first
 * statement and for every transaction:
 * - default_transaction_read_only: readers never write.
 * - TimeZone=UTC: timestamptz text is UTC, so the reader marks it with Z.
 * - DateStyle=ISO: dates and timestamps print as YYYY-MM-DD HH:MM:SS.
 */
const SESSION_OPTIONS = '-c default_transaction_read_only=on -c TimeZone=UTC -c DateStyle=ISO';

function describeTarget(connection: Record<string, unknown> | string): string {
  if (typeof connection === 'string') {
    const url = new URL(connection);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  }
  return `${String(connection.host ?? 'localhost')}:${String(connection.port ?? 5432)}/${String(connection.database ?? '')}`;
}

/** Builds pg client options: the user's address and account plus the reader's type parsers and session settings. */
export function pgConnectionOptions(config: ResolvedSourceConfig): Record<string, unknown> {
  const user = config.connection;
  const base: Record<string, unknown> = typeof user === 'string' ? { connectionString: user } : { ...user };
  const userOptions = typeof base.options === 'string' ? `${base.options} ` : '';

  return {
    ...base,
    // Per-client parsers: pg.types.setTypeParser would change every pg user in the process.
    types: pgClientTypes(pg.types),
    options: `${userOptions}${SESSION_OPTIONS}`,
    connectionTimeoutMillis: config.connectTimeoutSeconds * 1000,
  };
}

function renderSql(parts: SqlPart[]): { text: string; values: string[] } {
  const values: string[] = [];
  const text = parts
    .map((part) => {
      if (!isBound(part)) return part;

      // Untyped parameters take the type of the column they are compared
      // with, so a BIGINT key compares as bigint, not as text or float.
      values.push(part.value);
      return `$${values.length}`;
    })
    .join('');
  return { text, values };
}

export function createPostgresDriver(config: ResolvedSourceConfig, onWarning: (warning: SourceWarning) => void): SourceDriver {
  const target = describeTarget(config.connection);
  const driverWarning = (message: unknown): void => {
    onWarning({ code: 'driver-warning', source: config.id, value: String(message), message: bi(`数据源 ${config.id} 的驱动警告：${String(message)}`, `Source ${config.id} driver warning: ${String(message)}`) });
  };

  const db: Knex = knexFactory({
    client: 'pg',
    connection: pgConnectionOptions(config) as Knex.PgConnectionConfig,
    pool: { min: 0, max: config.poolMax, validate: (client: ReaderClient) => !client[BROKEN] },
    acquireConnectionTimeout: config.connectTimeoutSeconds * 1000,
    log: { warn: driverWarning, error: driverWarning, deprecate: driverWarning, debug: () => {} },
  });

  async function openSession(): Promise<DriverSession> {
    let client: ReaderClient;
    try {
      client = (await db.client.acquireConnection()) as ReaderClient;
    } catch (error) {
      throw sourceError(config.id, target, error);
    }

    try {
      // REPEATABLE READ keeps one snapshot, taken at the first statement,
      // for the upper bound and every page of the run.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (error) {
      client[BROKEN] = true;
      await db.client.releaseConnection(client);
      throw sourceError(config.id, target, error);
    }

    const session: DriverSession = {
      async query(parts: SqlPart[]): Promise<QueryResult> {
        const { text, values } = renderSql(parts);
        try {
          const result = await client.query({ text, values });
          const columns = (result.fields ?? []).map((field) => ({ name: field.name, kind: pgColumnKind(field.dataTypeID) }));
          return { rows: result.rows as Record<string, unknown>[], columns };
        } catch (error) {
          throw sourceError(config.id, target, error, text);
        }
      },
      async utcClock(): Promise<string> {
        // now() is the transaction's start, which comes before its snapshot.
        const result = await session.query([`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS utc_now`]);
        return String(result.rows[0]?.utc_now);
      },
      async end(): Promise<void> {
        try {
          await client.query('ROLLBACK');
        } catch {
          // The pool drops a client whose transaction state is unknown.
          client[BROKEN] = true;
        }
        await db.client.releaseConnection(client);
      },
    };
    return session;
  }

  return {
    quote: '"',
    warnings: [],
    openSession,
    close: () => db.destroy(),
  };
}
