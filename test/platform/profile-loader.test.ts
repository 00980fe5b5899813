import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OwhError } from '../../config/errors.js';
import { DEFAULT_PROFILE_PATH, loadProfile } from '../../connectors/platform/profile-loader.js';

const workDir = mkdtempSync(path.join(tmpdir(), 'owh-profile-loader-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const defaultText = readFileSync(DEFAULT_PROFILE_PATH, 'utf8');

/** Writes a copy of the default profile with `edit` applied to its text. */
function writeProfile(name: string, edit: (text: string) => string): string {
  const file = path.join(workDir, name);
  writeFileSync(file, edit(defaultText));
  return file;
}

/** Runs `load` and returns the OwhError it throws. */
function loadError(load: () => unknown): OwhError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(OwhError);
    return error as OwhError;
  }
  throw new Error('expected loadProfile to throw');
}

describe('default profile', () => {
  const profile = loadProfile();

  it('defines the seven kinds', () => {
    expect(Object.keys(profile.kinds)).toEqual(['warehouse', 'goods', 'inbound', 'outbound', 'inventory', 'return', 'stats']);
    expect(Object.values(profile.kinds).map((kind) => kind.interfaceId)).toEqual(['OW01', 'OW02', 'OW03', 'OW04', 'OW05', 'OW06', 'OW07']);
  });

  it('keys records per kind', () => {
    expect(profile.kinds.inventory!.recordKey).toEqual(['copWarehouseCode', 'snapshotTime']);
    expect(profile.kinds.stats!.recordKey).toEqual(['copWarehouseCode', 'period']);
    expect(profile.kinds.goods!.recordKey).toEqual(['sku']);
  });

  it('sets transport, envelope and sign', () => {
    expect(profile.transport.gatewayPath).toBe('/api/owh/v1/gateway');
    expect(profile.envelope.version).toBe('1.0');
    expect(profile.envelope.timestamp).toEqual({ format: 'yyyyMMddHHmmss', zone: 'Asia/Shanghai', windowSeconds: 600 });
    expect(profile.sign.sm2UserId).toBe('1234567812345678');
    expect(profile.sign.encoding).toBe('base64Raw');
    expect(profile.sign.prehash).toBe('z');
  });

  it('sets limits, response and receipts', () => {
    expect(profile.limits).toEqual({ maxRecords: 100, maxBodyBytes: 2097152, requestsPerSecond: 4 });
    expect(profile.response.successCodes).toEqual(['0', '00', '200', '10000', 'OK']);
    expect(profile.response.retryable).toEqual(['RATE_LIMITED', 'SERVER_ERROR']);
    expect(profile.receipts.mode).toBe('sync');
    expect(profile.receipts.statusMap['399']).toBe('accepted');
    expect(profile.receipts.statusMap['100']).toBe('rejected');
  });

  it('carries full code lists', () => {
    expect(Object.keys(profile.codeLists.country!)).toHaveLength(249);
    expect(profile.codeLists.country).toHaveProperty('CHN');
    expect(profile.codeLists.currency).toHaveProperty('CNY');
    expect(profile.codeLists.currency).not.toHaveProperty('HRK');
    expect(profile.codeLists.unit!['035']).toBe('千克');
  });

  it('labels every field in Chinese', () => {
    const unlabeled: string[] = [];
    const visit = (fields: Record<string, { label?: { zh: string }; fields?: Record<string, never> }>, at: string): void => {
      for (const [name, spec] of Object.entries(fields)) {
        if (!spec.label?.zh) unlabeled.push(`${at}.${name}`);
        if (spec.fields) visit(spec.fields, `${at}.${name}`);
      }
    };
    for (const [kind, spec] of Object.entries(profile.kinds)) visit(spec.fields as never, kind);
    visit(profile.payload.header as never, 'header');
    expect(unlabeled).toEqual([]);
  });

  it('returns a fresh object per call', () => {
    const first = loadProfile();
    first.limits.maxRecords = 1;
    expect(loadProfile().limits.maxRecords).toBe(100);
  });
});

describe('profile overrides', () => {
  it('sets dotted keys', () => {
    const profile = loadProfile({ overrides: { 'sign.encoding': 'hexDer', 'kinds.goods.fields.sku.maxLength': 40 } });
    expect(profile.sign.encoding).toBe('hexDer');
    expect(profile.kinds.goods!.fields.sku!.maxLength).toBe(40);
    expect(profile.kinds.goods!.fields.sku!.required).toBe(true);
  });

  it('merges nested objects', () => {
    const profile = loadProfile({ overrides: { limits: { maxRecords: 50 } } });
    expect(profile.limits.maxRecords).toBe(50);
    expect(profile.limits.maxBodyBytes).toBe(2097152);
  });

  it('replaces a code list by dotted key', () => {
    const profile = loadProfile({ overrides: { 'codeLists.currency': { '142': '人民币', '502': '美元' } } });
    expect(Object.keys(profile.codeLists.currency!)).toEqual(['142', '502']);
  });

  it('adds a field to a kind', () => {
    const profile = loadProfile({ overrides: { 'kinds.goods.fields.ciqCode': { type: 'string', length: 3, label: { zh: '检验检疫编码', en: 'CIQ code' } } } });
    expect(profile.kinds.goods!.fields.ciqCode!.length).toBe(3);
  });

  it('loads another profile file', () => {
    const file = writeProfile('other.yaml', (text) => text.replace('maxRecords: 100', 'maxRecords: 20'));
    expect(loadProfile({ file }).limits.maxRecords).toBe(20);
  });
});

