import type { ErrorClass, Profile } from './profile-schema.js';

/** One record the platform refused, in our terms. */
export interface RecordError {
  index: number | undefined;
  key: string | undefined;
  field: string | undefined;
  code: string;
  message: string;
}

/** The platform's synchronous response, read through the profile. */
export interface PlatformAnswer {
  success: boolean;
  code: string;
  message: string;
  errorClass: ErrorClass | undefined;
  messageId: string | undefined;
  receiptId: string | undefined;
  recordErrors: RecordError[];
}

/** Reads a dotted path such as `data.errors` from a parsed JSON value. */
export function readPath(value: unknown, dotted: string): unknown {
  if (!dotted) return value;

  let current = value;
  for (const part of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Interprets a reply body with the profile's field names and code tables. */
export function readAnswer(profile: Profile, json: unknown): PlatformAnswer {
  const spec = profile.response;
  const code = String(readPath(json, spec.codeField) ?? '');
  const message = String(readPath(json, spec.messageField) ?? '');
  const data = readPath(json, spec.dataField);
  const rawErrors = readPath(data, spec.recordErrorsPath);
  const fields = spec.recordErrorFields;

  const recordErrors: RecordError[] = Array.isArray(rawErrors)
    ? rawErrors.map((item) => {
        const rawIndex = readPath(item, fields.index);
        const index = rawIndex === undefined || rawIndex === null ? undefined : Number(rawIndex);
        return {
          index,
          key: optionalText(readPath(item, fields.key)),
          field: optionalText(readPath(item, fields.field)),
          code: String(readPath(item, fields.code) ?? ''),
          message: String(readPath(item, fields.message) ?? ''),
        };
      })
    : [];

  const success = spec.successCodes.includes(code);
  return {
    success,
    code,
    message,
    errorClass: success ? undefined : spec.errorCodes[code],
    messageId: optionalText(readPath(data, spec.messageIdPath)),
    receiptId: optionalText(readPath(data, spec.receiptIdPath)),
    recordErrors,
  };
}

function optionalText(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
