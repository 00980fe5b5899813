import { describe, expect, it } from 'vitest';
import { OwhError } from '../../../config/errors.js';
import { createSourceReader, resolveSourceConfig } from '../../../connectors/sources/index.js';
import { mysqlConnectionOptions } from '../../../connectors/sources/mysql-source.js';
import { pgConnectionOptions } from '../../../connectors/sources/postgres-source.js';

const base = { id: 'wms', client: 'mysql2' as const, connection: { host: '127.0.0.1', database: 'wms' } };

describe('resolveSourceConfig', () => {
  it('fills the defaults', () => {
    const config = resolveSourceConfig(base);

    expect(config.timezone).toBe('Asia/Shanghai');
    expect(config.zeroDates).toBe('null');
    expect(config.partialDates).toBe('null');
    expect(config.pageSize).toBe(1000);
  });

  it('rejects an unknown time zone at startup', () => {
    let failure: unknown;
    try {
      createSourceReader({ ...base, timezone: 'UTC+8' });
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(OwhError);
    expect((failure as OwhError).category).toBe('config');
    expect((failure as OwhError).text.en).toContain('UTC+8');
    expect((failure as OwhError).text['zh-CN']).toContain('UTC+8');
  });

  it('rejects an invalid page size and policy', () => {
    expect(() => resolveSourceConfig({ ...base, pageSize: 0 })).toThrow(/pageSize 0/);
    expect(() => resolveSourceConfig({ ...base, zeroDates: 'zero' as never })).toThrow(/zeroDates "zero"/);
  });
});

describe('driver options', () => {
  it('replaces a 3-byte MySQL charset and reports it', () => {
    const { options, warnings } = mysqlConnectionOptions(
      resolveSourceConfig({ ...base, connection: { ...base.connection, charset: 'UTF8_GENERAL_CI', timezone: 'local', dateStrings: false } }),
    );

    expect(options.charset).toBe('UTF8MB4_UNICODE_CI');
    expect(options.dateStrings).toBe(true);
    expect(options.timezone).toBe('Z');
    expect(warnings.map((w) => w.code)).toEqual(['charset-replaced']);
  });

  it('keeps a 4-byte MySQL charset without warning', () => {
    const { options, warnings } = mysqlConnectionOptions(resolveSourceConfig({ ...base, connection: 'mysql://u@127.0.0.1/wms?charset=utf8mb4_bin' }));

    expect(options.charset).toBe('utf8mb4_bin');
    expect(warnings).toEqual([]);
  });

  it('sets PG session options and per-client parsers', () => {
    const options = pgConnectionOptions(resolveSourceConfig({ ...base, client: 'pg', connection: { host: '127.0.0.1', options: '-c search_path=odoo' } }));
    const types = options.types as { getTypeParser: (oid: number) => (text: string) => unknown };

    expect(options.options).toBe('-c search_path=odoo -c default_transaction_read_only=on -c TimeZone=UTC -c DateStyle=ISO');
    expect(types.getTypeParser(1114)('2024-06-11 08:00:01.123456')).toBe('2024-06-11 08:00:01.123456');
    expect(types.getTypeParser(20)('9223372036854775807')).toBe('9223372036854775807');
    expect(types.getTypeParser(3802)('{"en_US":"Box"}')).toEqual({ en_US: 'Box' });
  });
});
