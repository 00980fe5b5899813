import mysql from 'mysql2';
import pg from 'pg';

import { BENCH_TABLE, MARIADB_SERVER, POSTGRES_SERVER, type BenchDb } from './bench-data.js';
import { startProbe } from './measure.js';

/**
 * Child process of measurement (a): reads the whole table with the driver
 * alone, in the order the pipeline reads it, and counts the rows. This is the
 * ceiling the pipeline's read rate is compared with.
 *
 * Both drivers return dates as text, as the pipeline's reader does, so
 * neither side pays for Date objects the other does not build.
 *
 * Input (argv[2]): { db, database }
 */

export interface PlainReadInput {
  db: BenchDb;
  database: string;
}

export interface PlainReadDetail {
  rows: number;
}

/**
 * The pipeline's page query without the keyset bounds and LIMIT. NOTE:
 * MariaDB 10.11 plans it as a full scan plus filesort, while the pipeline's
 * LIMIT pages read the (updated_at, id) index. With FORCE INDEX the 1 M row
 * read was slower on the bench machine (67 s against 47 s), because the
 * table outgrew the default 128 MB buffer pool.
 */
const READ_SQL = `SELECT *, updated_at AS owh_cursor FROM ${BENCH_TABLE} ORDER BY updated_at, id`;

/** Rows per FETCH from the PostgreSQL cursor. */
const FETCH_ROWS = 10_000;

async function readMariadb(database: string): Promise<number> {
  const conn = mysql.createConnection({
    ...MARIADB_SERVER,
    database,
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  let rows = 0;
  try {
    // A streaming query: rows arrive one by one and none is kept.
    for await (const row of conn.query(READ_SQL).stream()) {
      if (row) rows++;
    }
  } finally {
    await new Promise<void>((resolve) => conn.end(() => resolve()));
  }
  return rows;
}

const TIMESTAMP_OIDS = new Set([1114, 1184]);

async function readPostgres(database: string): Promise<number> {
  const client = new pg.Client({
    ...POSTGRES_SERVER,
    database,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        TIMESTAMP_OIDS.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  let rows = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`DECLARE bench_cursor NO SCROLL CURSOR FOR ${READ_SQL}`);

    // Bounded: every FETCH either returns rows of the finite table or ends the loop.
    while (true) {
      const result = await client.query(`FETCH ${FETCH_ROWS} FROM bench_cursor`);
      rows += result.rows.length;
      if (result.rows.length < FETCH_ROWS) break;
    }
    await client.query('CLOSE bench_cursor');
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return rows;
}

const probe = startProbe();
const input = JSON.parse(process.argv[2] ?? '{}') as PlainReadInput;
const rows = input.db === 'mariadb' ? await readMariadb(input.database) : await readPostgres(input.database);
probe.finish<PlainReadDetail>({ rows });
