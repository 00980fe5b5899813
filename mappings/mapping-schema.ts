import { z } from 'zod';

/**
 * The mapping file format, version 1. One file maps one source table (plus
 * its child tables) to one payload kind of the platform profile. Keys are
 * camelCase; `docs/mapping-language.md` is the reference, and the
 * `.describe()` texts here are its short form.
 */

/**
 * Wraps `z.strictObject` so that an unknown key reports the keys this
 * object allows; the loader turns the marker into its bilingual message.
 */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `${ALLOWED_KEYS_MARKER}${allowed}` : undefined),
  });
}

/** Prefix of an unknown-key message that lists the allowed keys after it. */
export const ALLOWED_KEYS_MARKER = 'allowed-keys:';

/** Prefix of a message for an object that needs exactly one of the listed keys. */
export const ONE_OF_MARKER = 'one-of:';

/** Accepts `name` as shorthand for `{ column: name }`. */
function columnShorthand(value: unknown): unknown {
  return typeof value === 'string' ? { column: value } : value;
}

const NonEmpty = z.string().min(1);
const DecimalLiteral = z
  .union([z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)$/, 'expected decimal text such as "0.001"'), z.number()])
  .transform((value) => String(value));

export const FIELD_TYPES = ['string', 'decimal', 'integer', 'datetime', 'date', 'boolean', 'object', 'array'] as const;
export const ROUNDING_NAMES = ['halfUp', 'halfEven', 'down', 'up'] as const;
export const BOOLEAN_RULES = ['strict', 'nonZero'] as const;

const ScalarValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const JsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([ScalarValue, z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

const FieldObject = strictObject({
  column: NonEmpty.optional().describe('Source column to read; a string field value is shorthand for this.'),
  const: JsonValue.optional().describe('Fixed value, the same for every record.'),
  expr: NonEmpty.optional().describe('filtrex expression over the source row; see the function list in the docs.'),
  type: z.enum(FIELD_TYPES).default('string').describe('Target type the value is converted to.'),
  required: z.boolean().default(false).describe('A null or empty value is a problem instead of an omitted field.'),
  default: JsonValue.optional().describe('Value used when the source value is null or empty, or a lookup finds no entry.'),
  lookup: NonEmpty.optional().describe('Name of a table under `lookups` that translates the value.'),
  jsonPath: NonEmpty.optional().describe('Dotted path into a JSON value (object or JSON text), e.g. `zh_CN` or `detail[0].fee`.'),
  fallback: z.array(NonEmpty).optional().describe('Further JSON paths tried in order when `jsonPath` finds null or empty.'),
  scale: z.number().int().min(0).max(30).optional().describe('decimal: digits after the point; the value is rounded to it.'),
  precision: z.number().int().min(1).max(60).optional().describe('decimal: maximum total digits, as in N(p,s).'),
  rounding: z.enum(ROUNDING_NAMES).default('halfUp').describe('decimal and integer: rounding mode.'),
  convert: strictObject({
    multiply: DecimalLiteral.optional().describe('Multiply by this decimal (unit conversion), exact.'),
    divide: DecimalLiteral.optional().describe('Divide by this decimal, then round to `scale`.'),
  })
    .optional()
    .describe('Unit conversion applied in decimal arithmetic before rounding.'),
  format: z.string().min(1).optional().describe('date/datetime: luxon output format; defaults yyyyMMdd / yyyyMMddHHmmss.'),
  sourceZone: NonEmpty.optional().describe('datetime/date: IANA zone of naive source text, overriding the source default.'),
  ambiguous: z.enum(['earlier', 'later', 'problem']).default('earlier').describe('datetime: a wall time that occurs twice.'),
  nonexistent: z.enum(['forward', 'problem']).default('forward').describe('datetime: a wall time inside a DST gap.'),
  booleanRule: z.enum(BOOLEAN_RULES).default('strict').describe('boolean: strict accepts 0/1 only; nonZero makes any non-zero number true.'),
  split: z.string().min(1).optional().describe('array: separator that splits text into items.'),
  maxLength: z.number().int().positive().optional().describe('string: maximum length in characters (Unicode code points).'),
  truncate: z.boolean().default(false).describe('string: cut to `maxLength` instead of reporting too_long.'),
  trim: z.boolean().default(false).describe('string: remove leading and trailing white space.'),
  keepEmpty: z.boolean().default(false).describe("Send '' as is; by default an empty string counts as null."),
}).superRefine((field, ctx) => {
  const given = (['column', 'const', 'expr'] as const).filter((name) => field[name] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `${ONE_OF_MARKER}column, const, expr`,
      input: field,
    });
  }
});

export const FieldSchema = z.preprocess(columnShorthand, FieldObject);

const CursorSchema = z.preprocess(
  columnShorthand,
  strictObject({
    column: NonEmpty.describe('Column or SQL expression that grows on every change, e.g. COALESCE(update_time, create_time).'),
    kind: z
      .enum(['datetime', 'timestamptz', 'integer', 'text'])
      .optional()
      .describe('How cursor values compare; inferred from the column type when absent (required for SQLite expressions and TEXT datetimes).'),
  }),
);

