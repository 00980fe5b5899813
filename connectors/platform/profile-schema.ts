import { z } from 'zod';

/**
 * The shape of a platform profile: every part of the platform's interface
 * standard that the official document could change, as data. The default
 * profile lives in `profiles/`; a user's config may pick another file or
 * override single keys. Code outside `connectors/platform/` never reads field
 * names of the platform; it goes through the profile.
 */

const BilingualLabel = z.object({ zh: z.string(), en: z.string() });

/** Named formats with a check that a pattern alone cannot express. */
export const FORMAT_NAMES = [
  'uscc', // 统一社会信用代码, GB 32100 alphabet and mod-31 check character
  'customsCode', // 海关编码, 10 alphanumerics
  'entryId', // 报关单号, 18 digits
  'invtNo', // 清单编号, 4+4+I/E+9
  'hsCode', // 10-digit HS code (13 with the CIQ suffix when allowed)
  'uuidUpper', // upper-case UUID
] as const;

export type FieldType =
  | 'string'
  | 'decimal'
  | 'integer'
  | 'datetime'
  | 'date'
  | 'boolean'
  | 'array'
  | 'lines';

export interface FieldSpec {
  type: FieldType;
  label?: { zh: string; en: string };
  required?: boolean;
  /** Required only when another field of the same record has one of the values. */
  requiredWhen?: { field: string; in: string[] };
  /** Exact length in characters (code points). */
  length?: number;
  maxLength?: number;
  minLength?: number;
  /** Decimal precision and scale, as in N(p,s). */
  precision?: number;
  scale?: number;
  enum?: string[];
  /** Labels of some or all `enum` values, for messages and docs. */
  enumLabels?: Record<string, { zh: string; en: string }>;
  pattern?: string;
  format?: (typeof FORMAT_NAMES)[number];
  /** Name of a code list in `codeLists`. */
  codeList?: string;
  /** Element spec of an `array`. */
  items?: FieldSpec;
  /** Field specs of each line of a `lines` field. */
  fields?: Record<string, FieldSpec>;
  minItems?: number;
  maxItems?: number;
}

export const FieldSpecSchema: z.ZodType<FieldSpec> = z.lazy(() =>
  z
    .object({
      type: z.enum(['string', 'decimal', 'integer', 'datetime', 'date', 'boolean', 'array', 'lines']),
      label: BilingualLabel.optional(),
      required: z.boolean().optional(),
      requiredWhen: z.object({ field: z.string(), in: z.array(z.string()).min(1) }).optional(),
      length: z.number().int().positive().optional(),
      maxLength: z.number().int().positive().optional(),
      minLength: z.number().int().nonnegative().optional(),
      precision: z.number().int().positive().optional(),
      scale: z.number().int().nonnegative().optional(),
      enum: z.array(z.string()).min(1).optional(),
      enumLabels: z.record(z.string(), BilingualLabel).optional(),
      pattern: z.string().optional(),
      format: z.enum(FORMAT_NAMES).optional(),
      codeList: z.string().optional(),
      items: FieldSpecSchema.optional(),
      fields: z.record(z.string(), FieldSpecSchema).optional(),
      minItems: z.number().int().nonnegative().optional(),
      maxItems: z.number().int().positive().optional(),
    })
    .strict(),
);

const KindSchema = z
  .object({
    interfaceId: z.string().min(1),
    label: BilingualLabel,
    /** Body fields whose values, joined, identify a record (the ledger key). */
    recordKey: z.array(z.string()).min(1),
    fields: z.record(z.string(), FieldSpecSchema),
  })
  .strict();

/** Logical envelope parts; the profile maps each to its name on the wire. */
export const ENVELOPE_PARTS = [
  'senderId',
  'interfaceId',
  'messageId',
  'timestamp',
  'nonce',
  'version',
  'dataFormat',
  'encryptType',
  'data',
  'signType',
  'sign',
  'keyId',
] as const;
export type EnvelopePart = (typeof ENVELOPE_PARTS)[number];

const EnvelopeSchema = z
  .object({
    /** Wire name per logical part; a part mapped to null is not sent. */
    fieldNames: z.record(z.enum(ENVELOPE_PARTS), z.string().nullable()),
    version: z.string(),
    dataFormat: z.string().nullable(),
    encryptType: z.string().nullable(),
    /** `json`: `data` is the payload's JSON text; `base64`: base64 of its UTF-8 bytes. */
    dataEncoding: z.enum(['json', 'base64']),
    messageIdFormat: z.enum(['uuidUpper', 'uuidLower']),
    timestamp: z
      .object({
        /** Luxon format tokens (`yyyyMMddHHmmss`), or `epochMillis`. */
        format: z.string(),
        zone: z.string(),
        /** Allowed clock difference, both ways, in seconds. */
        windowSeconds: z.number().int().positive(),
      })
      .strict(),
    nonce: z.object({ enabled: z.boolean(), length: z.number().int().min(8).max(64) }).strict(),
  })
  .strict();

