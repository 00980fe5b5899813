import type { FieldPacket, TypeCast } from 'mysql2';

/**
 * Driver type rules: how each driver's column types map to the value rules
 * in source-types.ts. Each driver quirk is handled once, here, with a comment
 * that names it.
 */

/** A column's type as the readers treat it. */
export type ColumnKind =
  | 'integer' // fits a JS number: TINYINT (incl. TINYINT(1)), SMALLINT, INT, int4
  | 'bigint' // BIGINT, int8: string
  | 'decimal' // DECIMAL, NUMERIC: string with the database's digits
  | 'float' // FLOAT, DOUBLE, REAL: number (an IEEE double represents them exactly)
  | 'boolean' // PG bool
  | 'date' // 'YYYY-MM-DD'
  | 'datetime' // zone-less: naive text
  | 'timestamptz' // an instant: '…Z' text
  | 'time' // TIME: text
  | 'json' // PG json/jsonb: parsed
  | 'text'
  | 'binary' // base64 text
  | 'other'; // text as the driver gives it

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
}

/** Kinds whose values are compared as numbers in SQL, never through a JS number. */
export function isNumericKind(kind: ColumnKind): boolean {
  return kind === 'integer' || kind === 'bigint' || kind === 'decimal' || kind === 'float';
}

// ---------------------------------------------------------------- MySQL / MariaDB

/** mysql2 column type codes (protocol values from mysql2/lib/constants/types.js). */
const MYSQL_TYPE = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  BIT: 16,
  JSON: 245,
  NEWDECIMAL: 246,
  GEOMETRY: 255,
} as const;

const MYSQL_BINARY_CHARSET = 63;

/**
 * Driver options that make mysql2 hand over values without converting them.
 * Values come over the text protocol (`.query()`), the only one the readers
 * use, so results are the same whatever `.execute()` would do.
 */
export const MYSQL_VALUE_OPTIONS = {
  // DATE/DATETIME/TIMESTAMP as the server's text: mysql2's default builds a
  // JS Date in the host's zone, which shifts every value by the host offset.
  dateStrings: true,
  // BIGINT always as a string: with supportBigNumbers alone small values are
  // numbers and large ones strings, so one column has two types.
  supportBigNumbers: true,
  bigNumberStrings: true,
  // DECIMAL as a string: decimalNumbers turns 12345678901234.5678 into a float.
  decimalNumbers: false,
  // MySQL 8 JSON would be parsed while MariaDB's JSON (a LONGTEXT) stays text;
  // text on both keeps payloads identical.
  jsonStrings: true,
  // Never used for conversion (dateStrings is on); set to a spelling mysql2
  // accepts, because an unknown one makes it print a warning and use 'local'.
  timezone: 'Z',
} as const;

/**
 * Per-field conversion for mysql2. It repeats the options above field by
 * field, so a connection option merged in from elsewhere cannot turn exact
 * values into floats or Dates. TINYINT(1) stays a number: whether 0/1 means
 * false/true is the mapping's decision (a column may hold 5 or -1).
 */
export const mysqlTypeCast: TypeCast = (field, next) => {
  // MariaDB reports its JSON alias as a text blob, with the format in the
  // extended metadata.
  if (field.extendedFormat === 'json') return field.string('utf8');

  switch (field.type) {
    case 'LONGLONG':
    case 'DECIMAL':
    case 'NEWDECIMAL':
    case 'DATE':
    case 'NEWDATE':
    case 'DATETIME':
    case 'DATETIME2':
    case 'TIMESTAMP':
    case 'TIMESTAMP2':
    case 'TIME':
    case 'TIME2':
      return field.string('ascii');
    case 'JSON':
      // MySQL labels JSON values with the binary charset; the bytes are UTF-8.
      return field.string('utf8');
    default:
      return next();
  }
};

/** Maps a mysql2 result field to a column kind. */
export function mysqlColumnKind(field: FieldPacket): ColumnKind {
  const type = field.columnType ?? field.type;

  switch (type) {
    case MYSQL_TYPE.TINY:
    case MYSQL_TYPE.SHORT:
    case MYSQL_TYPE.LONG:
    case MYSQL_TYPE.INT24:
    case MYSQL_TYPE.YEAR:
      return 'integer';
    case MYSQL_TYPE.LONGLONG:
      return 'bigint';
    case MYSQL_TYPE.DECIMAL:
    case MYSQL_TYPE.NEWDECIMAL:
      return 'decimal';
    case MYSQL_TYPE.FLOAT:
    case MYSQL_TYPE.DOUBLE:
      return 'float';
    case MYSQL_TYPE.DATE:
    case MYSQL_TYPE.NEWDATE:
      return 'date';
    case MYSQL_TYPE.DATETIME:
      return 'datetime';
    // TIMESTAMP is stored as an instant and shown in the session zone, which
    // the reader sets to +00:00, so its text is UTC.
    case MYSQL_TYPE.TIMESTAMP:
      return 'timestamptz';
    case MYSQL_TYPE.TIME:
      return 'time';
    case MYSQL_TYPE.JSON:
      return 'text';
    case MYSQL_TYPE.BIT:
    case MYSQL_TYPE.GEOMETRY:
      return 'binary';
    default:
      return field.characterSet === MYSQL_BINARY_CHARSET ? 'binary' : 'text';
  }
}

