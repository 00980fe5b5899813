import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';

import type { Sm2PrivateKeyMaterial } from '../../connectors/platform/key-files.js';
import { parsePrivateKey } from '../../connectors/platform/key-files.js';
import { createSigner, createVerifier } from '../../connectors/platform/signer.js';
import { type SignatureEncoding, decodeSignature } from '../../connectors/platform/signature-codec.js';
import { computeSm2Digest, computeSm2Z, sm2SignRaw, sm2VerifyRaw } from '../../connectors/platform/sm2-signer.js';
import { makeSignSpec } from './profile-fixtures.js';

// Known answers. The key is a fixed test scalar. Z and e were computed once with
// our signer and checked with `openssl dgst -sm3` (OpenSSL 3.0.19) over
// ENTL || ID || a || b || xG || yG || xA || yA and over Z || M. The OpenSSL
// interop test recomputes them the same way for a fresh key.
const PRIVATE_KEY_HEX = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
const PUBLIC_KEY_HEX =
  '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
const DEFAULT_USER_ID = '1234567812345678';
const MESSAGE = 'message digest';
const Z_DEFAULT_ID = 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3';
const E_DEFAULT_ID = 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640';
const OTHER_USER_ID = 'owh-sender-0001';
const Z_OTHER_ID = '33db9ab18b45b5e255975cd5e09131b7cee59f356a07d452f7089ad480ce36e6';
const E_OTHER_ID_CHINESE_MESSAGE = '1f58120d764c8d1daaa54542b1ade8f435b19ccdbf979c45e389f2023e34d1a4';
/** SM3("message digest") without Z, as `openssl dgst -sm3` prints it. */
const E_WITHOUT_Z = 'c522a942e89bd80d97dd666e7a5531b36188c9817149e9b258dfe51ece98ed77';
/** A signature OpenSSL 3.0.19 made over MESSAGE with the default ID (`-sigopt distid:1234567812345678`). */
const OPENSSL_SIGNATURE_DER_HEX =
  '304402200b7fb8e024d2a090c6e5631c744d8d3673e5088dfb77590c7c1bd898dcdc6001022006b2b223de26a20e05206566418da6f31680b0876d7200f1e4e60af881d4a5c1';
/** Fixed nonce k for the library known answer, and the r||s it must give. */
const FIXED_K_HEX = '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21';
const FIXED_K_SIGNATURE_HEX =
  'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';

const N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
const ENCODINGS: SignatureEncoding[] = ['base64Raw', 'hexRaw', 'base64Der', 'hexDer'];

const key = parsePrivateKey(PRIVATE_KEY_HEX, 'SM2', 'test key') as Sm2PrivateKeyMaterial;
const defaultOptions = { userId: DEFAULT_USER_ID, prehash: 'z' as const };

const signSpec = makeSignSpec;

