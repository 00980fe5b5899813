import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OwhError } from '../../config/errors.js';
import { buildPayloadValidator } from '../../connectors/platform/payload-validator.js';
import { DEFAULT_PROFILE_PATH, loadProfile } from '../../connectors/platform/profile-loader.js';
import type { FieldProblem } from '../../pipelines/record-types.js';
import { FIXTURE_KINDS, type FixtureKind, validPayload, validRecord } from '../fixtures/platform/valid-records.js';

const validator = buildPayloadValidator(loadProfile());

/** Returns the valid record of a kind after `edit`, which may change or delete fields. */
function edited(kind: FixtureKind, edit: (record: Record<string, any>) => void): Record<string, unknown> {
  const record = validRecord(kind);
  edit(record);
  return record;
}

function summary(problems: FieldProblem[]): string[] {
  return problems.map((problem) => `${problem.path} ${problem.code}`);
}

describe('valid fixtures', () => {
  it.each(FIXTURE_KINDS)('%s validates clean', (kind) => {
    expect(validator.validateRecord(kind, validRecord(kind))).toEqual([]);
    expect(validator.validatePayload(kind, validPayload(kind))).toEqual([]);
  });

  it('covers every profile kind', () => {
    expect([...validator.kinds].sort()).toEqual([...FIXTURE_KINDS].sort());
  });
});

