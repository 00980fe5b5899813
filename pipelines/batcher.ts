import { recordByteSize, type RecordOperation } from '../connectors/platform/payload-builder.js';
import type { ChangedRecord } from './delta-filter.js';

export interface BatchLimits {
  maxRecords: number;
  /** Budget for the records' bytes; the header and envelope need the rest of the body limit. */
  maxRecordBytes: number;
}

/** Records of one operation, ready to seal into a message. */
export interface OpenBatch {
  operation: RecordOperation;
  records: ChangedRecord[];
}

/**
 * Groups changed records into batches of one operation each (the platform's
 * appType is per message), within the record and byte limits.
 */
export class Batcher {
  readonly #limits: BatchLimits;
  /** JSON size per record, computed once: serialising a body is the batcher's main cost. */
  readonly #sizes = new WeakMap<ChangedRecord, number>();
  readonly #open = new Map<RecordOperation, { records: ChangedRecord[]; bytes: number }>();
  readonly #openKeys = new Map<string, RecordOperation>();

  constructor(limits: BatchLimits) {
    this.#limits = limits;
  }

  /**
   * Adds a record; returns true when some batch is full and the caller
   * should seal. A record whose key is already open replaces the older one,
   * since the platform rejects a key repeated within one message and only
   * the latest content matters (a parent re-read for a child change).
   */
  add(item: ChangedRecord): boolean {
    const size = recordByteSize(item.record.body);
    this.#sizes.set(item, size);
    this.#removeOpen(item.record.key);

    let open = this.#open.get(item.operation);
    if (!open) {
      open = { records: [], bytes: 0 };
      this.#open.set(item.operation, open);
    }

    open.records.push(item);
    open.bytes += size;
    this.#openKeys.set(item.record.key, item.operation);
    return open.records.length >= this.#limits.maxRecords || open.bytes >= this.#limits.maxRecordBytes;
  }

  #removeOpen(key: string): void {
    const operation = this.#openKeys.get(key);
    if (operation === undefined) return;

    const open = this.#open.get(operation)!;
    const index = open.records.findIndex((item) => item.record.key === key);
    const [removed] = open.records.splice(index, 1);
    open.bytes -= this.#sizeOf(removed);
    this.#openKeys.delete(key);
    if (open.records.length === 0) this.#open.delete(operation);
  }

  #sizeOf(item: ChangedRecord): number {
    return this.#sizes.get(item) ?? recordByteSize(item.record.body);
  }

  get isEmpty(): boolean {
    return this.#open.size === 0;
  }

  /**
   * Takes every open batch, splitting any that went over the byte budget.
   * Deletes go last so that an add and a delete of one key in the same group
   * reach the platform in source order.
   */
  drain(): OpenBatch[] {
    const order: RecordOperation[] = ['add', 'change', 'delete'];
    const batches: OpenBatch[] = [];

    for (const operation of order) {
      const open = this.#open.get(operation);
      if (!open) continue;

      let current: ChangedRecord[] = [];
      let bytes = 0;
      for (const item of open.records) {
        const size = this.#sizeOf(item);
        if (current.length > 0 && (current.length >= this.#limits.maxRecords || bytes + size > this.#limits.maxRecordBytes)) {
          batches.push({ operation, records: current });
          current = [];
          bytes = 0;
        }
        current.push(item);
        bytes += size;
      }
      if (current.length > 0) batches.push({ operation, records: current });
    }

    this.#open.clear();
    this.#openKeys.clear();
    return batches;
  }
}
