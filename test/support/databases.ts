import { createConnection } from 'mysql2/promise';
import pg from 'pg';

/**
 * Access to the local MariaDB and PostgreSQL servers the integration tests
 * use. Each test file creates databases under its own name prefix, so files
 * can run in parallel against the same servers.
 *
 * Without a server, tests that need it skip with one line; under CI=true a
 * missing server is an error, so a broken CI machine never passes silently.
 */

export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' };

const reachable = new Map<string, Promise<boolean>>();

async function probeMariaDb(): Promise<boolean> {
  try {
    const conn = await createConnection({ ...MARIADB, connectTimeout: 3000 });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ ...POSTGRES, database: 'postgres', connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns whether the server is up. Under CI=true an unreachable server
 * throws instead, so the suite fails rather than skipping.
 */
export async function serverAvailable(server: 'mariadb' | 'postgres'): Promise<boolean> {
  if (!reachable.has(server)) {
    reachable.set(server, server === 'mariadb' ? probeMariaDb() : probePostgres());
  }
  const up = await reachable.get(server)!;

  if (!up && process.env.CI === 'true') {
    throw new Error(`${server} is not reachable on 127.0.0.1; CI needs it (see .ci/run).`);
  }
  if (!up) {
    process.stderr.write(`skipping ${server} tests: no server on 127.0.0.1\n`);
  }
  return up;
}

/** Drops and creates a MariaDB database (utf8mb4) and returns its name. */
export async function freshMariaDb(name: string): Promise<string> {
  const conn = await createConnection({ ...MARIADB, multipleStatements: true });
  try {
    await conn.query(
      `DROP DATABASE IF EXISTS \`${name}\`; CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;`,
    );
  } finally {
    await conn.end();
  }
  return name;
}

/** Runs SQL statements (several allowed) in a MariaDB database. */
export async function execMariaDb(database: string, sql: string): Promise<void> {
  const conn = await createConnection({ ...MARIADB, database, multipleStatements: true, charset: 'utf8mb4' });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** Drops and creates a PostgreSQL database (UTF8) and returns its name. */
export async function freshPostgres(name: string): Promise<string> {
  const client = new pg.Client({ ...POSTGRES, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
  return name;
}

/** Runs SQL statements (several allowed) in a PostgreSQL database. */
export async function execPostgres(database: string, sql: string): Promise<void> {
  const client = new pg.Client({ ...POSTGRES, database });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
