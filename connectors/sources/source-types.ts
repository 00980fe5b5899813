import type { Bilingual } from '../../config/i18n.js';

/**
 * What a source reader returns. Values keep full fidelity: nothing that could
 * lose digits or shift a date passes through a JS number or Date.
 *
 * - BIGINT, DECIMAL/NUMERIC: string, the database's own digits.
 * - smaller integers (INT, SMALLINT, TINYINT incl. TINYINT(1)): number.
 * - DATE: 'YYYY-MM-DD'.
 * - zone-less DATETIME / timestamp without time zone: naive text
 *   'YYYY-MM-DD HH:MM:SS[.ffffff]' in the source's declared zone; the mapping
 *   turns it into an instant with that zone.
 * - timestamp with time zone: ISO-8601 instant text ending in 'Z'.
 * - JSON/JSONB: parsed value; MariaDB's JSON (a LONGTEXT alias) stays a string
 *   and the mapping parses it when the target says `object`.
 * - text: string; binary: base64 string.
 */
export type SourceValue = string | number | boolean | null | SourceValue[] | { [key: string]: SourceValue };

export type SourceRow = Record<string, SourceValue>;

/** A row's place in the keyset order: cursor value text and primary key values. */
export interface Position {
  /** The cursor column's value as lossless text (microseconds kept). */
  cursor: string;
  /** Key column values as text, in key order. */
  key: string[];
}

/** A data-quality finding that did not stop the row (zero date, lossy value). */
export interface QualityIssue {
  table: string;
  column: string;
  key: string[];
  value: string;
  rule: 'zero-date' | 'partial-date' | 'invalid-date';
  action: 'null' | 'passthrough';
}

export interface RowPage {
  rows: SourceRow[];
  /** Positions of `rows`, same order. */
  positions: Position[];
  /** Data-quality findings in `rows`; the same ones go to `onQuality` when given. */
  issues?: QualityIssue[];
}

/**
 * A finding about the reader's setup that did not stop it, such as a
 * connection charset the reader replaced. Readers return these instead of
 * logging, so the caller decides where they go.
 */
export interface SourceWarning {
  code: 'charset-replaced' | 'driver-warning';
  /** Source id from the config. */
  source: string;
  /** The offending setting or driver text. */
  value: string;
  message: Bilingual;
}
