import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../connectors/platform/canonical-json.js';
import { OwhError } from '../../config/errors.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth', () => {
    const text = canonicalJson({ sku: 'A1', lines: [{ qty: '2', gnum: '1' }], appType: '1' });
    expect(text).toBe('{"appType":"1","lines":[{"gnum":"1","qty":"2"}],"sku":"A1"}');
  });

  it('keeps Chinese text and emoji as characters', () => {
    expect(canonicalJson({ note: '托盘😀破损' })).toBe('{"note":"托盘😀破损"}');
  });

  it('drops undefined members like JSON', () => {
    expect(canonicalJson({ a: '1', b: undefined })).toBe('{"a":"1"}');
  });

  it('rejects values JSON cannot carry', () => {
    expect(() => canonicalJson({ qty: 10n })).toThrow(OwhError);
    expect(() => canonicalJson({ qty: Number.NaN })).toThrow(OwhError);
    expect(() => canonicalJson(undefined)).toThrow(OwhError);
  });
});

describe('contentHash', () => {
  it('ignores key order', () => {
    const first = contentHash({ copNo: 'CK1', qty: '2', lines: [{ sku: 'A', unit: '007' }] });
    const second = contentHash({ lines: [{ unit: '007', sku: 'A' }], qty: '2', copNo: 'CK1' });
    expect(first).toBe(second);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any value', () => {
    expect(contentHash({ qty: '2' })).not.toBe(contentHash({ qty: '2.0' }));
  });

  it('is the SHA-256 of the canonical text', () => {
    // The digest of the two bytes `{}`, as `printf '{}' | sha256sum` prints it.
    expect(contentHash({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});