describe('invalid records', () => {
  const cases: [string, FixtureKind, (record: Record<string, any>) => void, string, string][] = [
    ['missing required', 'goods', (r) => delete r.goodsName, 'goodsName', 'required'],
    ['null required', 'goods', (r) => (r.spec = null), 'spec', 'required'],
    ['empty required', 'goods', (r) => (r.sku = ''), 'sku', 'required'],
    ['too long', 'goods', (r) => (r.brand = 'B'.repeat(101)), 'brand', 'too_long'],
    ['wrong length', 'stats', (r) => (r.period = '20256'), 'period', 'wrong_length'],
    ['code list before length', 'goods', (r) => (r.unit = '07'), 'unit', 'not_in_code_list'],
    ['USCC pattern', 'warehouse', (r) => (r.operatorUscc = '91440300MA5FUJ8RIX'), 'operatorUscc', 'bad_pattern'],
    ['USCC check char', 'warehouse', (r) => (r.operatorUscc = '91440300MA5G2KL7X6'), 'operatorUscc', 'bad_check_char'],
    ['enum', 'warehouse', (r) => (r.ownershipType = '4'), 'ownershipType', 'not_in_enum'],
    ['array item enum', 'warehouse', (r) => (r.serviceTypes = ['01', '08']), 'serviceTypes[1]', 'not_in_enum'],
    ['country code', 'warehouse', (r) => (r.countryCode = 'US'), 'countryCode', 'not_in_code_list'],
    ['currency code', 'outbound', (r) => (r.currency = 'RMB'), 'currency', 'not_in_code_list'],
    ['unit code', 'inbound', (r) => (r.lines[1].unit = '999'), 'lines[1].unit', 'not_in_code_list'],
    ['HS code', 'goods', (r) => (r.hsCode = '85076000'), 'hsCode', 'bad_pattern'],
    ['entry ID', 'inbound', (r) => (r.entryId = '531620252001234567'), 'entryId', 'bad_pattern'],
    ['decimal as number', 'outbound', (r) => (r.goodsValue = 27.98), 'goodsValue', 'wrong_type'],
    ['decimal exponent', 'inbound', (r) => (r.lines[0].qty = '2e3'), 'lines[0].qty', 'bad_decimal'],
    ['decimal leading zero', 'inbound', (r) => (r.lines[0].qty = '02000'), 'lines[0].qty', 'bad_decimal'],
    ['integer digits', 'inbound', (r) => (r.lines[0].gnum = '10000'), 'lines[0].gnum', 'too_many_digits'],
    ['decimal places', 'warehouse', (r) => (r.totalArea = '12000.005'), 'totalArea', 'too_many_decimals'],
    ['scale 0 fraction', 'stats', (r) => (r.inboundOrders = '14.0'), 'inboundOrders', 'too_many_decimals'],
    ['Feb 29 non-leap', 'outbound', (r) => (r.outboundTime = '20250229101500'), 'outboundTime', 'bad_datetime'],
    ['hour 24', 'outbound', (r) => (r.outboundTime = '20250618240000'), 'outboundTime', 'bad_datetime'],
    ['dashed datetime', 'outbound', (r) => (r.outboundTime = '2025-06-18 10:15'), 'outboundTime', 'bad_datetime'],
    ['April 31', 'warehouse', (r) => (r.operationStartDate = '20210431'), 'operationStartDate', 'bad_date'],
    ['zero date', 'inbound', (r) => (r.exportDate = '00000000'), 'exportDate', 'bad_date'],
    ['period pattern', 'stats', (r) => (r.period = '202513'), 'period', 'bad_pattern'],
    ['string as number', 'goods', (r) => (r.barCode = 6971234567890), 'barCode', 'wrong_type'],
    ['unknown field', 'goods', (r) => (r.goodName = 'x'), 'goodName', 'unknown_field'],
    ['unknown line field', 'outbound', (r) => (r.lines[0].quantity = '1'), 'lines[0].quantity', 'unknown_field'],
    ['no lines', 'return', (r) => (r.lines = []), 'lines', 'too_few_items'],
    ['too many photos', 'warehouse', (r) => (r.photoUrls = Array(21).fill('https://img.example.cn/a.jpg')), 'photoUrls', 'too_many_items'],
    ['lines not array', 'outbound', (r) => (r.lines = { gnum: '1' }), 'lines', 'wrong_type'],
  ];

  it.each(cases)('%s', (_name, kind, edit, path, code) => {
    const problems = validator.validateRecord(kind, edited(kind, edit));
    expect(summary(problems)).toEqual([`${path} ${code}`]);
  });

  it('accepts null and empty optional fields', () => {
    const record = edited('goods', (r) => {
      r.brand = null;
      r.barCode = '';
      r.goodsNameEn = undefined;
    });
    expect(validator.validateRecord('goods', record)).toEqual([]);
  });

  it('accepts negative and zero decimals', () => {
    const record = edited('warehouse', (r) => {
      r.longitude = '-180.000000';
      r.underConstructionArea = '0';
    });
    expect(validator.validateRecord('warehouse', record)).toEqual([]);
  });

  it('accepts Feb 29 in a leap year', () => {
    expect(validator.validateRecord('outbound', edited('outbound', (r) => (r.outboundTime = '20240229235959')))).toEqual([]);
  });

  it('reports every problem of a record', () => {
    const record = edited('outbound', (r) => {
      delete r.copNo;
      r.buyerCountry = 'XXX';
      r.lines[1].qty = '1.123456';
      r.extra = 1;
    });
    expect(summary(validator.validateRecord('outbound', record)).sort()).toEqual(
      ['buyerCountry not_in_code_list', 'copNo required', 'extra unknown_field', 'lines[1].qty too_many_decimals'].sort(),
    );
  });

  it('rejects a body that is no object', () => {
    expect(summary(validator.validateRecord('goods', 'HP-PB20K-BLK'))).toEqual([' wrong_type']);
  });

  it('throws for an unknown kind', () => {
    expect(() => validator.validateRecord('shipment', {})).toThrow(OwhError);
  });
});

