import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

import { PostgresStateStore } from '../../pipelines/state/postgres-state-store.js';
import { SqliteStateStore } from '../../pipelines/state/sqlite-state-store.js';
import type { StateStore } from '../../pipelines/state/state-store.js';
import { execPostgres, freshPostgres, POSTGRES, serverAvailable } from '../support/databases.js';

/**
 * One state store back end, as the conformance suite uses it: a fresh empty
 * store per test, any number of instances on it ("workers"), and a raw row
 * count for tables the interface has no reader for (receipts, schema_version).
 */
export interface StoreTarget {
  name: 'sqlite' | 'postgres';
  available: boolean;
  /** Runs once per file, before the first test. */
  prepare(): Promise<void>;
  /** Empties the store: a new SQLite file, or the schema dropped. */
  reset(): Promise<void>;
  /** A new, not yet migrated, instance on the current store. */
  open(): StateStore;
  countRows(table: string): Promise<number>;
  cleanUp(): Promise<void>;
}

export const CONFORMANCE_DATABASE = 'owh_state_conformance';
export const CONFORMANCE_SCHEMA = 'owh_sync';
export const CONFORMANCE_URL = `postgres://${POSTGRES.user}@${POSTGRES.host}:${POSTGRES.port}/${CONFORMANCE_DATABASE}`;

export function sqliteTarget(): StoreTarget {
  let dir = '';
  let file = '';

  return {
    name: 'sqlite',
    available: true,
    async prepare() {},
    async reset() {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-state-'));
      file = path.join(dir, 'state.sqlite');
    },
    open: () => new SqliteStateStore(file),
    async countRows(table) {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    async cleanUp() {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresTarget(): Promise<StoreTarget> {
  const available = await serverAvailable('postgres');

  return {
    name: 'postgres',
    available,
    async prepare() {
      await freshPostgres(CONFORMANCE_DATABASE);
    },
    async reset() {
      await execPostgres(CONFORMANCE_DATABASE, `DROP SCHEMA IF EXISTS ${CONFORMANCE_SCHEMA} CASCADE`);
    },
    open: () => new PostgresStateStore({ connection: CONFORMANCE_URL, schema: CONFORMANCE_SCHEMA }),
    async countRows(table) {
      return countPostgresRows(`${CONFORMANCE_SCHEMA}.${table}`);
    },
    async cleanUp() {},
  };
}

/** Counts the rows of a schema-qualified table in the conformance database. */
export async function countPostgresRows(qualifiedTable: string): Promise<number> {
  const client = new pg.Client({ ...POSTGRES, database: CONFORMANCE_DATABASE });
  await client.connect();
  try {
    const result = await client.query(`SELECT COUNT(*) AS n FROM ${qualifiedTable}`);
    return Number(result.rows[0].n);
  } finally {
    await client.end();
  }
}
