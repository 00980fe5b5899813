import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Sm2PrivateKeyMaterial, loadPrivateKey, loadPublicKey, parsePrivateKey } from '../../connectors/platform/key-files.js';
import { generatePrivateKeyPem } from '../../connectors/platform/key-generation.js';
import type { SignSpec } from '../../connectors/platform/profile-schema.js';
import { renderPublicKeySpkiPem } from '../../connectors/platform/public-key-forms.js';
import { createSigner, createVerifier } from '../../connectors/platform/signer.js';
import { computeSm2Digest, computeSm2Z } from '../../connectors/platform/sm2-signer.js';
import { makeSignSpec } from './profile-fixtures.js';

// OpenSSL 3 is the independent implementation: it signs and verifies SM2 with
// an explicit user ID through `-sigopt distid:<ID>`.
const OPENSSL = 'openssl';
const DEFAULT_USER_ID = '1234567812345678';
const OTHER_USER_ID = 'owh-sender-0001';
const MESSAGE = 'senderId=S001&data={"entName":"深圳测试海外仓有限公司","records":[]}';

// SM2 curve constants a, b, xG, yG as hashed into Z (GM/T 0003.5).
const CURVE_HEX =
  'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC' +
  '28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93' +
  '32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7' +
  'BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0';

let directory: string;

function file(name: string): string {
  return join(directory, name);
}

function openssl(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(OPENSSL, args, { cwd: directory, encoding: 'utf8' });
  if (result.error) throw new Error(`could not run ${OPENSSL}: ${result.error.message}`);
  return { status: result.status, output: result.stdout + result.stderr };
}

function sm3OfFile(name: string): string {
  const { output } = openssl(['dgst', '-sm3', '-r', file(name)]);
  return output.split(' ')[0];
}

