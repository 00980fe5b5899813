import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parsePrivateKey, parsePublicKey, publicKeyOf } from '../../connectors/platform/key-files.js';
import type { SignSpec } from '../../connectors/platform/profile-schema.js';
import { renderPublicKeySpkiBase64, renderPublicKeySpkiPem } from '../../connectors/platform/public-key-forms.js';
import { createSigner, createVerifier } from '../../connectors/platform/signer.js';
import { makeSignSpec } from './profile-fixtures.js';

// A 2048-bit test key made with `openssl genpkey -algorithm RSA`. PKCS#1 v1.5
// signatures are deterministic, so the expected value below is the output of
// `openssl dgst -sha256 -sign` over MESSAGE, base64-encoded.
const RSA_TEST_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCz00RQuI5tMiXZ
seVUNIxOpGnAG0ftQA240eztHtv++YCrmpAM29e22Va+jPeIVQsLHeLeGporu1ZQ
iAwv2oLUC9dIWJjeJ2hm1nEOCKPu54293cTWGqxbYtPueTGQwHTNk5iy/bA7mzGb
ycZEL4sLSeubg8cwL2lYDjucov7hajzwfrXUp0g1LeIrztFBO7OlZ1D1+BpVg14P
cHHTbDcuKNSBW+VIoPwEvxx2NiGA/feSN8RmohH/wMuXSfbyOSzcbuNcIwjhlXz6
UVMghbRExvc6GV/y5XOpAUWpb3P5IdzltaQUf1TWQsyZ9ahc2Oph2jhUiC2dJbnV
EtPQm0q7AgMBAAECggEAP7XDB2JLu64/sMARQuMXLqmbed9wfULrWaaubVg4kz5s
ct/g111wMK0RyZMCBAA1WGvvO8drBcFqlD+PKckd/uhvDoetKVAG8iBZj6JKClNp
aXJP0ZdDp2D9OwkfIWy+NTNsr0WoEYYrbklvgCrj9UzsN33ZrV2u0e7A+f7ZlJzJ
uweqtTFL6hdL+AZjo06gRgSmjFZHTWgUZqHo1EXjLZJ1hinYqgoPwg61BBWKu8ku
+XqmNOgA6zFKqkO20NAJip94QvIGnFDOA0zY22Usd7zoagoW8rcgRKWj/jyawGeQ
urngVj17TV7vaOuYT1Art8VYCNa4EA/47rVk45dOMQKBgQDlMmfUO4kmyXQ3Sgdr
5V+8vWvUK1sH/HKBb95OVMn+7EYQuHMSH/JyJxA7OrlrMdZIXnvdgPx+HuKNg2sH
spEb0/s4US8gC7JPrE1F6wy6qCcpk5GYMV27pBelPeEoIurXsAQoThxnC6NSNqwJ
b4HDgU/57ZSS1xz9j46M23dKCQKBgQDI2suXYFYpJTcU1UAB0DgNvmrQ9bxrx2Hh
A76ksFyRJokgdTjh7y0Roc9OC3y5pXPAaqJFbydnf6/+Bk4rYv6lQH58Qdhn6T5X
wzqdZadIkOk7LY22TgmnatgLhdKqSq8vbxtv+fcrz7EqUpV+1UFrnEUM1zn7K+iv
O2F2lnOvowKBgQCzKm8N8ihpwKtvmRgqGRl48l47clTr7kUYt/mBJDjvZYX0Biw1
6/FbmPvQQTy29jN7SRjs86rtcHlLhIMDdmyG43QL9zKui1YtgBS75l2CAHb0wl3b
KiQKzeCKFNBQztLkHr1xQHZleyyF1SUxDxDSYuDBEB7Hlw8bi8A0jk82+QKBgC0A
uPUl5Kg7amgEj97YJHcP3ycKqDkN52RfTmvgCB2NoNPg7+nPiS2WL7iw4jVGWPUX
71vXV+DcvzYPe5xFBgFIvg5hQnelzw4i9BMoH58muNtFjab3PTqBuf568YSuTyo1
ntQsEbGDS5LMBirw5UOTM/V4k8kvQWdhyqijdTA5AoGAHKrdxyhemxnCT6w3y6VS
fyyU3Rx3Mx8fXbkXpVLA72s+Ap6yF/KiJNSTuEf6ZAdjxYIsT5l0sHLV9pTe90Ax
rMjeCEBtuVXCx2IT+OUYUIcMuwB/f42ZHgAoZAI3FZUvwI0odcYKqlYgFVSCjft8
bE88uyLL6MiJGf4Axdth+MU=
-----END PRIVATE KEY-----
`;
const MESSAGE = 'owh-sync RSA2 已知答案';
const EXPECTED_SIGNATURE_BASE64 =
  'FMytf+JqRADKpjyforrmQW+4fPclvq0mHQT2vE0688wcmgE1SZ/mA4QxqbMFCiYlA0tNxQySPRKbfmnSG65rtcqO6CwXzrWoHYR+oiVzLLoEIA4QJbLoYxKHEqxxnhwuzFtIZ5AOMbMbvAALFcUhvaMXYTvEomKErK3HGU8Pw7PPn4YLBNilVcLNuCAgpNBrhJZvv6kpq0hPgEn9w8rDrkr6VFfCzuMihd50q2GQCnqWnAcqIn0dXgxTR9IpJMAqtN2D5G/1upfYKXdw1JXCIp3jjDgMp41lDraoNqO7rqQ5wV5yRucnOmxuNxDyiZdriH5LHBR/ZlSmFk3nxK9IHQ==';

function signSpec(overrides: Partial<SignSpec> = {}): SignSpec {
  return makeSignSpec({ algorithm: 'RSA2', input: 'dataOnly', ...overrides });
}

const key = parsePrivateKey(RSA_TEST_KEY_PEM, 'RSA2', 'test key');

describe('RSA2 signer', () => {
  it('matches the OpenSSL known answer', () => {
    expect(createSigner(signSpec(), key).sign(MESSAGE)).toBe(EXPECTED_SIGNATURE_BASE64);
  });

  it('writes hex for hex encodings', () => {
    const expectedHex = Buffer.from(EXPECTED_SIGNATURE_BASE64, 'base64').toString('hex');
    expect(createSigner(signSpec({ encoding: 'hexRaw' }), key).sign(MESSAGE)).toBe(expectedHex);
    expect(createSigner(signSpec({ encoding: 'hexDer' }), key).sign(MESSAGE)).toBe(expectedHex);
  });

  it.each(['base64Raw', 'hexRaw', 'base64Der', 'hexDer'] as const)('round-trips %s', (encoding) => {
    const spec = signSpec({ encoding });
    const signature = createSigner(spec, key).sign('数据');
    expect(createVerifier(spec, publicKeyOf(key)).verify('数据', signature)).toBe(true);
  });

  it('rejects tampered data, bad text and a wrong key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const otherKey = parsePrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'RSA2', 'other key');
    const verifier = createVerifier(signSpec(), publicKeyOf(key));

    expect(verifier.verify(MESSAGE, EXPECTED_SIGNATURE_BASE64)).toBe(true);
    expect(verifier.verify(MESSAGE + ' ', EXPECTED_SIGNATURE_BASE64)).toBe(false);
    expect(verifier.verify(MESSAGE, 'not base64')).toBe(false);
    expect(createVerifier(signSpec(), publicKeyOf(otherKey)).verify(MESSAGE, EXPECTED_SIGNATURE_BASE64)).toBe(false);
  });

  it('reads its public key back from SPKI PEM and base64', () => {
    const publicKey = publicKeyOf(key);
    const fromPem = parsePublicKey(renderPublicKeySpkiPem(publicKey), 'RSA2', 'pem');
    const fromBase64 = parsePublicKey(renderPublicKeySpkiBase64(publicKey), 'RSA2', 'base64');

    expect(createVerifier(signSpec(), fromPem).verify(MESSAGE, EXPECTED_SIGNATURE_BASE64)).toBe(true);
    expect(createVerifier(signSpec(), fromBase64).verify(MESSAGE, EXPECTED_SIGNATURE_BASE64)).toBe(true);
  });

  it('OpenSSL verifies our signature', () => {
    const directory = mkdtempSync(join(tmpdir(), 'owh-rsa-openssl-'));
    try {
      writeFileSync(join(directory, 'pub.pem'), renderPublicKeySpkiPem(publicKeyOf(key)));
      writeFileSync(join(directory, 'message.txt'), '数据 data');
      writeFileSync(join(directory, 'sig.bin'), Buffer.from(createSigner(signSpec(), key).sign('数据 data'), 'base64'));

      const result = spawnSync('openssl', ['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.bin', 'message.txt'], { cwd: directory, encoding: 'utf8' });
      expect(result.stdout).toContain('Verified OK');
      expect(result.status).toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
