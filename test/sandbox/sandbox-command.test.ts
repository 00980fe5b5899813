import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from '../../cli/main.js';
import { loadSendersFile } from '../../cli/commands/sandbox.js';
import { OwhError } from '../../config/errors.js';
import { type TestKeys, goodsRecord, loadDefaultProfile, makeKeys, submit } from './sandbox-harness.js';

const profile = loadDefaultProfile();
const repoRoot = path.resolve(import.meta.dirname, '../..');
let keys: TestKeys;
let sendersFile: string;

beforeAll(() => {
  keys = makeKeys(profile);
  sendersFile = path.join(keys.dir, 'senders.yaml');
  // The key path is relative to the senders file, as a user would write it next to the keys folder.
  writeFileSync(sendersFile, 'senders:\n  - senderId: ENT-CLI\n    publicKeyFile: keys/public.pem\n    algorithm: SM2\n    interfaces: [OW01, OW02]\n');
});

afterAll(() => keys?.cleanup());

describe('sandbox senders file', () => {
  it('resolves key paths against the file', () => {
    const senders = loadSendersFile(sendersFile);

    expect(senders).toHaveLength(1);
    expect(senders[0].publicKey).toBe(keys.publicKeyFile);
    expect(senders[0].interfaces).toEqual(['OW01', 'OW02']);
  });

  it('rejects an entry without a key', () => {
    const bad = path.join(keys.dir, 'bad-senders.yaml');
    writeFileSync(bad, 'senders:\n  - senderId: ENT-X\n    interfaces: [OW01]\n');

    expect(() => loadSendersFile(bad)).toThrow(OwhError);
    expect(() => loadSendersFile(bad)).toThrow(/senders\.0/);
  });
});

describe('sandbox command', () => {
  it('reports a bad fault spec', async () => {
    const lines: string[] = [];
    const code = await main(['--lang', 'en', 'sandbox', '--faults', 'teapot'], { out: (line) => lines.push(line), err: (line) => lines.push(line) });

    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('invalid fault spec "teapot"');
  });

  it('serves until SIGTERM and logs requests', async () => {
    const child = spawn(process.execPath, ['bin/owh-sync.js', '--lang', 'en', 'sandbox', '--port', '0', '--senders', sendersFile], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    try {
      const url = await waitFor(() => /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1], 20_000);
      // The sender lines may arrive in a later chunk than the listening line.
      await waitFor(() => (stdout.includes('sender ENT-CLI') ? true : undefined), 20_000);
      expect(stdout).toContain('sender ENT-CLI (SM2), opened interfaces: OW01, OW02');

      const result = await submit({ url, profile, signer: keys.signer, senderId: 'ENT-CLI', kind: 'goods', records: [goodsRecord('SKU-CLI')] });
      expect(result.status).toBe(200);

      await waitFor(() => (stdout.includes(result.messageId) ? true : undefined), 5_000);
      expect(stdout).toContain(`accepted sender=ENT-CLI interface=OW02 messageId=${result.messageId}`);
    } finally {
      child.kill('SIGTERM');
    }

    expect(await exited).toBe(0);
    expect(stdout).toContain('received SIGTERM, sandbox stopped.');
  });
});

/** Polls a condition every 50 ms until it returns a value or the time runs out. */
async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
