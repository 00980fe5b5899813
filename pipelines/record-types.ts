import type { Position } from '../connectors/sources/source-types.js';

/** Payload record a mapping makes of one assembled source row. */
export interface PayloadRecord {
  /** Profile kind (warehouse, goods, inbound, ...). */
  kind: string;
  /** Record key text, stable across runs; the ledger is keyed by (kind, key). */
  key: string;
  /** `upsert` for add or change, `delete` for a recognised deletion. */
  op: 'upsert' | 'delete';
  /** The body in the profile's field names. */
  body: Record<string, unknown>;
  /** The source row's keyset position, for the checkpoint; null before the first checkpoint. */
  position: Position | null;
}

/** One field-level problem with a record, ready for the dead-letter store. */
export interface FieldProblem {
  /** Field path such as `lines[2].qty`. */
  path: string;
  value: unknown;
  /** Stable reason code (`too_long`, `bad_check_char`, `required`, ...). */
  code: string;
  message: { 'zh-CN': string; en: string };
}