describe('requiredWhen', () => {
  it('requires entryId for 9810', () => {
    const problems = validator.validateRecord('inbound', edited('inbound', (r) => delete r.entryId));
    expect(summary(problems)).toEqual(['entryId required']);
    expect(problems[0]!.message.en).toContain('tradeMode is 9810, 9710, 0110');
    expect(problems[0]!.message['zh-CN']).toContain('当 tradeMode 为 9810、9710、0110 时');
  });

  it('requires invtNo for 9610', () => {
    const record = edited('inbound', (r) => {
      r.tradeMode = '9610';
      delete r.entryId;
    });
    expect(summary(validator.validateRecord('inbound', record))).toEqual(['invtNo required']);

    record.invtNo = '53162025E000123456';
    expect(validator.validateRecord('inbound', record)).toEqual([]);
  });

  it('requires tradeMode for export stocking', () => {
    const record = edited('inbound', (r) => {
      delete r.tradeMode;
      delete r.entryId;
    });
    expect(summary(validator.validateRecord('inbound', record))).toEqual(['tradeMode required']);
  });

  it('requires order fields for sales', () => {
    const record = edited('outbound', (r) => {
      r.outboundType = '02';
      r.orderNo = '';
      r.buyerCountry = null;
    });
    expect(summary(validator.validateRecord('outbound', record)).sort()).toEqual(['buyerCountry required', 'orderNo required']);
  });

  it('skips order fields for transfers', () => {
    const record = edited('outbound', (r) => {
      r.outboundType = '03';
      delete r.orderNo;
      delete r.buyerCountry;
      delete r.platformName;
    });
    expect(validator.validateRecord('outbound', record)).toEqual([]);
  });

  it('requires lease dates when leased', () => {
    const leased = edited('warehouse', (r) => delete r.leaseEndDate);
    expect(summary(validator.validateRecord('warehouse', leased))).toEqual(['leaseEndDate required']);

    const owned = edited('warehouse', (r) => {
      r.ownershipType = '1';
      delete r.leaseStartDate;
      delete r.leaseEndDate;
    });
    expect(validator.validateRecord('warehouse', owned)).toEqual([]);
  });
});

describe('header and payload', () => {
  it('checks header fields', () => {
    const header = { ...validPayload('goods'), entUscc: '91440300MA5FUJ8R4Y', appType: '4', entCustomsCode: '4403966b2k', note: 'x' };
    expect(summary(validator.validateHeader(header)).sort()).toEqual(
      ['appType not_in_enum', 'entCustomsCode bad_pattern', 'entUscc bad_check_char', 'note unknown_field'].sort(),
    );
  });

  it('limits the record count', () => {
    const records = Array.from({ length: 101 }, () => validRecord('goods'));
    expect(summary(validator.validateHeader(validPayload('goods', records)))).toEqual(['records too_many_items']);
    expect(summary(validator.validateHeader(validPayload('goods', [])))).toEqual(['records too_few_items']);
  });

  it('prefixes record paths', () => {
    const bad = edited('inbound', (r) => (r.lines[1].qty = '-'));
    const problems = validator.validatePayload('inbound', validPayload('inbound', [validRecord('inbound'), bad]));
    expect(summary(problems)).toEqual(['records[1].lines[1].qty bad_decimal']);
  });
});

describe('character length', () => {
  const profile = loadProfile({ overrides: { 'kinds.inbound.fields.note.maxLength': 5 } });
  const short = buildPayloadValidator(profile);

  it('counts code points', () => {
    expect(short.validateRecord('inbound', edited('inbound', (r) => (r.note = '托盘😀破损')))).toEqual([]);
  });

  it('reports code points over the limit', () => {
    const problems = short.validateRecord('inbound', edited('inbound', (r) => (r.note = '托盘😀破损了')));
    expect(summary(problems)).toEqual(['note too_long']);
    expect(problems[0]!.message.en).toContain('has 6 characters, at most 5');
  });

  it('counts astral CJK as one', () => {
    expect(short.validateRecord('inbound', edited('inbound', (r) => (r.note = '𠮷野家𠮷野')))).toEqual([]);
  });
});