const SignSchema = z
  .object({
    algorithm: z.enum(['SM2', 'RSA2']),
    /** Value sent in the `signType` part for each algorithm. */
    signTypeValues: z.object({ SM2: z.string(), RSA2: z.string() }).strict(),
    /**
     * `sortedParams`: every sent envelope part except the signature, sorted by
     * wire name, `name=value` joined by `&`. `dataOnly`: the `data` text alone.
     * `template`: the listed parts' values joined by `template.separator`.
     */
    input: z.enum(['sortedParams', 'dataOnly', 'template']),
    skipEmpty: z.boolean(),
    template: z
      .object({ parts: z.array(z.enum(ENVELOPE_PARTS)), separator: z.string() })
      .strict()
      .optional(),
    sm2UserId: z.string().min(1),
    /** Signature bytes: raw r||s (64 bytes) or DER, as base64 or hex. */
    encoding: z.enum(['base64Raw', 'hexRaw', 'base64Der', 'hexDer']),
    /** `z`: SM3(Z||M) as GM/T 0003 requires; `none`: SM3(M), for interop only. */
    prehash: z.enum(['z', 'none']),
  })
  .strict();

const PayloadSchema = z
  .object({
    /** Wire names of the business header fields around the records. */
    fieldNames: z
      .object({
        entName: z.string(),
        entUscc: z.string(),
        entCustomsCode: z.string().nullable(),
        appType: z.string(),
        records: z.string(),
      })
      .strict(),
    appType: z.object({ add: z.string(), change: z.string(), delete: z.string() }).strict(),
    header: z.record(z.string(), FieldSpecSchema),
  })
  .strict();

const TransportSchema = z
  .object({
    routing: z.enum(['gateway', 'perInterface']),
    gatewayPath: z.string(),
    /** Path per interface ID when routing is `perInterface`. */
    interfacePaths: z.record(z.string(), z.string()),
    contentType: z.string(),
    timeoutMs: z.number().int().positive(),
  })
  .strict();

/** Error taxonomy every platform code is mapped into. */
export const ERROR_CLASSES = [
  'AUTH_SIGNATURE',
  'AUTH_SENDER_UNKNOWN',
  'INTERFACE_NOT_OPENED',
  'TIMESTAMP_OUT_OF_WINDOW',
  'DUPLICATE_MESSAGE',
  'VALIDATION',
  'BUSINESS_RULE',
  'RATE_LIMITED',
  'SERVER_ERROR',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

const ResponseSchema = z
  .object({
    codeField: z.string(),
    messageField: z.string(),
    dataField: z.string(),
    /** Codes meaning the message was accepted (records may still fail one by one). */
    successCodes: z.array(z.string()).min(1),
    /** Path inside `data` of the per-record error list. */
    recordErrorsPath: z.string(),
    recordErrorFields: z
      .object({
        index: z.string(),
        key: z.string(),
        field: z.string(),
        code: z.string(),
        message: z.string(),
      })
      .strict(),
    messageIdPath: z.string(),
    receiptIdPath: z.string(),
    /** Platform code to error class, and the code the sandbox sends for each class. */
    errorCodes: z.record(z.string(), z.enum(ERROR_CLASSES)),
    codesByClass: z.record(z.enum(ERROR_CLASSES), z.string()),
    /** Error classes that are retried with the same messageId. */
    retryable: z.array(z.enum(ERROR_CLASSES)),
  })
  .strict();

const ReceiptSchema = z
  .object({
    /** `sync`: the reply decides; `poll`: per-record results come from a receipt query. */
    mode: z.enum(['sync', 'poll']),
    queryPath: z.string(),
    messageIdParam: z.string(),
    statusField: z.string(),
    recordsPath: z.string(),
    recordKeyField: z.string(),
    infoField: z.string(),
    timeField: z.string(),
    /** Platform status value to meaning; negative numbers are errors. */
    statusMap: z.record(z.string(), z.enum(['received', 'processing', 'accepted', 'rejected', 'error'])),
    poll: z
      .object({
        initialDelayMs: z.number().int().nonnegative(),
        maxDelayMs: z.number().int().positive(),
        maxWaitMs: z.number().int().positive(),
      })
      .strict(),
  })
  .strict();

const LimitsSchema = z
  .object({
    maxRecords: z.number().int().positive(),
    maxBodyBytes: z.number().int().positive(),
    /** Requests per second the platform allows; 0 means no limit. */
    requestsPerSecond: z.number().nonnegative(),
  })
  .strict();

const FormatOptionsSchema = z
  .object({
    /** Accept a 13-digit HS code (10 digits plus the 3-digit CIQ code) besides 10 digits. */
    hsCodeAllowCiqSuffix: z.boolean(),
  })
  .strict();

export const ProfileSchema = z
  .object({
    profileId: z.string(),
    /** Version of this profile file; goes into run history and receipts. */
    profileVersion: z.string(),
    description: BilingualLabel,
    transport: TransportSchema,
    envelope: EnvelopeSchema,
    sign: SignSchema,
    payload: PayloadSchema,
    kinds: z.record(z.string(), KindSchema),
    /** Code lists by name: allowed values, each with an optional label. */
    codeLists: z.record(z.string(), z.record(z.string(), z.string())),
    limits: LimitsSchema,
    /** Switches of the named formats; every switch is off when absent. */
    formatOptions: FormatOptionsSchema.optional(),
    response: ResponseSchema,
    receipts: ReceiptSchema,
  })
  .strict();

export type Profile = z.infer<typeof ProfileSchema>;
export type KindSpec = z.infer<typeof KindSchema>;
export type EnvelopeSpec = z.infer<typeof EnvelopeSchema>;
export type SignSpec = z.infer<typeof SignSchema>;
export type ResponseSpec = z.infer<typeof ResponseSchema>;
export type ReceiptSpec = z.infer<typeof ReceiptSchema>;
export type FormatOptions = z.infer<typeof FormatOptionsSchema>;
export type FormatName = (typeof FORMAT_NAMES)[number];
