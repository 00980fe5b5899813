import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs a probe script in a child Node process (through bin/run-ts.js) with
 * extra environment and Node flags, and parses the JSON line it prints.
 */
export async function runProbe<T>(
  script: string,
  input: unknown,
  options: { env?: Record<string, string>; nodeFlags?: string[] } = {},
): Promise<T> {
  const args = [...(options.nodeFlags ?? []), 'bin/run-ts.js', script, JSON.stringify(input)];
  const { stdout } = await execFileAsync(process.execPath, args, {
    env: { ...process.env, ...options.env },
    maxBuffer: 16 * 1024 * 1024,
  });
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(lastLine) as T;
}