function signSpec(overrides: Partial<SignSpec> = {}): SignSpec {
  return makeSignSpec({ input: 'dataOnly', encoding: 'hexDer', ...overrides });
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'owh-sm2-openssl-'));
  writeFileSync(file('message.txt'), MESSAGE, 'utf8');

  // An SM2 key made by OpenSSL, in PKCS#8 PEM, with its SPKI public key.
  execFileSync(OPENSSL, ['genpkey', '-algorithm', 'ec', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', file('openssl-key.pem')]);
  execFileSync(OPENSSL, ['pkey', '-in', file('openssl-key.pem'), '-pubout', '-out', file('openssl-pub.pem')]);
  execFileSync(OPENSSL, ['ec', '-in', file('openssl-key.pem'), '-out', file('openssl-sec1.pem')], { stdio: 'ignore' });

  // An SM2 key made by owh-sync, written as PKCS#8 PEM and SPKI PEM.
  const ours = generatePrivateKeyPem('SM2');
  writeFileSync(file('our-key.pem'), ours, { mode: 0o600 });
  writeFileSync(file('our-pub.pem'), renderPublicKeySpkiPem(parsePrivateKey(ours, 'SM2', 'generated')));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('SM2 against OpenSSL', () => {
  it.each([DEFAULT_USER_ID, OTHER_USER_ID])('OpenSSL verifies our signature with ID %s', (userId) => {
    const key = loadPrivateKey(file('our-key.pem'), 'SM2');
    const signature = createSigner(signSpec({ sm2UserId: userId }), key).sign(MESSAGE);
    writeFileSync(file('our-sig.der'), Buffer.from(signature, 'hex'));

    const result = openssl(['dgst', '-sm3', '-verify', file('our-pub.pem'), '-sigopt', `distid:${userId}`, '-signature', file('our-sig.der'), file('message.txt')]);
    expect(result.output).toContain('Verified OK');
    expect(result.status).toBe(0);
  });

  it('OpenSSL rejects our signature under another ID', () => {
    const key = loadPrivateKey(file('our-key.pem'), 'SM2');
    const signature = createSigner(signSpec({ sm2UserId: OTHER_USER_ID }), key).sign(MESSAGE);
    writeFileSync(file('our-sig-other.der'), Buffer.from(signature, 'hex'));

    const result = openssl(['dgst', '-sm3', '-verify', file('our-pub.pem'), '-sigopt', `distid:${DEFAULT_USER_ID}`, '-signature', file('our-sig-other.der'), file('message.txt')]);
    expect(result.status).not.toBe(0);
  });

  it.each([DEFAULT_USER_ID, OTHER_USER_ID])('we verify an OpenSSL signature with ID %s', (userId) => {
    const signatureFile = file(`openssl-sig-${userId}.der`);
    execFileSync(OPENSSL, ['dgst', '-sm3', '-sign', file('openssl-key.pem'), '-sigopt', `distid:${userId}`, '-out', signatureFile, file('message.txt')]);
    const der = readFileSync(signatureFile);
    const publicKey = loadPublicKey(file('openssl-pub.pem'), 'SM2');

    expect(createVerifier(signSpec({ sm2UserId: userId, encoding: 'hexDer' }), publicKey).verify(MESSAGE, der.toString('hex'))).toBe(true);
    expect(createVerifier(signSpec({ sm2UserId: userId, encoding: 'base64Der' }), publicKey).verify(MESSAGE, der.toString('base64'))).toBe(true);
    expect(createVerifier(signSpec({ sm2UserId: 'wrong-id', encoding: 'hexDer' }), publicKey).verify(MESSAGE, der.toString('hex'))).toBe(false);
  });

  it('reads the OpenSSL PKCS#8 and SEC1 keys alike', () => {
    const fromPkcs8 = loadPrivateKey(file('openssl-key.pem'), 'SM2') as Sm2PrivateKeyMaterial;
    const fromSec1 = parsePrivateKey(readFileSync(file('openssl-sec1.pem'), 'utf8'), 'SM2', 'sec1') as Sm2PrivateKeyMaterial;
    const publicKey = loadPublicKey(file('openssl-pub.pem'), 'SM2');

    expect(fromSec1.privateKeyHex).toBe(fromPkcs8.privateKeyHex);
    expect(publicKey).toEqual({ algorithm: 'SM2', publicKeyHex: fromPkcs8.publicKeyHex });
  });

  it('OpenSSL reads our PKCS#8 key and derives our public key', () => {
    const result = openssl(['pkey', '-in', file('our-key.pem'), '-pubout']);
    expect(result.status).toBe(0);
    expect(result.output).toBe(readFileSync(file('our-pub.pem'), 'utf8'));
  });

  it('OpenSSL signs with our key and we verify', () => {
    execFileSync(OPENSSL, ['dgst', '-sm3', '-sign', file('our-key.pem'), '-sigopt', `distid:${DEFAULT_USER_ID}`, '-out', file('openssl-our-key.der'), file('message.txt')]);
    const der = readFileSync(file('openssl-our-key.der'));
    const publicKey = loadPublicKey(file('our-pub.pem'), 'SM2');

    expect(createVerifier(signSpec(), publicKey).verify(MESSAGE, der.toString('hex'))).toBe(true);
  });

  it.each([DEFAULT_USER_ID, OTHER_USER_ID])('Z and e match OpenSSL SM3 for ID %s', (userId) => {
    const key = loadPrivateKey(file('our-key.pem'), 'SM2') as Sm2PrivateKeyMaterial;
    const id = Buffer.from(userId, 'utf8');
    const entl = Buffer.from([(id.length * 8) >> 8, (id.length * 8) & 0xff]);
    writeFileSync(file('z-input.bin'), Buffer.concat([entl, id, Buffer.from(CURVE_HEX + key.publicKeyHex.slice(2), 'hex')]));

    const z = sm3OfFile('z-input.bin');
    expect(computeSm2Z(key.publicKeyHex, userId)).toBe(z);

    writeFileSync(file('e-input.bin'), Buffer.concat([Buffer.from(z, 'hex'), Buffer.from(MESSAGE, 'utf8')]));
    expect(computeSm2Digest(MESSAGE, key.publicKeyHex, { userId, prehash: 'z' })).toBe(sm3OfFile('e-input.bin'));
  });
});
