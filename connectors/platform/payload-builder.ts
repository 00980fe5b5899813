import type { Profile } from './profile-schema.js';

/** The enterprise identity carried in every payload header. */
export interface EnterpriseIdentity {
  name: string;
  uscc: string;
  customsCode?: string;
}

export type RecordOperation = 'add' | 'change' | 'delete';

/**
 * Builds the business payload text for one message: the header fields named
 * by the profile around the records. The text is built once and stored in
 * the outbox, so every resend carries exactly the same bytes.
 */
export function buildPayloadText(
  profile: Profile,
  enterprise: EnterpriseIdentity,
  operation: RecordOperation,
  records: ReadonlyArray<Record<string, unknown>>,
): string {
  const names = profile.payload.fieldNames;
  const payload: Record<string, unknown> = {
    [names.entName]: enterprise.name,
    [names.entUscc]: enterprise.uscc,
  };

  if (names.entCustomsCode && enterprise.customsCode) payload[names.entCustomsCode] = enterprise.customsCode;
  payload[names.appType] = profile.payload.appType[operation];
  payload[names.records] = records;

  return JSON.stringify(payload);
}

/** UTF-8 size of a record as it will appear inside the payload text. */
export function recordByteSize(record: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(record), 'utf8') + 1;
}
