import { describe, expect, it } from 'vitest';

import { DerError } from '../../connectors/platform/asn1-der.js';
import { decodeSignature, derToRaw, encodeSignature, rawToDer } from '../../connectors/platform/signature-codec.js';

function raw(rHex: string, sHex: string): Uint8Array {
  return new Uint8Array(Buffer.from(rHex.padStart(64, '0') + sHex.padStart(64, '0'), 'hex'));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

describe('signature DER encoding', () => {
  it('pads a component whose high bit is set', () => {
    const signature = raw('80' + '11'.repeat(31), '7f' + '22'.repeat(31));
    const der = rawToDer(signature);

    expect(hex(der)).toBe('3045' + '0221' + '0080' + '11'.repeat(31) + '0220' + '7f' + '22'.repeat(31));
    expect(hex(derToRaw(der))).toBe(hex(signature));
  });

  it('drops leading zero bytes of a short r', () => {
    const signature = raw('00003344' + '55'.repeat(28), '01');
    const der = rawToDer(signature);

    expect(hex(der)).toBe('3023' + '021e' + '3344' + '55'.repeat(28) + '020101');
    expect(hex(derToRaw(der))).toBe(hex(signature));
  });

  it('keeps one zero byte when a short r has its high bit set', () => {
    const signature = raw('00' + 'ff'.repeat(31), '02');
    const der = rawToDer(signature);

    expect(hex(der)).toBe('3025' + '0220' + '00' + 'ff'.repeat(31) + '020102');
    expect(hex(derToRaw(der))).toBe(hex(signature));
  });

  it('encodes both high-bit components at 72 bytes', () => {
    const der = rawToDer(raw('ff'.repeat(32), 'ff'.repeat(32)));
    expect(der.length).toBe(72);
    expect(hex(der.subarray(0, 2))).toBe('3046');
  });

  it('rejects a raw signature of the wrong size', () => {
    expect(() => rawToDer(new Uint8Array(63))).toThrow(DerError);
  });
});

describe('signature DER decoding', () => {
  const valid = '3006' + '020101' + '020102';

  it('accepts a minimal encoding', () => {
    expect(hex(derToRaw(Buffer.from(valid, 'hex')))).toBe(hex(raw('01', '02')));
  });

  it.each([
    ['trailing byte', valid + '00'],
    ['superfluous leading zero', '3007' + '02020001' + '020102'],
    ['negative integer', '3006' + '020181' + '020102'],
    ['three integers', '3009' + '020101' + '020102' + '020103'],
    ['component over 32 bytes', '3026' + '0221' + '01'.repeat(33) + '020102'],
    ['wrong outer tag', '3106' + '020101' + '020102'],
    ['length past the end', '3008' + '020101' + '020102'],
    ['non-minimal length form', '308106' + '020101' + '020102'],
    ['empty integer', '3005' + '0200' + '020102'],
  ])('rejects %s', (_case, text) => {
    expect(() => derToRaw(Buffer.from(text, 'hex'))).toThrow(DerError);
  });
});

describe('signature text encodings', () => {
  const signature = raw('80' + 'ab'.repeat(31), '0001');

  it.each(['base64Raw', 'hexRaw', 'base64Der', 'hexDer'] as const)('round-trips %s', (encoding) => {
    const text = encodeSignature(signature, encoding);
    expect(hex(decodeSignature(text, encoding) ?? new Uint8Array())).toBe(hex(signature));
  });

  it('accepts upper-case hex', () => {
    const text = encodeSignature(signature, 'hexRaw').toUpperCase();
    expect(decodeSignature(text, 'hexRaw')).toBeDefined();
  });

  it('returns undefined for text in another encoding', () => {
    expect(decodeSignature(encodeSignature(signature, 'hexRaw'), 'base64Raw')).toBeUndefined();
    expect(decodeSignature(encodeSignature(signature, 'base64Raw'), 'hexDer')).toBeUndefined();
    expect(decodeSignature(encodeSignature(signature, 'base64Raw'), 'base64Der')).toBeUndefined();
  });

  it('returns undefined for base64 with stray characters', () => {
    const text = encodeSignature(signature, 'base64Raw');
    expect(decodeSignature(text.slice(0, 10) + '*' + text.slice(11), 'base64Raw')).toBeUndefined();
    expect(decodeSignature(text.slice(0, -2), 'base64Raw')).toBeUndefined();
  });
});
