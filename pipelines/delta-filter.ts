import { contentHash } from '../connectors/platform/canonical-json.js';
import type { RecordOperation } from '../connectors/platform/payload-builder.js';
import type { PayloadRecord } from './record-types.js';
import type { StateStore } from './state/state-store.js';

/** A record that must be sent, with the operation and the hash to store once acknowledged. */
export interface ChangedRecord {
  record: PayloadRecord;
  operation: RecordOperation;
  hash: string;
}

/**
 * Keeps only records whose content differs from the last acknowledged
 * version. A record never acknowledged is an add, and a known one a change.
 * A deletion is sent only for a key the platform has, because there is
 * nothing to delete for a record it never received.
 */
export async function filterChanged(
  store: StateStore,
  kind: string,
  records: PayloadRecord[],
): Promise<{ changed: ChangedRecord[]; unchanged: number }> {
  // Two rows can map to one key (a soft-deleted row and its re-creation); the
  // later position wins, as it would at the platform.
  const latest = new Map<string, PayloadRecord>();
  for (const record of records) latest.set(record.key, record);

  const known = await store.ledgerHashes(kind, [...latest.keys()]);
  const changed: ChangedRecord[] = [];
  let unchanged = records.length - latest.size;

  for (const record of latest.values()) {
    const previous = known.get(record.key);

    if (record.op === 'delete') {
      if (previous === undefined) unchanged++;
      else changed.push({ record, operation: 'delete', hash: 'deleted' });
      continue;
    }

    const hash = contentHash(record.body);
    if (previous === hash) {
      unchanged++;
      continue;
    }
    changed.push({ record, operation: previous === undefined ? 'add' : 'change', hash });
  }
  return { changed, unchanged };
}