describe('profile errors', () => {
  it('names override key, value and choices', () => {
    const error = loadError(() => loadProfile({ overrides: { 'sign.encoding': 'pem' } }));
    expect(error.category).toBe('config');
    for (const text of [error.text.en, error.text['zh-CN']]) {
      expect(text).toContain(DEFAULT_PROFILE_PATH);
      expect(text).toContain('sign.encoding');
      expect(text).toContain('"pem"');
      expect(text).toContain('base64Raw');
      expect(text).toContain('platform.profileOverrides');
    }
  });

  it('names the file line of a bad value', () => {
    const file = writeProfile('bad-version.yaml', (text) => text.replace('  timeoutMs: 30000', "  timeoutMs: 'soon'"));
    const line = readFileSync(file, 'utf8').split('\n').findIndex((row) => row.includes("timeoutMs: 'soon'")) + 1;
    const error = loadError(() => loadProfile({ file }));
    expect(error.text.en).toContain(file);
    expect(error.text.en).toContain('transport.timeoutMs');
    expect(error.text.en).toContain(`(line ${line})`);
    expect(error.text.en).toContain('"soon"');
    expect(error.text['zh-CN']).toContain(`第 ${line} 行`);
  });

  it('reports unknown keys', () => {
    const error = loadError(() => loadProfile({ overrides: { 'kinds.goods.fields.sku.maxLenght': 40 } }));
    expect(error.text.en).toContain('kinds.goods.fields.sku.maxLenght');
  });

  it('reports a missing code list', () => {
    const error = loadError(() => loadProfile({ overrides: { 'kinds.goods.fields.currency.codeList': 'currencies' } }));
    expect(error.text.en).toContain('kinds.goods.fields.currency.codeList');
    expect(error.text.en).toContain('"currencies"');
    expect(error.text.en).toContain('country, currency, unit, continent');
  });

  it('reports a missing requiredWhen field', () => {
    const error = loadError(() => loadProfile({ overrides: { 'kinds.inbound.fields.entryId.requiredWhen.field': 'tradeMod' } }));
    expect(error.text.en).toContain('kinds.inbound.fields.entryId.requiredWhen.field');
    expect(error.text.en).toContain('"tradeMod"');
  });

  it('reports a requiredWhen value outside the enum', () => {
    const error = loadError(() => loadProfile({ overrides: { 'kinds.outbound.fields.orderNo.requiredWhen.in': ['01', '06'] } }));
    expect(error.text.en).toContain('kinds.outbound.fields.orderNo.requiredWhen.in');
    expect(error.text.en).toContain('"06"');
  });

  it('reports a missing record key field', () => {
    const error = loadError(() => loadProfile({ overrides: { 'kinds.stats.recordKey': ['copWarehouseCode', 'month'] } }));
    expect(error.text.en).toContain('kinds.stats.recordKey.1');
    expect(error.text.en).toContain('"month"');
  });

  it('reports an unsent template part', () => {
    const error = loadError(() =>
      loadProfile({ overrides: { 'sign.input': 'template', 'sign.template.parts': ['senderId', 'keyId', 'data'] } }),
    );
    expect(error.text.en).toContain('sign.template.parts.1');
    expect(error.text.en).toContain('"keyId"');
  });

  it('reports an enum that cannot fit the length', () => {
    const error = loadError(() => loadProfile({ overrides: { 'kinds.inbound.fields.inboundType.enum': ['01', '100'] } }));
    expect(error.text.en).toContain('kinds.inbound.fields.inboundType.enum');
    expect(error.text.en).toContain('"100"');
  });

  it('reports YAML syntax with line', () => {
    const file = writeProfile('broken.yaml', (text) => text.replace('  routing: gateway', '  routing: [gateway'));
    const error = loadError(() => loadProfile({ file }));
    expect(error.text.en).toMatch(/broken\.yaml:\d+:\d+ is not valid YAML/);
  });

  it('reports a missing file', () => {
    const file = path.join(workDir, 'absent.yaml');
    const error = loadError(() => loadProfile({ file }));
    expect(error.text.en).toContain(file);
    expect(error.text.en).toContain('platform.profile');
  });

  it('rejects prototype keys in overrides', () => {
    const error = loadError(() => loadProfile({ overrides: { '__proto__.polluted': true } }));
    expect(error.text.en).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
