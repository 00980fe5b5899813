import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The platform sandbox in a process of its own (`owh-sync --json sandbox`),
 * so its CPU and memory are not counted in the pipeline's figures. Every
 * request event it prints is kept with the time the bench read it.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 30_000;

export interface SandboxRequest {
  at: number;
  httpStatus: number;
  outcome: string;
  durationMs: number;
}

export interface SandboxProcess {
  url: string;
  pid: number;
  requests: SandboxRequest[];
  /** User plus system CPU seconds the sandbox process has used so far (Linux /proc). */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

export interface SandboxProcessOptions {
  sendersFile: string;
  dbFile: string;
  profileFile?: string;
  rateLimit?: boolean;
  /** Extra node flags, such as `--cpu-prof`. */
  nodeFlags?: string[];
}

export async function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const args = [...(options.nodeFlags ?? []), path.join(REPO_ROOT, 'bin/owh-sync.js'), '--json', 'sandbox', '--port', '0', '--senders', options.sendersFile, '--db', options.dbFile];
  if (options.profileFile) args.push('--profile', options.profileFile);
  if (options.rateLimit) args.push('--rate-limit');

  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const requests: SandboxRequest[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the sandbox did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with code ${String(code)} before listening`));
    });

    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const event = parseEvent(line);
      if (event?.event === 'sandbox.listening') {
        clearTimeout(timer);
        resolve(String(event.url));
      } else if (event?.event === 'sandbox.request') {
        requests.push({
          at: performance.now(),
          httpStatus: Number(event.httpStatus),
          outcome: String(event.outcome),
          durationMs: Number(event.durationMs),
        });
      }
    });
  });

  return {
    url,
    pid: child.pid!,
    requests,
    cpuSeconds: () => processCpuSeconds(child),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function parseEvent(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Reads utime and stime (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s on Linux). */
function processCpuSeconds(child: ChildProcess): number | null {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    // The command name in field 2 may contain spaces, so count fields after its closing bracket.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
