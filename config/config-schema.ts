import { z } from 'zod';

/**
 * The user's config file (`owh-sync.yaml`). Every key carries a description
 * so the reference docs and error messages can name what a key is for.
 * Relative paths are resolved against the config file's folder.
 */

const SourceSchema = z
  .object({
    client: z.enum(['mysql2', 'pg', 'better-sqlite3']).describe('knex client: mysql2 (MySQL/MariaDB), pg (PostgreSQL) or better-sqlite3 (SQLite)'),
    connection: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .describe('knex connection: a URL or an object (host, port, user, password, database; filename for SQLite)'),
    timezone: z
      .string()
      .default('Asia/Shanghai')
      .describe('IANA zone the WMS wrote its zone-less DATETIME/timestamp values in'),
    zeroDates: z.enum(['null', 'error']).default('null').describe('what to do with MySQL zero dates such as 0000-00-00'),
    partialDates: z
      .enum(['null', 'passthrough', 'error'])
      .default('null')
      .describe('what to do with partial dates such as 2013-03-00'),
    pageSize: z.number().int().min(1).max(100_000).default(1000).describe('rows per keyset page'),
    poolMax: z.number().int().min(1).max(32).default(2).describe('maximum connections to the WMS'),
    connectTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(600)
      .optional()
      .describe('seconds to wait for a WMS connection before the source counts as unreachable'),
  })
  .strict();

const RetrySchema = z
  .object({
    retries: z.number().int().min(0).max(20).default(5).describe('retries after the first attempt for retryable failures'),
    minDelayMs: z.number().int().min(0).default(1000).describe('first backoff delay in milliseconds'),
    maxDelayMs: z.number().int().min(1).default(60_000).describe('largest backoff delay in milliseconds'),
    maxWaitMs: z
      .number()
      .int()
      .min(1)
      .default(15 * 60_000)
      .describe('longest Retry-After wait the run accepts; a longer one stops the run cleanly'),
  })
  .strict();

const PlatformSchema = z
  .object({
    profile: z.string().optional().describe('platform profile file; the bundled default when absent'),
    profileOverrides: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('single profile keys to override, as dotted paths (sign.encoding: hexDer)'),
    endpoint: z.string().url().describe('base URL of the platform (or the local sandbox)'),
    senderId: z.string().min(1).describe('senderId the platform issued after the 统一接口 application'),
    keyFile: z.string().describe('private key file (SM2 or RSA, matching the profile algorithm)'),
    publicKeyFile: z.string().optional().describe('public key file, for keys check'),
    keyId: z.string().optional().describe('key identifier, when the platform asks for one'),
    timeoutMs: z.number().int().min(100).optional().describe('HTTP timeout per request; the profile value when absent'),
    requestsPerSecond: z
      .number()
      .min(0)
      .optional()
      .describe('request rate limit; the profile value when absent, 0 for none'),
    retry: RetrySchema.default(RetrySchema.parse({})),
  })
  .strict();

const EnterpriseSchema = z
  .object({
    name: z.string().min(1).describe('企业名称 as filed with the platform'),
    uscc: z.string().min(1).describe('统一社会信用代码'),
    customsCode: z.string().optional().describe('海关编码'),
  })
  .strict();

const DeadLetterLimitSchema = z
  .object({
    maxCount: z.number().int().min(0).optional().describe('abort the run when more records than this are dead-lettered'),
    maxRatio: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('abort the run when this share of read records is dead-lettered (checked after 100 records)'),
  })
  .strict();

const PipelineSchema = z
  .object({
    source: z.string().describe('name of a source in `sources`'),
    mapping: z.string().describe('mapping file path'),
    enabled: z.boolean().default(true),
    schedule: z.string().optional().describe('cron expression for scheduled runs'),
    pageSize: z.number().int().min(1).max(100_000).optional().describe('rows per page; the source value when absent'),
    batchSize: z.number().int().min(1).optional().describe("records per message; at most the profile's limit"),
    commitLagSeconds: z
      .number()
      .min(0)
      .default(5)
      .describe('keep the upper bound this far behind the database clock, for transactions that commit late'),
    deadLetters: DeadLetterLimitSchema.default({}),
    reconcileDeletes: z
      .boolean()
      .default(false)
      .describe('after each run, read every source key and send deletions for acknowledged records whose rows are gone (hard deletes)'),
    reconcileMaxDeleteShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('largest share of acknowledged records one reconciliation may delete; above it, or with an empty scan, nothing is deleted'),
    maxBatchesInFlight: z
      .number()
      .int()
      .min(1)
      .max(16)
      .default(1)
      .describe('sealed batches sent before the oldest is acknowledged; commits stay in seal order. Above 1, a failure may leave later batches sent but uncommitted, and the next run resends them'),
  })
  .strict();

const StateSchema = z
  .object({
    driver: z
      .enum(['sqlite', 'postgres'])
      .default('sqlite')
      .describe('state store: sqlite (one file, one host) or postgres (shared by several workers)'),
    path: z.string().default('.owh-sync/state.sqlite').describe('SQLite state file; used by the sqlite driver only'),
    connection: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .optional()
      .describe('PostgreSQL connection: a postgres:// URL or an object (host, port, user, password, database, ssl)'),
    schema: z
      .string()
      .default('owh_sync')
      .describe('PostgreSQL schema that holds the state tables; created when missing'),
  })
  .strict()
  .superRefine((state, ctx) => {
    if (state.driver === 'postgres' && state.connection === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['connection'],
        message: 'state.driver is postgres, so state.connection (a postgres:// URL or an object) is required',
        params: { zh: 'state.driver 为 postgres 时必须填写 state.connection（postgres:// URL 或连接对象）' },
      });
    }
    // A connection without the driver would silently keep every worker on
    // its own SQLite file. The issue names driver, not connection, so the
    // error does not echo a URL that may hold a password.
    if (state.driver === 'sqlite' && state.connection !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['driver'],
        message: 'state.connection is set but state.driver is sqlite; set driver: postgres, or remove the connection',
        params: { zh: '已填写 state.connection，但 state.driver 为 sqlite；请设置 driver: postgres，或删除 connection' },
      });
    }
    // The schema name goes into SQL unescaped apart from quoting.
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(state.schema)) {
      ctx.addIssue({
        code: 'custom',
        path: ['schema'],
        message: 'the schema must be a plain identifier: letters, digits and underscores, starting with a letter or underscore, at most 63 characters',
        params: { zh: 'schema 只能是普通标识符：字母、数字和下划线，以字母或下划线开头，最长 63 个字符' },
      });
    }
  });

const LoggingSchema = z
  .object({
    file: z.string().default('.owh-sync/owh-sync.log').describe('JSON-lines log file'),
    level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  })
  .strict();

export const ConfigSchema = z
  .object({
    version: z.literal(1).describe('config format version'),
    lang: z.enum(['zh-CN', 'en']).optional().describe('language of CLI output'),
    enterprise: EnterpriseSchema,
    sources: z.record(z.string(), SourceSchema),
    platform: PlatformSchema,
    state: StateSchema.default(StateSchema.parse({})),
    logging: LoggingSchema.default(LoggingSchema.parse({})),
    pipelines: z.record(z.string(), PipelineSchema),
  })
  .strict();

export type OwhConfig = z.infer<typeof ConfigSchema>;
export type SourceEntry = z.infer<typeof SourceSchema>;
export type PipelineEntry = z.infer<typeof PipelineSchema>;
export type PlatformEntry = z.infer<typeof PlatformSchema>;
export type RetryEntry = z.infer<typeof RetrySchema>;
