import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs each measurement in a child process of its own, so a peak memory
 * figure belongs to one measurement only. The child samples its own RSS and
 * heap every 100 ms and prints one result line; the parent parses it.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULT_PREFIX = 'BENCH_RESULT ';
const SAMPLE_INTERVAL_MS = 100;

/** Figures every child process measures about itself. */
export interface ProcessFigures {
  seconds: number;
  peakRssBytes: number;
  peakHeapBytes: number;
  /** User plus system CPU time of the child, in seconds. */
  cpuSeconds: number;
}

export interface ChildResult<T> extends ProcessFigures {
  detail: T;
}

/**
 * Starts sampling this process's memory. `finish` takes a last sample,
 * stops the timer and prints the result line with the caller's detail.
 */
export function startProbe(): { finish<T>(detail: T): void } {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let peakRss = 0;
  let peakHeap = 0;

  const sample = (): void => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  timer.unref();

  return {
    finish<T>(detail: T): void {
      sample();
      clearInterval(timer);
      const cpu = process.cpuUsage(cpuStart);
      const result: ChildResult<T> = {
        seconds: (performance.now() - started) / 1000,
        peakRssBytes: peakRss,
        peakHeapBytes: peakHeap,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        detail,
      };
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    },
  };
}

export interface ChildOptions {
  /** Extra node flags, such as `--cpu-prof`. Callers must not pass `--max-old-space-size`. */
  nodeFlags?: string[];
  /** Sends SIGINT after this many milliseconds (the child decides how to stop). */
  interruptAfterMs?: number;
  /** Kills the child with SIGKILL after this many milliseconds. */
  timeoutMs: number;
}

/**
 * Runs `bench/<script>` under tsx with `input` as JSON in argv[2] and returns
 * its result line. The child's stderr is passed through, so its errors show.
 */
export function runChild<T>(script: string, input: unknown, options: ChildOptions): Promise<ChildResult<T>> {
  const args = [...(options.nodeFlags ?? []), path.join(REPO_ROOT, 'bin/run-ts.js'), path.join(REPO_ROOT, 'bench', script), JSON.stringify(input)];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });

  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });

  const interrupt = options.interruptAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), options.interruptAfterMs);
  const deadline = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      if (interrupt) clearTimeout(interrupt);

      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
      if (!line) {
        reject(new Error(`bench child ${script} exited (code ${String(code)}, signal ${String(signal)}) without a result line`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult<T>);
    });
  });
}
