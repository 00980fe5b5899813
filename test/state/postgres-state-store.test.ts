import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { OwhError } from '../../config/errors.js';
import { POSTGRES_MIGRATIONS } from '../../pipelines/state/migrations/postgres-migrations.js';
import { PostgresStateStore } from '../../pipelines/state/postgres-state-store.js';
import { execPostgres, freshPostgres, POSTGRES, serverAvailable } from '../support/databases.js';

/**
 * What only the PostgreSQL store has: a configurable schema, a version
 * check against newer workers, connection errors and dropped connections.
 * The shared behaviour is in state-store-conformance.test.ts.
 */

const DATABASE = 'owh_state_postgres';
const URL = `postgres://${POSTGRES.user}@${POSTGRES.host}:${POSTGRES.port}/${DATABASE}`;
const PG_UP = await serverAvailable('postgres');

async function tablesIn(schema: string): Promise<string[]> {
  const client = new pg.Client({ ...POSTGRES, database: DATABASE });
  await client.connect();
  try {
    const result = await client.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
    return result.rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}

describe.skipIf(!PG_UP)('postgres state store', () => {
  const opened: PostgresStateStore[] = [];

  function open(options: Partial<ConstructorParameters<typeof PostgresStateStore>[0]> = {}): PostgresStateStore {
    const store = new PostgresStateStore({ connection: URL, ...options });
    opened.push(store);
    return store;
  }

  beforeAll(async () => {
    await freshPostgres(DATABASE);
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('creates its tables in schema owh_sync', async () => {
    await open().migrate();

    expect(await tablesIn('owh_sync')).toEqual(['checkpoints', 'dead_letters', 'ledger', 'locks', 'outbox', 'receipts', 'reconcile_seen', 'runs', 'schema_version']);
  });

  it('keeps stores in two schemas apart', async () => {
    const east = open({ schema: 'state_east' });
    const west = open({ schema: 'state_west' });
    await east.migrate();
    await west.migrate();

    await east.saveCheckpoint('goods', { position: { cursor: 'c', key: ['1'] }, childCursors: {} });

    expect(await west.getCheckpoint('goods')).toBeNull();
    expect(await tablesIn('state_west')).toEqual(await tablesIn('state_east'));
  });

  it('uses a schema created beforehand', async () => {
    await execPostgres(DATABASE, 'DROP SCHEMA IF EXISTS prepared CASCADE; CREATE SCHEMA prepared');
    await open({ schema: 'prepared' }).migrate();

    expect(await tablesIn('prepared')).toContain('ledger');
  });

  it('migrates as a user without CREATE on the database', async () => {
    // A DBA may hand the sync user one schema and nothing else.
    await execPostgres(
      DATABASE,
      `DROP SCHEMA IF EXISTS limited_state CASCADE;
       DROP ROLE IF EXISTS owh_state_limited;
       CREATE ROLE owh_state_limited LOGIN;
       CREATE SCHEMA limited_state AUTHORIZATION owh_state_limited;`,
    );

    try {
      const store = open({ connection: { ...POSTGRES, user: 'owh_state_limited', database: DATABASE }, schema: 'limited_state' });
      await store.migrate();
      await store.saveCheckpoint('goods', { position: null, childCursors: {} });

      expect(await tablesIn('limited_state')).toContain('checkpoints');
    } finally {
      for (const store of opened.splice(0)) await store.close();
      await execPostgres(DATABASE, 'DROP SCHEMA IF EXISTS limited_state CASCADE; DROP ROLE IF EXISTS owh_state_limited');
    }
  });

  it('rejects a schema migrated by a newer version', async () => {
    await execPostgres(DATABASE, 'DROP SCHEMA IF EXISTS state_future CASCADE');
    await open({ schema: 'state_future' }).migrate();
    await execPostgres(DATABASE, 'INSERT INTO state_future.schema_version (version) VALUES (999)');

    const error = await open({ schema: 'state_future' })
      .migrate()
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OwhError);
    expect((error as OwhError).text.en).toContain('version 999');
    expect((error as OwhError).text.en).toContain(`the ${POSTGRES_MIGRATIONS.length} this owh-sync supports`);
  });

  it('rejects a schema name that is not an identifier', () => {
    expect(() => open({ schema: 'owh"; drop' })).toThrow(/invalid state store schema name/);
  });

  it('names the target, not the password, when it cannot connect', async () => {
    // Port 1 on loopback has no server, so the connection is refused at once.
    const store = open({ connection: 'postgres://sync:s3cret@127.0.0.1:1/nowhere' });

    const error = await store.migrate().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OwhError);
    expect((error as OwhError).category).toBe('config');
    expect((error as OwhError).text.en).toContain('127.0.0.1:1/nowhere');
    expect((error as OwhError).text.en).toContain('state.connection');
    expect((error as OwhError).text['zh-CN']).toContain('无法连接 PostgreSQL 状态库');
    expect((error as OwhError).text.en).not.toContain('s3cret');
  });

  it('reconnects after the server drops its connections', async () => {
    const store = open({ schema: 'state_dropped' });
    await store.migrate();
    await store.saveCheckpoint('goods', { position: { cursor: 'c', key: ['1'] }, childCursors: {} });

    await execPostgres(
      DATABASE,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'owh-sync' AND datname = '${DATABASE}'`,
    );
    // The pool learns of the dropped idle connections from their error events.
    await new Promise((resolve) => setTimeout(resolve, 100));

    const checkpoint = await store.getCheckpoint('goods');
    expect(checkpoint?.position).toEqual({ cursor: 'c', key: ['1'] });
  });
});
