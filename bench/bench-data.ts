import { createConnection } from 'mysql2/promise';
import pg from 'pg';

/**
 * Generates the benchmark's WMS table `bench_sku` inside the database server
 * (MariaDB: INSERT … SELECT from the SEQUENCE engine's `seq_A_to_B` tables;
 * PostgreSQL: generate_series), so a million rows take seconds, not a
 * million client round trips.
 *
 * Values are derived from the row id only, so two generations of the same
 * size hold the same rows. About 25 rows share each `updated_at` value, and
 * the timestamps are spread over the ids by a multiplication modulo the slot
 * count, so the keyset order (updated_at, id) differs from the id order.
 */

export type BenchDb = 'mariadb' | 'postgres';

export const BENCH_TABLE = 'bench_sku';

/** Loopback servers the bench uses; the same accounts as the integration tests. */
export const MARIADB_SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
export const POSTGRES_SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };

/** Rows inserted per INSERT … SELECT statement, to keep each transaction small. */
const ROWS_PER_CHUNK = 250_000;

/** Rows that share one updated_at value, on average. */
const ROWS_PER_TIMESTAMP = 25;

const GOODS_NAMES = ['不锈钢保温杯', '纯棉浴巾', '猫咪玩具', '无线蓝牙耳机', '儿童积木套装', '陶瓷餐具', '硅胶厨具', '运动水壶', '羊毛围巾', '手机保护壳', '折叠雨伞', '护眼台灯'];
const COLOURS = ['红色', '蓝色', '黑色', '白色', '灰色', '绿色'];
const BRANDS = ['森林小屋', 'FurKid', '鹏海', 'BlueWave', '暖阳'];
const MATERIALS = ['塑料', '棉', '不锈钢', '陶瓷', '硅胶'];
const HS_CODES = ['9617001100', '6302600090', '9503008900', '8518300000', '9503006000', '6911101900', '3924100000', '7323930000'];
/** Unit codes from the profile's `unit` code list (个, 件, 条, 套). */
const UNITS = ['007', '011', '015', '006'];

export interface TableStatus {
  rows: number;
  generated: boolean;
  seconds: number;
}