describe('profile drives validation', () => {
  it('applies a changed field length', () => {
    const narrow = buildPayloadValidator(loadProfile({ overrides: { 'kinds.goods.fields.sku.maxLength': 10 } }));
    expect(summary(narrow.validateRecord('goods', validRecord('goods')))).toEqual(['sku too_long']);
  });

  it('applies an edited profile file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'owh-validator-'));
    try {
      const file = path.join(dir, 'edited.yaml');
      const original = 'barCode: { type: string, maxLength: 50,';
      const text = readFileSync(DEFAULT_PROFILE_PATH, 'utf8');
      expect(text).toContain(original);
      // A replacer function, because a replacement string would read `$'` in the pattern as a special token.
      writeFileSync(file, text.replace(original, () => String.raw`barCode: { type: string, length: 8, pattern: '^\d{8}$',`));

      const eightDigits = buildPayloadValidator(loadProfile({ file }));
      expect(summary(eightDigits.validateRecord('goods', validRecord('goods')))).toEqual(['barCode wrong_length']);
      expect(eightDigits.validateRecord('goods', edited('goods', (r) => (r.barCode = '69712345')))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validates an added field', () => {
    const record = edited('goods', (r) => (r.ciqCode = '101'));
    expect(summary(validator.validateRecord('goods', record))).toEqual(['ciqCode unknown_field']);

    const wider = buildPayloadValidator(
      loadProfile({
        overrides: { 'kinds.goods.fields.ciqCode': { type: 'string', length: 3, pattern: '^\\d{3}$', label: { zh: '检验检疫编码', en: 'CIQ code' } } },
      }),
    );
    expect(wider.validateRecord('goods', record)).toEqual([]);
    expect(summary(wider.validateRecord('goods', edited('goods', (r) => (r.ciqCode = '1A1'))))).toEqual(['ciqCode bad_pattern']);
  });

  it('allows 13-digit HS codes by switch', () => {
    const record = edited('goods', (r) => (r.hsCode = '8507600090101'));
    expect(summary(validator.validateRecord('goods', record))).toEqual(['hsCode bad_pattern']);

    const ciq = buildPayloadValidator(loadProfile({ overrides: { 'formatOptions.hsCodeAllowCiqSuffix': true } }));
    expect(ciq.validateRecord('goods', record)).toEqual([]);
  });
});

describe('problem messages', () => {
  it('name path, label and value in both languages', () => {
    const problems = validator.validateRecord('inbound', edited('inbound', (r) => (r.lines[0].qty = '1.1234567')));
    const [problem] = problems;
    expect(problem!.path).toBe('lines[0].qty');
    expect(problem!.value).toBe('1.1234567');
    expect(problem!.message['zh-CN']).toContain('lines[0].qty（数量）');
    expect(problem!.message['zh-CN']).toContain('"1.1234567"');
    expect(problem!.message.en).toContain('lines[0].qty (Quantity)');
    expect(problem!.message.en).toContain('"1.1234567"');
  });

  it('give the expected check character', () => {
    const header = { ...validPayload('goods'), entUscc: '91440300MA5XXXXXXX' };
    const [problem] = validator.validateHeader(header);
    expect(problem!.message['zh-CN']).toBe(
      'entUscc（统一社会信用代码）的校验位错误：值 "91440300MA5XXXXXXX"，按 GB 32100 计算第 18 位应为 "R"。',
    );
    expect(problem!.message.en).toContain('the 18th character should be "R"');
  });

  it('list enum choices with labels', () => {
    const [problem] = validator.validateRecord('warehouse', edited('warehouse', (r) => (r.ownershipType = '5')));
    expect(problem!.message['zh-CN']).toContain('1（自有）、2（租赁）、3（合作/第三方）');
    expect(problem!.message.en).toContain('1 (owned), 2 (leased)');
  });

  it('exist for every code in both languages', () => {
    const record = edited('outbound', (r) => {
      delete r.copNo;
      r.copWarehouseCode = 'W'.repeat(33);
      r.outboundType = '07';
      r.buyerCountry = 'ZZZ';
      r.sellerUscc = '91440300MA5G2KL7X6';
      r.goodsValue = 'abc';
      r.freight = '1.123456';
      r.orderTime = '20251301000000';
      r.unknown = true;
      r.lines = [];
    });
    for (const problem of validator.validateRecord('outbound', record)) {
      expect(problem.message['zh-CN']).toContain(problem.path);
      expect(problem.message.en).toContain(problem.path);
      expect(problem.message['zh-CN']).not.toBe(problem.message.en);
    }
  });
});