function requireTableOrQuery(value: { table?: string; query?: string }, ctx: z.RefinementCtx): void {
  if ((value.table === undefined) === (value.query === undefined)) {
    ctx.addIssue({ code: 'custom', message: `${ONE_OF_MARKER}table, query`, input: value });
  }
}

const SourceSchema = strictObject({
  table: NonEmpty.optional().describe('Source table; give `table` or `query`.'),
  query: NonEmpty.optional().describe('SELECT statement used as the source instead of a table.'),
  key: z.array(NonEmpty).min(1).describe('Primary key columns; the cursor tie-breaker.'),
  cursor: CursorSchema.describe('Change cursor.'),
  where: NonEmpty.optional().describe('SQL condition added to every read.'),
  deleted: strictObject({
    when: NonEmpty.describe('filtrex expression over the row; true means the row is a soft delete.'),
  })
    .optional()
    .describe('Soft-delete rule: matching rows are sent with op delete.'),
}).superRefine(requireTableOrQuery);

const ChildSchema = strictObject({
  table: NonEmpty.optional().describe('Child table; give `table` or `query`.'),
  query: NonEmpty.optional().describe('SELECT statement used instead of a table.'),
  parentKey: NonEmpty.describe('Child column that refers to the parent.'),
  parentColumn: NonEmpty.optional().describe('Parent column that `parentKey` refers to; defaults to the single parent key column.'),
  key: z.array(NonEmpty).min(1).describe('Child primary key columns.'),
  orderBy: z.array(NonEmpty).optional().describe('Line order; defaults to `key`.'),
  changeCursor: CursorSchema.optional().describe('Child column whose change re-sends the parent.'),
  where: NonEmpty.optional().describe('SQL condition on child rows.'),
  fields: z.record(NonEmpty, FieldSchema).describe('Line fields, in body order.'),
}).superRefine(requireTableOrQuery);

const LookupFileRef = strictObject({ file: NonEmpty.describe('YAML or JSON file, relative to the mapping file.') });
const LookupTable = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** `{ file: path }` (only that key) is a file reference; any other map is an inline table. */
const LookupSchema = z.union([LookupFileRef, LookupTable]);

const TestCaseSchema = strictObject({
  name: NonEmpty.describe('Test name shown in the results.'),
  sourceZone: NonEmpty.optional().describe('Zone of naive source datetimes in this test; default UTC.'),
  targetZone: NonEmpty.optional().describe('Profile zone in this test; default Asia/Shanghai.'),
  input: strictObject({
    row: z.record(z.string(), JsonValue).describe('Source row as the reader returns it.'),
    children: z.record(z.string(), z.array(z.record(z.string(), JsonValue))).optional().describe('Child rows per child name.'),
  }),
  expect: strictObject({
    key: z.string().optional(),
    op: z.enum(['upsert', 'delete']).optional(),
    body: z.record(z.string(), JsonValue).optional(),
  })
    .optional()
    .describe('Expected record; the body is compared exactly.'),
  expectProblems: z
    .array(strictObject({ path: NonEmpty, code: NonEmpty }))
    .min(1)
    .optional()
    .describe('Expected problems, as a set of path and code.'),
});

export const MappingFileSchema = strictObject({
  version: z.literal(1).describe('Mapping language version; only 1 exists.'),
  kind: NonEmpty.describe('Profile kind: warehouse, goods, inbound, outbound, inventory, return, stats.'),
  description: z.string().optional().describe('Free text for people.'),
  source: SourceSchema,
  children: z.record(NonEmpty, ChildSchema).optional().describe('Child tables, each a target field of type lines.'),
  recordKey: z
    .union([NonEmpty, z.array(NonEmpty).min(1)])
    .optional()
    .describe('"{col}" template over source columns, or a list of target fields; default: the profile recordKey.'),
  fields: z.record(NonEmpty, FieldSchema).describe('Target fields, in body order.'),
  lookups: z.record(NonEmpty, LookupSchema).optional().describe('Named lookup tables, inline or `{ file: path }`.'),
  tests: z.array(TestCaseSchema).optional().describe('Fixtures run by npm test and the CLI.'),
});

export type MappingFileData = z.output<typeof MappingFileSchema>;
export type FieldMapping = z.output<typeof FieldObject>;
export type ChildMapping = z.output<typeof ChildSchema>;
export type MappingTestCase = z.output<typeof TestCaseSchema>;
export type LookupDefinition = z.output<typeof LookupSchema>;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Source file of a parsed mapping, so later stages can point at a line. */
export interface MappingOrigin {
  /** Path of the mapping file as given to the loader (or a label for text). */
  file: string;
  /** Folder that relative lookup files are read from. */
  baseDir: string;
  /** 1-based line and column of the value (or with `at: 'key'`, of the key) at a key path, when known. */
  locate(path: ReadonlyArray<string | number>, at?: 'value' | 'key'): { line: number; col: number } | undefined;
}

/** A validated mapping file; `origin` is not enumerable, so it never shows in comparisons. */
export type MappingFile = MappingFileData & { readonly origin?: MappingOrigin };
