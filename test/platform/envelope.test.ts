import { describe, expect, it } from 'vitest';

import { OwhError } from '../../config/errors.js';
import {
  type EnvelopeProfile,
  EnvelopeError,
  buildEnvelope,
  computeSignInput,
  parseEnvelope,
  parseEnvelopeTimestamp,
  verifyEnvelope,
} from '../../connectors/platform/envelope.js';
import { parsePrivateKey, publicKeyOf } from '../../connectors/platform/key-files.js';
import { type Signer, createSigner, createVerifier } from '../../connectors/platform/signer.js';
import { makeEnvelopeProfile } from './profile-fixtures.js';

const KEY = parsePrivateKey('3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8', 'SM2', 'test key');
const NOW = new Date('2025-03-01T00:00:00.000Z');
const MESSAGE_ID = '6F9619FF-8B86-D011-B42D-00C04FC964FF';
const NONCE = 'abcdEFGH12345678';
const PAYLOAD = { entName: '深圳测试海外仓有限公司', appType: '1', records: [{ warehouseCode: 'W-01', area: '1200.50' }] };

function build(profile: EnvelopeProfile, overrides: { keyId?: string; signer?: Signer } = {}) {
  return buildEnvelope({
    profile,
    signer: overrides.signer ?? createSigner(profile.sign, KEY),
    senderId: 'S0001',
    kind: 'warehouse',
    messageId: MESSAGE_ID,
    payload: PAYLOAD,
    now: NOW,
    nonce: NONCE,
    keyId: overrides.keyId,
  });
}

function verifies(profile: EnvelopeProfile, body: string): boolean {
  const { parts } = parseEnvelope(profile, body);
  return verifyEnvelope(profile, parts, createVerifier(profile.sign, publicKeyOf(KEY)));
}

describe('buildEnvelope with the default profile', () => {
  const profile = makeEnvelopeProfile();
  const built = build(profile);
  const body = JSON.parse(built.body) as Record<string, string>;
  const dataText = JSON.stringify(PAYLOAD);

  it('sends every part under its wire name', () => {
    expect(Object.keys(body)).toEqual([
      'senderId', 'interfaceId', 'messageId', 'timestamp', 'nonce', 'version', 'dataFormat', 'encryptType', 'data', 'signType', 'sign',
    ]);
    expect(body.interfaceId).toBe('OWH01');
    expect(body.timestamp).toBe('20250301080000');
    expect(body.signType).toBe('SM2');
  });

  it('posts exactly the signed data text', () => {
    expect(body.data).toBe(dataText);
    expect(built.parts.data).toBe(dataText);
    expect(built.signInput).toContain(`data=${dataText}&`);
  });

  it('signs the sorted parameters', () => {
    expect(built.signInput).toBe(
      [
        `data=${dataText}`,
        'dataFormat=JSON',
        'encryptType=NONE',
        'interfaceId=OWH01',
        `messageId=${MESSAGE_ID}`,
        `nonce=${NONCE}`,
        'senderId=S0001',
        'signType=SM2',
        'timestamp=20250301080000',
        'version=1.0',
      ].join('&'),
    );
  });

  it('verifies after parsing the body', () => {
    expect(verifies(profile, built.body)).toBe(true);
  });

  it('fails verification after a data byte changes', () => {
    const { parts } = parseEnvelope(profile, built.body);
    const tampered = { ...parts, data: parts.data?.replace('1200.50', '1200.51') };
    expect(verifyEnvelope(profile, tampered, createVerifier(profile.sign, publicKeyOf(KEY)))).toBe(false);
  });

  it('makes a random nonce of the profile length', () => {
    const random = buildEnvelope({ profile, signer: createSigner(profile.sign, KEY), senderId: 'S0001', kind: 'warehouse', messageId: MESSAGE_ID, payload: PAYLOAD });
    expect(random.parts.nonce).toMatch(/^[0-9A-Za-z]{16}$/);
  });

  it('signs the same text given as dataText', () => {
    const fromText = buildEnvelope({ profile, signer: createSigner(profile.sign, KEY), senderId: 'S0001', kind: 'warehouse', messageId: MESSAGE_ID, dataText, now: NOW, nonce: NONCE });
    expect(fromText.signInput).toBe(built.signInput);
  });
});

