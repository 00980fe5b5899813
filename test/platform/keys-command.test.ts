import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CliOutput } from '../../cli/cli-context.js';
import { main } from '../../cli/main.js';

const SPKI_BASE64_PREFIX = 'MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE';

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'owh-keys-command-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const output: CliOutput = { out: (line) => out.push(line), err: (line) => err.push(line) };

  const code = await main(['--lang', 'en', ...args], output);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('keys generate', () => {
  it('writes an SM2 pair and prints every public key form', async () => {
    const out = join(directory, 'sm2');
    const result = await run(['keys', 'generate', '--alg', 'sm2', '--out', out]);

    expect(result.code).toBe(0);
    expect(statSync(join(out, 'private.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'public.pem'), 'utf8')).toContain('-----BEGIN PUBLIC KEY-----');
    expect(result.out).toMatch(/^04[0-9a-f]{128}$/m);
    expect(result.out).toContain(SPKI_BASE64_PREFIX);
    expect(result.out).toContain('-----BEGIN PUBLIC KEY-----');
  });

  it('rejects overwriting without --force', async () => {
    const out = join(directory, 'sm2');
    const before = readFileSync(join(out, 'private.pem'), 'utf8');
    const result = await run(['keys', 'generate', '--out', out]);

    expect(result.code).toBe(7);
    expect(result.err).toContain('--force');
    expect(readFileSync(join(out, 'private.pem'), 'utf8')).toBe(before);
  });

  it('overwrites with --force and keeps mode 0600', async () => {
    const out = join(directory, 'sm2');
    const before = readFileSync(join(out, 'private.pem'), 'utf8');
    chmodSync(join(out, 'private.pem'), 0o644);
    const result = await run(['keys', 'generate', '--out', out, '--force']);

    expect(result.code).toBe(0);
    expect(readFileSync(join(out, 'private.pem'), 'utf8')).not.toBe(before);
    expect(statSync(join(out, 'private.pem')).mode & 0o777).toBe(0o600);
  });

  it('writes an RSA pair', async () => {
    const out = join(directory, 'rsa');
    const result = await run(['keys', 'generate', '--alg', 'rsa', '--out', out]);

    expect(result.code).toBe(0);
    expect(result.out).toContain('-----BEGIN PUBLIC KEY-----');
    expect(result.out).not.toMatch(/^04[0-9a-f]{128}$/m);
  });

  it('prints JSON with --json', async () => {
    const out = join(directory, 'json');
    const result = await run(['--json', 'keys', 'generate', '--out', out]);
    const parsed = JSON.parse(result.out) as { algorithm: string; publicKey: { uncompressedHex: string; spkiBase64: string } };

    expect(parsed.algorithm).toBe('SM2');
    expect(parsed.publicKey.uncompressedHex).toMatch(/^04[0-9a-f]{128}$/);
    expect(parsed.publicKey.spkiBase64.startsWith(SPKI_BASE64_PREFIX)).toBe(true);
  });

  it('rejects an unknown algorithm with exit code 2', async () => {
    const result = await run(['keys', 'generate', '--alg', 'dsa', '--out', join(directory, 'dsa')]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('"dsa"');
  });
});

describe('keys show-public', () => {
  it('prints the same public key as generate', async () => {
    const out = join(directory, 'show');
    const generated = await run(['--json', 'keys', 'generate', '--out', out]);
    const showPublic = await run(['--json', 'keys', 'show-public', '--key', join(out, 'private.pem')]);

    const generatedKey = (JSON.parse(generated.out) as { publicKey: unknown }).publicKey;
    expect(showPublic.code).toBe(0);
    expect((JSON.parse(showPublic.out) as { publicKey: unknown }).publicKey).toEqual(generatedKey);
  });

  it('rejects a private key readable by others', async () => {
    const key = join(directory, 'show', 'private.pem');
    chmodSync(key, 0o644);
    const result = await run(['keys', 'show-public', '--key', key]);
    chmodSync(key, 0o600);

    expect(result.code).toBe(7);
    expect(result.err).toContain(`chmod 600 ${key}`);
  });
});

describe('keys check', () => {
  it('passes for a matching SM2 pair', async () => {
    const out = join(directory, 'sm2');
    const result = await run(['keys', 'check', '--key', join(out, 'private.pem'), '--public', join(out, 'public.pem')]);

    expect(result.code).toBe(0);
    expect(result.out).toContain('keys match');
  });

  it('passes for a matching RSA pair', async () => {
    const out = join(directory, 'rsa');
    const result = await run(['keys', 'check', '--alg', 'rsa', '--key', join(out, 'private.pem'), '--public', join(out, 'public.pem')]);
    expect(result.code).toBe(0);
  });

  it('fails with exit code 7 for a mismatched pair', async () => {
    const result = await run(['keys', 'check', '--key', join(directory, 'sm2', 'private.pem'), '--public', join(directory, 'show', 'public.pem')]);

    expect(result.code).toBe(7);
    expect(result.err).toContain('keys do not match');
  });

  it('fails with exit code 7 for the wrong algorithm', async () => {
    const out = join(directory, 'rsa');
    const result = await run(['keys', 'check', '--alg', 'sm2', '--key', join(out, 'private.pem'), '--public', join(out, 'public.pem')]);

    expect(result.code).toBe(7);
    expect(result.err).toContain('--alg rsa');
  });

  it('fails with exit code 7 for a missing public key', async () => {
    const missing = join(directory, 'none', 'public.pem');
    const result = await run(['keys', 'check', '--key', join(directory, 'sm2', 'private.pem'), '--public', missing]);

    expect(result.code).toBe(7);
    expect(result.err).toContain(missing);
  });
});