// ---------------------------------------------------------------- PostgreSQL

/** PostgreSQL type OIDs the readers treat specially (pg_type.oid, stable since 8.x). */
const PG_OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  jsonb: 3802,
  // Arrays whose default parsers build Dates, floats or interval objects.
  int8Array: 1016,
  timestampArray: 1115,
  dateArray: 1182,
  timestamptzArray: 1185,
  intervalArray: 1187,
  numericArray: 1231,
} as const;

/** Maps a PG result field's type OID to a column kind. */
export function pgColumnKind(dataTypeID: number): ColumnKind {
  switch (dataTypeID) {
    case PG_OID.int2:
    case PG_OID.int4:
    case PG_OID.oid:
      return 'integer';
    case PG_OID.int8:
      return 'bigint';
    case PG_OID.numeric:
      return 'decimal';
    case PG_OID.float4:
    case PG_OID.float8:
      return 'float';
    case PG_OID.bool:
      return 'boolean';
    case PG_OID.date:
      return 'date';
    case PG_OID.timestamp:
      return 'datetime';
    case PG_OID.timestamptz:
      return 'timestamptz';
    case PG_OID.time:
    case PG_OID.timetz:
      return 'time';
    case PG_OID.json:
    case PG_OID.jsonb:
      return 'json';
    case PG_OID.bytea:
      return 'binary';
    default:
      return 'text';
  }
}

const keepText = (text: string): string => text;

/**
 * Text parsers for the reader's own pg clients, passed as the per-client
 * `types` option so that no other pg user in the process is affected (the
 * global pg.types.setTypeParser would change them all).
 */
const PG_TEXT_PARSERS = new Map<number, (text: string) => unknown>([
  // int8 and numeric as the server's digits (pg's int8 parser is a string
  // parser too, but other code may have replaced it globally).
  [PG_OID.int8, keepText],
  [PG_OID.numeric, keepText],
  // date, timestamp: pg's defaults build a JS Date at host-local midnight or
  // host-local wall time, which moves the value by the host's offset.
  [PG_OID.date, keepText],
  [PG_OID.timestamp, keepText],
  // timestamptz: text in the session zone (UTC, set at connect); the row
  // step turns it into '…Z' text without going through a float.
  [PG_OID.timestamptz, keepText],
  [PG_OID.time, keepText],
  [PG_OID.timetz, keepText],
  [PG_OID.interval, keepText],
  // NOTE: JSON.parse turns numbers past 2^53 inside json/jsonb into floats;
  // read such a field as text (`col::text`) in the query if it matters.
  [PG_OID.json, (text) => JSON.parse(text)],
  [PG_OID.jsonb, (text) => JSON.parse(text)],
  // Arrays of the types above stay PG array text, so no element becomes a Date.
  [PG_OID.int8Array, keepText],
  [PG_OID.timestampArray, keepText],
  [PG_OID.dateArray, keepText],
  [PG_OID.timestamptzArray, keepText],
  [PG_OID.intervalArray, keepText],
  [PG_OID.numericArray, keepText],
]);

/** Builds the `types` option for a pg client; other OIDs fall back to `fallback` (pg's defaults). */
export function pgClientTypes(fallback: { getTypeParser: (oid: number, format?: 'text' | 'binary') => unknown }) {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
      if (format !== 'binary') {
        const parser = PG_TEXT_PARSERS.get(oid);
        if (parser) return parser;
      }
      return fallback.getTypeParser(oid, format);
    },
  };
}

// ---------------------------------------------------------------- SQLite

/**
 * Maps an SQLite declared type to a column kind, following SQLite's affinity
 * rules: a type containing INT is an integer, CHAR/CLOB/TEXT is text, and so
 * on. DATE and DATETIME are not affinities in SQLite, but they tell what the
 * TEXT inside means. Returns null for an expression, which has no declared type.
 */
export function sqliteColumnKind(declared: string | null): ColumnKind | null {
  if (declared === null || declared === '') return null;
  const type = declared.toUpperCase();

  if (type.includes('BIGINT') || type.includes('INT8')) return 'bigint';
  if (type.includes('INT')) return 'integer';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'text';
  if (type.includes('BLOB')) return 'binary';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'float';
  if (type.includes('DATETIME') || type.includes('TIMESTAMP')) return 'datetime';
  if (type.includes('DATE')) return 'date';
  if (type.includes('DECIMAL') || type.includes('NUMERIC')) return 'decimal';
  if (type.includes('BOOL')) return 'integer';
  if (type.includes('JSON')) return 'text';
  return 'other';
}

/**
 * Converts one better-sqlite3 value (read with safeIntegers, so INTEGER is a
 * BigInt). Integers become numbers when the declared type is not BIGINT and
 * the value is within 2^53, strings otherwise, so no digit is lost.
 */
export function sqliteValue(value: unknown, kind: ColumnKind | null): unknown {
  if (typeof value === 'bigint') {
    const safe = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER);
    if (kind === 'bigint' || kind === 'decimal' || !safe) return value.toString();
    return Number(value);
  }

  // NUMERIC affinity stores 1.5000 as the REAL 1.5; the string keeps the
  // type rule (DECIMAL is a string) though the trailing zeros are gone.
  if (typeof value === 'number' && kind === 'decimal') return String(value);
  return value;
}
