import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import { isValidZone } from './datetime-text.js';
import type { ReadSpec, ResolvedSourceConfig, SourceConfig } from './source-reader.js';

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';
export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 100_000;
const DEFAULT_POOL_MAX = 2;
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

const CLIENTS = ['mysql2', 'pg', 'better-sqlite3'] as const;

function configError(source: string, zh: string, en: string, details: Record<string, unknown>): OwhError {
  return new OwhError('config', bi(`数据源 ${source}：${zh}`, `Source ${source}: ${en}`), { details: { source, ...details } });
}

function checkPositiveInteger(source: string, name: string, value: number | undefined, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw configError(
      source,
      `${name} 的值 ${String(value)} 无效，应为 1 到 ${max} 之间的整数。`,
      `${name} ${String(value)} is invalid; expected an integer from 1 to ${max}.`,
      { setting: name, value },
    );
  }
}

/**
 * Validates a source declaration and fills in its defaults. Throws an
 * OwhError of category 'config' naming the setting, its value and the fix.
 * An unknown time zone is an error here, not a warning at read time.
 */
export function resolveSourceConfig(config: SourceConfig): ResolvedSourceConfig {
  const source = config.id || '(no id)';

  if (!config.id) {
    throw configError(source, '缺少 id。请给每个数据源一个唯一的 id。', 'id is missing. Give every source a unique id.', {});
  }
  if (!CLIENTS.includes(config.client)) {
    throw configError(
      source,
      `client 的值 "${String(config.client)}" 无效，应为 mysql2、pg 或 better-sqlite3。`,
      `client "${String(config.client)}" is invalid; expected mysql2, pg or better-sqlite3.`,
      { setting: 'client', value: config.client },
    );
  }

  const timezone = config.timezone ?? DEFAULT_TIMEZONE;
  if (!isValidZone(timezone)) {
    throw configError(
      source,
      `timezone 的值 "${timezone}" 不是已知的 IANA 时区。请写出无时区日期时间写入时所用的时区，例如 Asia/Shanghai 或 UTC。`,
      `timezone "${timezone}" is not a known IANA zone. Set the zone the zone-less datetimes were written in, such as Asia/Shanghai or UTC.`,
      { setting: 'timezone', value: timezone },
    );
  }

  const zeroDates = config.zeroDates ?? 'null';
  if (zeroDates !== 'null' && zeroDates !== 'error') {
    throw configError(
      source,
      `zeroDates 的值 "${String(zeroDates)}" 无效，应为 null 或 error。`,
      `zeroDates "${String(zeroDates)}" is invalid; expected null or error.`,
      { setting: 'zeroDates', value: zeroDates },
    );
  }

  const partialDates = config.partialDates ?? 'null';
  if (partialDates !== 'null' && partialDates !== 'passthrough' && partialDates !== 'error') {
    throw configError(
      source,
      `partialDates 的值 "${String(partialDates)}" 无效，应为 null、passthrough 或 error。`,
      `partialDates "${String(partialDates)}" is invalid; expected null, passthrough or error.`,
      { setting: 'partialDates', value: partialDates },
    );
  }

  checkPositiveInteger(source, 'pageSize', config.pageSize, MAX_PAGE_SIZE);
  checkPositiveInteger(source, 'poolMax', config.poolMax, 100);
  checkPositiveInteger(source, 'connectTimeoutSeconds', config.connectTimeoutSeconds, 3600);

  return {
    id: config.id,
    client: config.client,
    connection: config.connection,
    timezone,
    zeroDates,
    partialDates,
    pageSize: config.pageSize ?? DEFAULT_PAGE_SIZE,
    poolMax: config.poolMax ?? DEFAULT_POOL_MAX,
    connectTimeoutSeconds: config.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS,
  };
}

/** Checks a read declaration: one of table and query, a key, a cursor, sane numbers. */
export function checkReadSpec(source: string, spec: ReadSpec): void {
  const label = spec.table ?? 'query';

  if ((spec.table === undefined) === (spec.query === undefined)) {
    throw configError(
      source,
      '读取声明须且只须给出 table 或 query 之一。',
      'a read must name exactly one of table and query.',
      { table: spec.table, query: spec.query },
    );
  }
  if (spec.key.length === 0) {
    throw configError(
      source,
      `${label} 的 key 为空。请列出能唯一确定一行的列，例如 [id]。`,
      `${label} has an empty key. List the columns that identify a row, such as [id].`,
      { table: label },
    );
  }
  if (!spec.cursor.column.trim()) {
    throw configError(
      source,
      `${label} 缺少 cursor.column。请给出更新时间列或表达式，例如 COALESCE(update_time, create_time)。`,
      `${label} has no cursor.column. Name the update-time column or an expression such as COALESCE(update_time, create_time).`,
      { table: label },
    );
  }

  const lag = spec.commitLagSeconds;
  if (lag !== undefined && (!Number.isFinite(lag) || lag < 0)) {
    throw configError(
      source,
      `${label} 的 commitLagSeconds 值 ${String(lag)} 无效，应为不小于 0 的秒数。`,
      `${label} commitLagSeconds ${String(lag)} is invalid; expected seconds, 0 or more.`,
      { table: label, setting: 'commitLagSeconds', value: lag },
    );
  }
  checkPositiveInteger(source, 'pageSize', spec.pageSize, MAX_PAGE_SIZE);
}