function sqlList(values: string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

function timestampSlots(rows: number): number {
  return Math.max(1, Math.floor(rows / ROWS_PER_TIMESTAMP));
}

/** Column expressions over the row id `n`, in MariaDB syntax. */
function mariadbSelect(n: string, rows: number): string {
  const slot = `((${n} * 7919) % ${timestampSlots(rows)})`;
  return `SELECT
      ${n},
      CONCAT('BK', LPAD(${n}, 10, '0')),
      CONCAT(ELT(1 + ${n} % ${GOODS_NAMES.length}, ${sqlList(GOODS_NAMES)}), ' ',
             ELT(1 + (${n} DIV ${GOODS_NAMES.length}) % ${COLOURS.length}, ${sqlList(COLOURS)}), ' ',
             1 + ${n} % 5, '件装'),
      ELT(1 + ${n} % ${HS_CODES.length}, ${sqlList(HS_CODES)}),
      CONCAT('品牌:', ELT(1 + ${n} % ${BRANDS.length}, ${sqlList(BRANDS)}),
             '|型号:BK', LPAD(${n}, 10, '0'),
             '|', ELT(1 + (${n} DIV 7) % ${MATERIALS.length}, ${sqlList(MATERIALS)}),
             '|', 10 + ${n} % 90, 'x', 5 + ${n} % 40, '厘米'),
      ELT(1 + ${n} % ${UNITS.length}, ${sqlList(UNITS)}),
      ((${n} * 7919) % 10000000) / 1000 + 0.01,
      ((${n} * 104729) % 500000) / 100000 + 0.00001,
      TIMESTAMP('2025-03-01 08:00:00') + INTERVAL ${slot} SECOND + INTERVAL ((${slot} * 37) % 1000000) MICROSECOND`;
}

/** Column expressions over the row id `n`, in PostgreSQL syntax. */
function postgresSelect(n: string, rows: number): string {
  const slot = `((${n} * 7919) % ${timestampSlots(rows)})`;
  const pick = (values: string[], index: string) => `(ARRAY[${sqlList(values)}])[1 + (${index})]`;
  return `SELECT
      ${n},
      'BK' || lpad(${n}::text, 10, '0'),
      ${pick(GOODS_NAMES, `${n} % ${GOODS_NAMES.length}`)} || ' ' ||
        ${pick(COLOURS, `(${n} / ${GOODS_NAMES.length}) % ${COLOURS.length}`)} || ' ' ||
        (1 + ${n} % 5)::text || '件装',
      ${pick(HS_CODES, `${n} % ${HS_CODES.length}`)},
      '品牌:' || ${pick(BRANDS, `${n} % ${BRANDS.length}`)} ||
        '|型号:BK' || lpad(${n}::text, 10, '0') ||
        '|' || ${pick(MATERIALS, `(${n} / 7) % ${MATERIALS.length}`)} ||
        '|' || (10 + ${n} % 90)::text || 'x' || (5 + ${n} % 40)::text || '厘米',
      ${pick(UNITS, `${n} % ${UNITS.length}`)},
      ((${n} * 7919) % 10000000)::numeric / 1000 + 0.01,
      ((${n} * 104729) % 500000)::numeric / 100000 + 0.00001,
      timestamp '2025-03-01 08:00:00' + ${slot} * interval '1 second' + ((${slot} * 37) % 1000000) * interval '1 microsecond'`;
}

const COLUMNS_SQL = `(
  id BIGINT PRIMARY KEY,
  sku VARCHAR(64) NOT NULL,
  name VARCHAR(250) NOT NULL,
  hs_code CHAR(10) NOT NULL,
  spec VARCHAR(255) NOT NULL,
  unit CHAR(3) NOT NULL,
  price DECIMAL(19,5) NOT NULL,
  weight DECIMAL(19,5) NOT NULL,
  updated_at %DATETIME% NOT NULL
)`;

/** Creates `bench_sku` with `rows` rows in MariaDB, unless it already contains exactly that many. */
export async function ensureMariadbTable(database: string, rows: number, regenerate: boolean): Promise<TableStatus> {
  const started = performance.now();
  const conn = await createConnection({ ...MARIADB_SERVER, charset: 'utf8mb4' });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
    await conn.query(`USE \`${database}\``);

    const existing = await mariadbRowCount(conn);
    if (!regenerate && existing === rows) return { rows, generated: false, seconds: 0 };

    await conn.query(`DROP TABLE IF EXISTS ${BENCH_TABLE}`);
    await conn.query(
      `CREATE TABLE ${BENCH_TABLE} ${COLUMNS_SQL.replace('%DATETIME%', 'DATETIME(6)')} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    );
    for (let from = 1; from <= rows; from += ROWS_PER_CHUNK) {
      const to = Math.min(rows, from + ROWS_PER_CHUNK - 1);
      await conn.query(`INSERT INTO ${BENCH_TABLE} ${mariadbSelect('seq', rows)} FROM seq_${from}_to_${to}`);
    }
    // One index build after the load is faster than maintaining it per row.
    await conn.query(`ALTER TABLE ${BENCH_TABLE} ADD KEY idx_bench_sku_updated (updated_at, id)`);
    await conn.query(`ANALYZE TABLE ${BENCH_TABLE}`);
    return { rows: (await mariadbRowCount(conn)) ?? 0, generated: true, seconds: (performance.now() - started) / 1000 };
  } finally {
    await conn.end();
  }
}

async function mariadbRowCount(conn: Awaited<ReturnType<typeof createConnection>>): Promise<number | null> {
  const [tables] = await conn.query(`SHOW TABLES LIKE '${BENCH_TABLE}'`);
  if ((tables as unknown[]).length === 0) return null;

  const [result] = await conn.query(`SELECT COUNT(*) AS n FROM ${BENCH_TABLE}`);
  return Number((result as Array<{ n: number | string }>)[0]!.n);
}

/** Creates `bench_sku` with `rows` rows in PostgreSQL, unless it already contains exactly that many. */
export async function ensurePostgresTable(database: string, rows: number, regenerate: boolean): Promise<TableStatus> {
  const started = performance.now();
  const admin = new pg.Client({ ...POSTGRES_SERVER, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database}" ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await admin.end();
  }

  const client = new pg.Client({ ...POSTGRES_SERVER, database });
  await client.connect();
  try {
    const existing = await postgresRowCount(client);
    if (!regenerate && existing === rows) return { rows, generated: false, seconds: 0 };

    await client.query(`DROP TABLE IF EXISTS ${BENCH_TABLE}`);
    await client.query(`CREATE TABLE ${BENCH_TABLE} ${COLUMNS_SQL.replace('%DATETIME%', 'timestamp(6)')}`);
    for (let from = 1; from <= rows; from += ROWS_PER_CHUNK) {
      const to = Math.min(rows, from + ROWS_PER_CHUNK - 1);
      // bigint bounds, so n * 7919 cannot overflow a 32-bit integer.
      await client.query(`INSERT INTO ${BENCH_TABLE} ${postgresSelect('n', rows)} FROM generate_series(${from}::bigint, ${to}::bigint) AS n`);
    }
    await client.query(`CREATE INDEX idx_bench_sku_updated ON ${BENCH_TABLE} (updated_at, id)`);
    // VACUUM sets hint bits and the visibility map, so the first measured read does not pay for them.
    await client.query(`VACUUM ANALYZE ${BENCH_TABLE}`);
    return { rows: (await postgresRowCount(client)) ?? 0, generated: true, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

async function postgresRowCount(client: pg.Client): Promise<number | null> {
  const table = await client.query('SELECT to_regclass($1) AS oid', [BENCH_TABLE]);
  if (table.rows[0]?.oid === null) return null;

  const result = await client.query(`SELECT COUNT(*) AS n FROM ${BENCH_TABLE}`);
  return Number(result.rows[0].n);
}

/** Counts the rows of an existing table, for `--skip-generate`. */
export async function countRows(db: BenchDb, database: string): Promise<number> {
  if (db === 'mariadb') {
    const conn = await createConnection({ ...MARIADB_SERVER, database });
    try {
      return (await mariadbRowCount(conn)) ?? 0;
    } finally {
      await conn.end();
    }
  }

  const client = new pg.Client({ ...POSTGRES_SERVER, database });
  await client.connect();
  try {
    return (await postgresRowCount(client)) ?? 0;
  } finally {
    await client.end();
  }
}

/** Returns the server's version text, for the report. */
export async function serverVersion(db: BenchDb): Promise<string> {
  if (db === 'mariadb') {
    const conn = await createConnection(MARIADB_SERVER);
    try {
      const [rows] = await conn.query('SELECT VERSION() AS v');
      return `MariaDB ${String((rows as Array<{ v: string }>)[0]!.v)}`;
    } finally {
      await conn.end();
    }
  }

  const client = new pg.Client({ ...POSTGRES_SERVER, database: 'postgres' });
  await client.connect();
  try {
    const result = await client.query('SHOW server_version');
    return `PostgreSQL ${String(result.rows[0].server_version)}`;
  } finally {
    await client.end();
  }
}
