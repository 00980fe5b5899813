import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { OwhError } from '../../config/errors.js';
import { type Sm2PrivateKeyMaterial, loadPrivateKey, loadPublicKey, parsePrivateKey, parsePublicKey } from '../../connectors/platform/key-files.js';
import { generatePrivateKeyPem } from '../../connectors/platform/key-generation.js';
import { renderPublicKeyForms } from '../../connectors/platform/public-key-forms.js';

const PRIVATE_KEY_HEX = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
const PUBLIC_KEY_HEX =
  '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
const SPKI_BASE64_PREFIX = 'MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE';

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'owh-key-files-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeKey(name: string, text: string, mode: number): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('private key file mode', () => {
  it('rejects a 0644 private key with the chmod fix', () => {
    const path = writeKey('open.pem', generatePrivateKeyPem('SM2'), 0o644);

    let caught: unknown;
    try {
      loadPrivateKey(path, 'SM2');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OwhError);
    const error = caught as OwhError;
    expect(error.category).toBe('key');
    expect(error.text.en).toContain(path);
    expect(error.text.en).toContain('0644');
    expect(error.text.en).toContain(`chmod 600 ${path}`);
    expect(error.text['zh-CN']).toContain(`chmod 600 ${path}`);
  });

  it('rejects a group-readable 0640 key', () => {
    const path = writeKey('group.pem', generatePrivateKeyPem('SM2'), 0o640);
    expect(() => loadPrivateKey(path, 'SM2')).toThrow(/0640/);
  });

  it('accepts a 0600 private key', () => {
    const path = writeKey('closed.pem', PRIVATE_KEY_HEX + '\n', 0o600);
    expect(loadPrivateKey(path, 'SM2')).toEqual({ algorithm: 'SM2', privateKeyHex: PRIVATE_KEY_HEX, publicKeyHex: PUBLIC_KEY_HEX });
  });

  it('reports a missing file with its path', () => {
    const path = join(directory, 'absent.pem');
    expect(() => loadPrivateKey(path, 'SM2')).toThrow(`key file not found: ${path}`);
  });
});

describe('SM2 key text', () => {
  const key = parsePrivateKey(PRIVATE_KEY_HEX, 'SM2', 'hex') as Sm2PrivateKeyMaterial;
  const forms = renderPublicKeyForms(key);

  it('renders every public key form', () => {
    expect(forms.uncompressedHex).toBe(PUBLIC_KEY_HEX);
    expect(forms.spkiBase64.startsWith(SPKI_BASE64_PREFIX)).toBe(true);
    expect(forms.spkiPem.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
  });

  it.each([
    ['uncompressed hex', PUBLIC_KEY_HEX],
    ['128 hex without prefix', PUBLIC_KEY_HEX.slice(2)],
    ['upper-case hex', PUBLIC_KEY_HEX.toUpperCase()],
    ['SPKI base64', forms.spkiBase64],
    ['SPKI PEM', forms.spkiPem],
  ])('reads a public key as %s', (_form, text) => {
    expect(parsePublicKey(text, 'SM2', 'inline')).toEqual({ algorithm: 'SM2', publicKeyHex: PUBLIC_KEY_HEX });
  });

  it('reads a compressed public key', () => {
    const y = BigInt('0x' + PUBLIC_KEY_HEX.slice(66));
    const compressed = (y & 1n ? '03' : '02') + PUBLIC_KEY_HEX.slice(2, 66);
    expect(parsePublicKey(compressed, 'SM2', 'inline')).toEqual({ algorithm: 'SM2', publicKeyHex: PUBLIC_KEY_HEX });
  });

  it('rejects a point off the curve', () => {
    const offCurve = PUBLIC_KEY_HEX.slice(0, -1) + (PUBLIC_KEY_HEX.endsWith('3') ? '4' : '3');
    expect(() => parsePublicKey(offCurve, 'SM2', 'inline')).toThrow(/not a point on the SM2 curve/);
  });

  it('round-trips our PKCS#8 PEM', () => {
    const pem = generatePrivateKeyPem('SM2');
    const parsed = parsePrivateKey(pem, 'SM2', 'generated') as Sm2PrivateKeyMaterial;
    expect(parsed.privateKeyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.publicKeyHex).toMatch(/^04[0-9a-f]{128}$/);
  });

  it.each([
    ['zero scalar', '0'.repeat(64)],
    ['scalar n-1', 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122'],
    ['short hex', 'abc123'],
    ['truncated PEM', '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----'],
  ])('rejects a private key with %s', (_case, text) => {
    expect(() => parsePrivateKey(text, 'SM2', 'inline')).toThrow(OwhError);
  });

  it('names the algorithm when an RSA key is given for SM2', () => {
    expect(() => parsePrivateKey(generatePrivateKeyPem('RSA2'), 'SM2', 'rsa.pem')).toThrow(/--alg rsa/);
  });

  it('rejects an SM2 key given for RSA2', () => {
    expect(() => parsePrivateKey(generatePrivateKeyPem('SM2'), 'RSA2', 'sm2.pem')).toThrow(OwhError);
  });

  it('reads a public key file', () => {
    const path = writeKey('public.pem', forms.spkiPem, 0o644);
    expect(loadPublicKey(path, 'SM2')).toEqual({ algorithm: 'SM2', publicKeyHex: PUBLIC_KEY_HEX });
  });
});