describe('buildEnvelope follows profile edits', () => {
  it('uses renamed wire fields and drops unmapped parts', () => {
    const profile = makeEnvelopeProfile();
    profile.envelope.fieldNames.senderId = 'SenderID';
    profile.envelope.fieldNames.data = 'bizContent';
    profile.envelope.fieldNames.sign = 'signValue';
    profile.envelope.fieldNames.nonce = null;

    const built = build(profile);
    const body = JSON.parse(built.body) as Record<string, string>;

    expect(body.SenderID).toBe('S0001');
    expect(body.bizContent).toBe(JSON.stringify(PAYLOAD));
    expect(body.signValue).toBe(built.parts.sign);
    expect('senderId' in body).toBe(false);
    expect('nonce' in body).toBe(false);
    // Upper-case names sort before lower-case ones in code unit order.
    expect(built.signInput.startsWith('SenderID=S0001&bizContent=')).toBe(true);
    expect(verifies(profile, built.body)).toBe(true);
  });

  it.each([
    ['yyyyMMddHHmmss', 'Asia/Shanghai', '20250301080000'],
    ['yyyy-MM-dd HH:mm:ss', 'Asia/Shanghai', '2025-03-01 08:00:00'],
    ['yyyy-MM-dd HH:mm:ss', 'UTC', '2025-03-01 00:00:00'],
    ['epochMillis', 'Asia/Shanghai', '1740787200000'],
  ])('writes timestamp format %s in %s', (format, zone, expected) => {
    const profile = makeEnvelopeProfile();
    profile.envelope.timestamp.format = format;
    profile.envelope.timestamp.zone = zone;

    const built = build(profile);
    expect((JSON.parse(built.body) as Record<string, string>).timestamp).toBe(expected);
    expect(parseEnvelopeTimestamp(profile, expected)?.toISOString()).toBe(NOW.toISOString());
  });

  it('returns undefined for a timestamp in another format', () => {
    const profile = makeEnvelopeProfile();
    expect(parseEnvelopeTimestamp(profile, '2025-03-01 08:00:00')).toBeUndefined();
    profile.envelope.timestamp.format = 'epochMillis';
    expect(parseEnvelopeTimestamp(profile, '20250301T080000')).toBeUndefined();
  });

  it('rejects an invalid time zone', () => {
    const profile = makeEnvelopeProfile();
    profile.envelope.timestamp.zone = 'Mars/Olympus';
    expect(() => build(profile)).toThrow(/Mars\/Olympus/);
  });

  it.each(['base64Raw', 'hexRaw', 'base64Der', 'hexDer'] as const)('writes and verifies encoding %s', (encoding) => {
    const profile = makeEnvelopeProfile();
    profile.sign.encoding = encoding;

    const sign = (JSON.parse(build(profile).body) as Record<string, string>).sign;
    if (encoding === 'hexRaw') expect(sign).toMatch(/^[0-9a-f]{128}$/);
    if (encoding === 'hexDer') expect(sign).toMatch(/^30[0-9a-f]+$/);
    if (encoding === 'base64Raw') expect(Buffer.from(sign, 'base64').length).toBe(64);
    if (encoding === 'base64Der') expect(Buffer.from(sign, 'base64')[0]).toBe(0x30);
    expect(verifies(profile, build(profile).body)).toBe(true);
  });

  it('encodes data as base64 when the profile says so', () => {
    const profile = makeEnvelopeProfile();
    profile.envelope.dataEncoding = 'base64';

    const built = build(profile);
    expect(built.parts.data).toBe(Buffer.from(JSON.stringify(PAYLOAD), 'utf8').toString('base64'));
    expect(parseEnvelope(profile, built.body).payload).toEqual(PAYLOAD);
    expect(verifies(profile, built.body)).toBe(true);
  });

  it('leaves out null dataFormat and encryptType', () => {
    const profile = makeEnvelopeProfile();
    profile.envelope.dataFormat = null;
    profile.envelope.encryptType = null;

    const built = build(profile);
    expect(built.parts.dataFormat).toBeUndefined();
    expect(built.signInput).not.toContain('encryptType');
  });

  it('sends the signType value for the algorithm', () => {
    const profile = makeEnvelopeProfile();
    profile.sign.signTypeValues.SM2 = 'SM3withSM2';
    expect(build(profile).parts.signType).toBe('SM3withSM2');
  });
});

