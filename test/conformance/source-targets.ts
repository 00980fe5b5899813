import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SourceConfig } from '../../connectors/sources/index.js';
import {
  MARIADB,
  POSTGRES,
  execMariaDb,
  execPostgres,
  freshMariaDb,
  freshPostgres,
  serverAvailable,
} from '../support/databases.js';

/**
 * The databases the conformance suite runs against, with what differs
 * between them: column type names, how fixtures are written and the
 * reader's config. Fixtures are written through a separate writable
 * connection, never through a reader.
 */

export type TargetName = 'mariadb' | 'postgres' | 'sqlite';

/** Column type names per database, for fixture DDL. */
export interface TypeNames {
  int: string;
  bigint: string;
  /** The widest unsigned integer: BIGINT UNSIGNED on MariaDB, BIGINT elsewhere. */
  widestInt: string;
  decimal: (precision: number, scale: number) => string;
  date: string;
  datetime: string;
  datetime6: string;
  text: string;
  smallFlag: string;
  json: string;
}

export interface Target {
  name: TargetName;
  /** Probes the server (skipping with one line when it is missing); SQLite is always there. */
  available(): Promise<boolean>;
  /** Creates an empty database (or file) for this suite. */
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** Runs fixture SQL (several statements allowed) on a writable connection. */
  exec(sql: string): Promise<void>;
  /** A reader config for the suite's database. */
  config(overrides?: Partial<SourceConfig>): SourceConfig;
  types: TypeNames;
  /** The largest key the widest integer column holds. */
  maxKey: string;
}

const DATABASE = 'owh_src_conformance';

const mariadb: Target = {
  name: 'mariadb',
  available: () => serverAvailable('mariadb'),
  setup: async () => {
    await freshMariaDb(DATABASE);
  },
  teardown: async () => {},
  // Legacy WMS sessions allow zero dates. MariaDB's default mode already
  // does and MySQL 8's does not, so the fixtures set the mode explicitly.
  exec: (sql) => execMariaDb(DATABASE, `SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'; ${sql}`),
  config: (overrides = {}) => ({
    id: 'conformance-mariadb',
    client: 'mysql2',
    connection: { ...MARIADB, database: DATABASE },
    timezone: 'Asia/Shanghai',
    ...overrides,
  }),
  types: {
    int: 'INT',
    bigint: 'BIGINT',
    widestInt: 'BIGINT UNSIGNED',
    decimal: (p, s) => `DECIMAL(${p},${s})`,
    date: 'DATE',
    datetime: 'DATETIME',
    datetime6: 'DATETIME(6)',
    text: 'VARCHAR(200)',
    smallFlag: 'TINYINT(1)',
    json: 'JSON',
  },
  maxKey: '18446744073709551615',
};

const postgres: Target = {
  name: 'postgres',
  available: () => serverAvailable('postgres'),
  setup: async () => {
    await freshPostgres(DATABASE);
  },
  teardown: async () => {},
  exec: (sql) => execPostgres(DATABASE, sql),
  config: (overrides = {}) => ({
    id: 'conformance-postgres',
    client: 'pg',
    connection: { ...POSTGRES, database: DATABASE },
    timezone: 'Asia/Shanghai',
    ...overrides,
  }),
  types: {
    int: 'INTEGER',
    bigint: 'BIGINT',
    widestInt: 'BIGINT',
    decimal: (p, s) => `NUMERIC(${p},${s})`,
    date: 'DATE',
    datetime: 'TIMESTAMP(0)',
    datetime6: 'TIMESTAMP(6)',
    text: 'VARCHAR(200)',
    smallFlag: 'SMALLINT',
    json: 'JSONB',
  },
  maxKey: '9223372036854775807',
};

function sqliteTarget(): Target {
  let directory = '';
  const file = (): string => path.join(directory, 'wms.sqlite');

  return {
    name: 'sqlite',
    available: async () => true,
    setup: async () => {
      directory = mkdtempSync(path.join(tmpdir(), 'owh-src-'));

      // WAL mode, which many apps turn on: readers then hold a snapshot
      // without blocking the WMS's writers (the mode is stored in the file).
      const db = new Database(file());
      db.pragma('journal_mode = WAL');
      db.close();
    },
    teardown: async () => {
      if (directory) rmSync(directory, { recursive: true, force: true });
    },
    exec: async (sql) => {
      const db = new Database(file());
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    config: (overrides = {}) => ({
      id: 'conformance-sqlite',
      client: 'better-sqlite3',
      connection: { filename: file() },
      timezone: 'Asia/Shanghai',
      ...overrides,
    }),
    types: {
      int: 'INTEGER',
      bigint: 'BIGINT',
      // Declared BIGINT, so every value is a string, as on the servers.
      widestInt: 'BIGINT',
      // NUMERIC affinity would store 1.5000 as the REAL 1.5, so SQLite
      // databases that care keep decimals in TEXT; the fixtures do too.
      decimal: () => 'TEXT',
      date: 'DATE',
      datetime: 'DATETIME',
      datetime6: 'DATETIME',
      text: 'TEXT',
      smallFlag: 'TINYINT(1)',
      json: 'JSON',
    },
    maxKey: '9223372036854775807',
  };
}

export const TARGETS: Target[] = [mariadb, postgres, sqliteTarget()];
