import type { EnvelopeProfile } from '../../connectors/platform/envelope.js';
import type { SignSpec } from '../../connectors/platform/profile-schema.js';

/**
 * Builds the envelope, sign and kinds sections of a profile with the default
 * values, inline, so these tests do not depend on the profile loader. Each
 * call returns a fresh copy that a test may change.
 */
export function makeEnvelopeProfile(): EnvelopeProfile {
  return {
    envelope: {
      fieldNames: {
        senderId: 'senderId',
        interfaceId: 'interfaceId',
        messageId: 'messageId',
        timestamp: 'timestamp',
        nonce: 'nonce',
        version: 'version',
        dataFormat: 'dataFormat',
        encryptType: 'encryptType',
        data: 'data',
        signType: 'signType',
        sign: 'sign',
        keyId: 'keyId',
      },
      version: '1.0',
      dataFormat: 'JSON',
      encryptType: 'NONE',
      dataEncoding: 'json',
      messageIdFormat: 'uuidUpper',
      timestamp: { format: 'yyyyMMddHHmmss', zone: 'Asia/Shanghai', windowSeconds: 600 },
      nonce: { enabled: true, length: 16 },
    },
    sign: {
      algorithm: 'SM2',
      signTypeValues: { SM2: 'SM2', RSA2: 'RSA2' },
      input: 'sortedParams',
      skipEmpty: true,
      sm2UserId: '1234567812345678',
      encoding: 'base64Raw',
      prehash: 'z',
    },
    kinds: {
      warehouse: {
        interfaceId: 'OWH01',
        label: { zh: '海外仓基本信息', en: 'warehouse' },
        recordKey: ['warehouseCode'],
        fields: { warehouseCode: { type: 'string', required: true } },
      },
    },
  };
}

/** Builds a sign section with the default values, changed by `overrides`. */
export function makeSignSpec(overrides: Partial<SignSpec> = {}): SignSpec {
  return { ...makeEnvelopeProfile().sign, ...overrides };
}
