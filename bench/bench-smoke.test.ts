import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { serverAvailable } from '../test/support/databases.js';

/**
 * Runs the whole `npm run bench` flow on 2,000 rows, to prove it completes
 * and prints its targets. It asserts no timing: the figures of so small a
 * table mean nothing. Results and reports go to a temp folder, and the table
 * to its own database, so the real bench results stay untouched.
 */

const TARGET_NAMES = [
  'full pipeline, first run',
  'second run, unchanged rows',
  'rate-limited sending',
  'pipeline peak RSS',
  'peak RSS at 5 M vs 1 M rows',
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-bench-smoke-'));

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'bench/run-bench.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

describe('bench smoke run', () => {
  it('completes on 2,000 rows and prints targets', { timeout: 120_000 }, async () => {
    const dbs = [(await serverAvailable('mariadb')) ? 'mariadb' : undefined, (await serverAvailable('postgres')) ? 'postgres' : undefined].filter(
      (db): db is string => db !== undefined,
    );
    if (dbs.length === 0) return;

    const { code, output } = await runBench([
      '--rows', '2000',
      '--db', dbs.length === 2 ? 'both' : dbs[0]!,
      '--database', 'owh_bench_smoke',
      '--rate-seconds', '1',
      '--results-dir', path.join(dir, 'results'),
      '--report-dir', path.join(dir, 'docs'),
    ]);

    expect(code, output).toBe(0);
    for (const db of dbs) {
      expect(fs.existsSync(path.join(dir, 'results', `${db}-2000.json`))).toBe(true);
    }
    const targetLines = output.split('\n').filter((line) => /^\s+(PASS|MISS|n\/a)\s/.test(line));
    for (const name of TARGET_NAMES) {
      const printed = targetLines.filter((line) => line.includes(`${name}:`));
      expect(printed, `target "${name}" printed once per database`).toHaveLength(dbs.length);
    }
    expect(fs.readFileSync(path.join(dir, 'docs', 'benchmarks.md'), 'utf8')).toContain('full pipeline, first run');
    expect(fs.readFileSync(path.join(dir, 'docs', 'benchmarks.zh-CN.md'), 'utf8')).toContain('管道首次运行');
  });
});