describe('sign input rules', () => {
  it('signs the data text alone with dataOnly', () => {
    const profile = makeEnvelopeProfile();
    profile.sign.input = 'dataOnly';

    const built = build(profile);
    expect(built.signInput).toBe(JSON.stringify(PAYLOAD));
    expect(verifies(profile, built.body)).toBe(true);
  });

  it('joins template parts with the separator', () => {
    const profile = makeEnvelopeProfile();
    profile.sign.input = 'template';
    profile.sign.template = { parts: ['senderId', 'messageId', 'data', 'timestamp'], separator: '||' };

    const built = build(profile);
    expect(built.signInput).toBe(`S0001||${MESSAGE_ID}||${JSON.stringify(PAYLOAD)}||20250301080000`);
    expect(verifies(profile, built.body)).toBe(true);
  });

  it('rejects template without parts', () => {
    const profile = makeEnvelopeProfile();
    profile.sign.input = 'template';
    expect(() => build(profile)).toThrow(/sign\.template\.parts/);
  });

  it('keeps an empty keyId only when skipEmpty is off', () => {
    const profile = makeEnvelopeProfile();
    expect(build(profile, { keyId: '' }).signInput).not.toContain('keyId=');

    profile.sign.skipEmpty = false;
    expect(build(profile, { keyId: '' }).signInput).toContain('&keyId=&');
    expect(build(profile, { keyId: 'K2' }).signInput).toContain('&keyId=K2&');
  });

  it('never signs the sign part itself', () => {
    const profile = makeEnvelopeProfile();
    const built = build(profile);
    expect(computeSignInput(profile, built.parts)).toBe(built.signInput);
  });
});

describe('buildEnvelope errors', () => {
  it('rejects two parts with one wire name', () => {
    const profile = makeEnvelopeProfile();
    profile.envelope.fieldNames.keyId = 'senderId';
    expect(() => build(profile)).toThrow(/same wire name "senderId"/);
  });

  it('rejects a profile that does not send data', () => {
    const profile = makeEnvelopeProfile();
    profile.envelope.fieldNames.data = null;
    expect(() => build(profile)).toThrow(/fieldNames\.data/);
  });

  it('rejects an unknown kind', () => {
    expect(() =>
      buildEnvelope({ profile: makeEnvelopeProfile(), signer: createSigner(makeEnvelopeProfile().sign, KEY), senderId: 'S', kind: 'nope', messageId: MESSAGE_ID, payload: {} }),
    ).toThrow(/no message kind "nope"/);
  });

  it('rejects a signer of another algorithm', () => {
    const profile = makeEnvelopeProfile();
    const rsaSigner: Signer = { algorithm: 'RSA2', sign: () => 'x' };
    expect(() => build(profile, { signer: rsaSigner })).toThrow(OwhError);
  });
});

describe('parseEnvelope errors', () => {
  const profile = makeEnvelopeProfile();
  const body = JSON.parse(build(profile).body) as Record<string, unknown>;

  function reasonOf(text: string): EnvelopeError {
    try {
      parseEnvelope(profile, text);
    } catch (error) {
      if (error instanceof EnvelopeError) return error;
      throw error;
    }
    throw new Error('parseEnvelope accepted the body');
  }

  it('lists missing parts by wire name', () => {
    const error = reasonOf(JSON.stringify({ ...body, sign: undefined, timestamp: '' }));
    expect(error.reason).toBe('missing-part');
    expect(error.fields).toEqual(['timestamp', 'sign']);
  });

  it('requires the nonce when enabled', () => {
    expect(reasonOf(JSON.stringify({ ...body, nonce: undefined })).fields).toEqual(['nonce']);
  });

  it('rejects a non-string part', () => {
    const error = reasonOf(JSON.stringify({ ...body, timestamp: 20250301080000 }));
    expect(error.reason).toBe('invalid-part');
    expect(error.fields).toEqual(['timestamp']);
  });

  it('rejects a body that is not a JSON object', () => {
    expect(reasonOf('not json').reason).toBe('invalid-body');
    expect(reasonOf('[1,2]').reason).toBe('invalid-body');
  });

  it('rejects data that is not JSON', () => {
    const error = reasonOf(JSON.stringify({ ...body, data: '{broken' }));
    expect(error.reason).toBe('invalid-data');
    expect(error.fields).toEqual(['data']);
  });
});
