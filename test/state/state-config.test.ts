import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadConfig } from '../../config/config-loader.js';
import { OwhError } from '../../config/errors.js';
import { openStateStore } from '../../pipelines/run-plan.js';
import { PostgresStateStore } from '../../pipelines/state/postgres-state-store.js';
import { SqliteStateStore } from '../../pipelines/state/sqlite-state-store.js';
import { execPostgres, freshPostgres, serverAvailable } from '../support/databases.js';

const DATABASE = 'owh_state_config';
const PG_UP = await serverAvailable('postgres');

const BASE = `version: 1
enterprise: { name: 示例企业, uscc: 91440300MA5G8KQ2X5 }
sources:
  wms: { client: better-sqlite3, connection: { filename: wms.sqlite } }
platform:
  endpoint: http://127.0.0.1:9
  senderId: S1
  keyFile: keys/private.pem
pipelines:
  goods: { source: wms, mapping: goods.yaml }
`;

describe('state section of the config', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-state-config-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(state: string): string {
    const file = path.join(dir, 'owh-sync.yaml');
    fs.writeFileSync(file, `${BASE}state:\n${state}`);
    return file;
  }

  function failure(file: string, env: NodeJS.ProcessEnv = {}): OwhError {
    try {
      loadConfig(file, env);
    } catch (error) {
      expect(error).toBeInstanceOf(OwhError);
      return error as OwhError;
    }
    throw new Error('loadConfig did not fail');
  }

  it('defaults to sqlite with schema owh_sync', () => {
    const loaded = loadConfig(write('  path: state.sqlite\n'), {});

    expect(loaded.config.state.driver).toBe('sqlite');
    expect(loaded.config.state.schema).toBe('owh_sync');
    expect(loaded.config.state.connection).toBeUndefined();
  });

  it('reads a postgres connection from the environment', () => {
    const file = write('  driver: postgres\n  connection: ${STATE_URL}\n  schema: sync_state\n');
    const loaded = loadConfig(file, { STATE_URL: 'postgres://sync:pw@127.0.0.1:5432/state' });

    expect(loaded.config.state.connection).toBe('postgres://sync:pw@127.0.0.1:5432/state');
    expect(loaded.config.state.schema).toBe('sync_state');
  });

  it('accepts a connection object', () => {
    const file = write('  driver: postgres\n  connection: { host: 127.0.0.1, user: sync, password: "${PGPASS}", database: state }\n');
    const loaded = loadConfig(file, { PGPASS: 'pw' });

    expect(loaded.config.state.connection).toEqual({ host: '127.0.0.1', user: 'sync', password: 'pw', database: 'state' });
  });

  it('rejects postgres without a connection', () => {
    const error = failure(write('  driver: postgres\n'));

    expect(error.category).toBe('config');
    expect(error.text.en).toContain('state.connection');
    expect(error.text.en).toContain('required');
    expect(error.text['zh-CN']).toContain('必须填写 state.connection');
  });

  it('rejects a connection with the sqlite driver', () => {
    const error = failure(write('  connection: postgres://127.0.0.1/state\n'));

    expect(error.text.en).toContain('state.driver');
    expect(error.text.en).toContain('set driver: postgres');
    expect(error.text['zh-CN']).toContain('driver: postgres');
  });

  it('rejects a schema that is not an identifier', () => {
    const error = failure(write('  driver: postgres\n  connection: postgres://127.0.0.1/state\n  schema: "owh; drop"\n'));

    expect(error.text.en).toContain('state.schema');
    expect(error.text.en).toContain('"owh; drop"');
    expect(error.text['zh-CN']).toContain('普通标识符');
  });

  it('opens the sqlite store by default', async () => {
    const store = await openStateStore(loadConfig(write('  path: state.sqlite\n'), {}));
    try {
      expect(store).toBeInstanceOf(SqliteStateStore);
      expect(fs.existsSync(path.join(dir, 'state.sqlite'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it.skipIf(!PG_UP)('opens the postgres store the config names', async () => {
    await freshPostgres(DATABASE);
    const file = write(`  driver: postgres\n  connection: postgres://postgres@127.0.0.1:5432/${DATABASE}\n  schema: from_config\n`);

    const store = await openStateStore(loadConfig(file, {}));
    try {
      expect(store).toBeInstanceOf(PostgresStateStore);
      await store.saveCheckpoint('goods', { position: null, childCursors: {} });
    } finally {
      await store.close();
    }
    // The tables went to the configured schema.
    await execPostgres(DATABASE, `SELECT 1 / COUNT(*) FROM from_config.checkpoints`);
  });
});