function modInverse(value: bigint, modulus: bigint): bigint {
  let [oldR, r] = [((value % modulus) + modulus) % modulus, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return ((oldS % modulus) + modulus) % modulus;
}

describe('SM2 known answers', () => {
  it('derives the public key', () => {
    expect(key.publicKeyHex).toBe(PUBLIC_KEY_HEX);
  });

  it('computes Z for the default user ID', () => {
    expect(computeSm2Z(PUBLIC_KEY_HEX, DEFAULT_USER_ID)).toBe(Z_DEFAULT_ID);
  });

  it('computes e = SM3(Z || M)', () => {
    expect(computeSm2Digest(MESSAGE, PUBLIC_KEY_HEX, defaultOptions)).toBe(E_DEFAULT_ID);
  });

  it('computes Z and e for another user ID', () => {
    expect(computeSm2Z(PUBLIC_KEY_HEX, OTHER_USER_ID)).toBe(Z_OTHER_ID);
    expect(computeSm2Digest('数据 data', PUBLIC_KEY_HEX, { userId: OTHER_USER_ID, prehash: 'z' })).toBe(E_OTHER_ID_CHINESE_MESSAGE);
  });

  it('computes SM3(M) when prehash is none', () => {
    expect(computeSm2Digest(MESSAGE, PUBLIC_KEY_HEX, { userId: DEFAULT_USER_ID, prehash: 'none' })).toBe(E_WITHOUT_Z);
  });

  it('pins the library output for a fixed k', () => {
    // The same explicit options sm2SignRaw passes, with k fixed through the library's point pool.
    const k = BigInt('0x' + FIXED_K_HEX);
    const x1 = BigInt('0x' + sm2.getPublicKeyFromPrivateKey(FIXED_K_HEX).slice(2, 66));
    const signature = sm2.doSignature(new TextEncoder().encode(MESSAGE), PRIVATE_KEY_HEX, {
      pointPool: [{ k, x1 }],
      der: false,
      hash: true,
      publicKey: PUBLIC_KEY_HEX,
      userId: DEFAULT_USER_ID,
    });
    expect(signature).toBe(FIXED_K_SIGNATURE_HEX);

    // GM/T 0003.2 section 6.1: r = (e + x1) mod n, s = (1 + d)^-1 * (k - r*d) mod n.
    const d = BigInt('0x' + PRIVATE_KEY_HEX);
    const r = (BigInt('0x' + E_DEFAULT_ID) + x1) % N;
    const s = (((modInverse(1n + d, N) * (k - r * d)) % N) + N) % N;
    expect(signature).toBe(r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0'));
  });

  it('verifies the fixed-k signature', () => {
    const raw = new Uint8Array(Buffer.from(FIXED_K_SIGNATURE_HEX, 'hex'));
    expect(sm2VerifyRaw(MESSAGE, raw, PUBLIC_KEY_HEX, defaultOptions)).toBe(true);
  });

  it('verifies a pinned OpenSSL signature', () => {
    const verifier = createVerifier(signSpec({ encoding: 'hexDer' }), key);
    expect(verifier.verify(MESSAGE, OPENSSL_SIGNATURE_DER_HEX)).toBe(true);
  });

  it('verifies its own signature with the fixed key', () => {
    const raw = sm2SignRaw(MESSAGE, key, defaultOptions);
    expect(raw.length).toBe(64);
    expect(sm2VerifyRaw(MESSAGE, raw, PUBLIC_KEY_HEX, defaultOptions)).toBe(true);
  });
});

describe('SM2 signer encodings', () => {
  it.each(ENCODINGS)('round-trips %s', (encoding) => {
    const spec = signSpec({ encoding });
    const signature = createSigner(spec, key).sign('数据 data & more');

    expect(createVerifier(spec, key).verify('数据 data & more', signature)).toBe(true);
    expect(decodeSignature(signature, encoding)?.length).toBe(64);
  });

  it('writes the expected shape per encoding', () => {
    const sign = (encoding: SignatureEncoding) => createSigner(signSpec({ encoding }), key).sign(MESSAGE);

    expect(Buffer.from(sign('base64Raw'), 'base64').length).toBe(64);
    expect(sign('hexRaw')).toMatch(/^[0-9a-f]{128}$/);
    expect(Buffer.from(sign('base64Der'), 'base64')[0]).toBe(0x30);
    expect(sign('hexDer')).toMatch(/^30[0-9a-f]{2}02/);
  });

  it('round-trips DER over many signatures', () => {
    // About half the r and s values have the high bit set and need a 0x00 pad byte in DER.
    const spec = signSpec({ encoding: 'hexDer' });
    const signer = createSigner(spec, key);
    const verifier = createVerifier(spec, key);

    for (let i = 0; i < 40; i += 1) {
      const message = `message ${i}`;
      expect(verifier.verify(message, signer.sign(message))).toBe(true);
    }
  });

  it('round-trips with prehash none', () => {
    const spec = signSpec({ prehash: 'none' });
    const signature = createSigner(spec, key).sign(MESSAGE);

    expect(createVerifier(spec, key).verify(MESSAGE, signature)).toBe(true);
    expect(createVerifier(signSpec({ prehash: 'z' }), key).verify(MESSAGE, signature)).toBe(false);
  });
});

describe('SM2 verification failures', () => {
  const spec = signSpec();
  const signature = createSigner(spec, key).sign('{"records":[{"qty":"10"}]}');

  it('rejects a tampered byte in the data', () => {
    expect(createVerifier(spec, key).verify('{"records":[{"qty":"11"}]}', signature)).toBe(false);
  });

  it('rejects a wrong public key', () => {
    const otherKey = parsePrivateKey('1'.repeat(64), 'SM2', 'other key');
    expect(createVerifier(spec, otherKey).verify('{"records":[{"qty":"10"}]}', signature)).toBe(false);
  });

  it('rejects a wrong user ID', () => {
    const verifier = createVerifier(signSpec({ sm2UserId: OTHER_USER_ID }), key);
    expect(verifier.verify('{"records":[{"qty":"10"}]}', signature)).toBe(false);
  });

  it('rejects a tampered signature byte', () => {
    const raw = Buffer.from(signature, 'base64');
    raw[10] ^= 0x01;
    expect(createVerifier(spec, key).verify('{"records":[{"qty":"10"}]}', raw.toString('base64'))).toBe(false);
  });

  it('rejects malformed signature text', () => {
    const verifier = createVerifier(spec, key);

    expect(verifier.verify('x', '')).toBe(false);
    expect(verifier.verify('x', 'not base64!')).toBe(false);
    expect(verifier.verify('x', Buffer.alloc(63, 1).toString('base64'))).toBe(false);
    expect(createVerifier(signSpec({ encoding: 'hexRaw' }), key).verify('x', 'zz'.repeat(64))).toBe(false);
  });

  it('rejects r or s outside 1..n-1', () => {
    const valid = sm2SignRaw(MESSAGE, key, defaultOptions);
    const zeroR = new Uint8Array(valid);
    zeroR.fill(0, 0, 32);
    const nAsS = new Uint8Array(valid);
    nAsS.set(Buffer.from(N.toString(16), 'hex'), 32);

    expect(sm2VerifyRaw(MESSAGE, zeroR, PUBLIC_KEY_HEX, defaultOptions)).toBe(false);
    expect(sm2VerifyRaw(MESSAGE, nAsS, PUBLIC_KEY_HEX, defaultOptions)).toBe(false);
  });

  it('rejects text with a lone surrogate', () => {
    expect(() => createSigner(spec, key).sign('bad \uD800 text')).toThrow(/lone surrogate/);
  });
});
