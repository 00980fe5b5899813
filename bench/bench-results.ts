import fs from 'node:fs';
import path from 'node:path';

import type { BenchDb } from './bench-data.js';
import type { ProfileSummary } from './cpu-profile-summary.js';

/** Result files and the targets they are judged against. */

export interface Measurement {
  name: 'plain' | 'full' | 'unchanged' | 'rate';
  label: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** CPU seconds of the measured process. */
  cpuSeconds: number;
  /** CPU seconds of the sandbox process during the measurement, when one ran. */
  sandboxCpuSeconds?: number;
  outcome?: string;
}

export interface RateFigures {
  allowedPerSecond: number;
  /** Requests the sandbox admitted, that is, did not reject with 429. */
  requests: number;
  achievedPerSecond: number;
  percentOfAllowed: number;
  tooManyRequests: number;
  windowSeconds: number;
}

export interface Target {
  name: string;
  expected: string;
  measured: string;
  /** null when the target does not apply to this run. */
  pass: boolean | null;
  note?: string;
}

export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  os: string;
  loadAverage: number[];
  commit: string;
}

export interface DbResult {
  db: BenchDb;
  serverVersion: string;
  database: string;
  rows: number;
  /** The pipeline's maxBatchesInFlight; results before this field existed used 1. */
  maxBatchesInFlight?: number;
  startedAt: string;
  command: string;
  machine: MachineFacts;
  generation: { generated: boolean; seconds: number };
  measurements: Measurement[];
  rate: RateFigures | null;
  targets: Target[];
  cpuProfile?: { pipeline?: ProfileSummary; unchanged?: ProfileSummary; sandbox?: ProfileSummary };
  /** Remarks added to a stored result by hand, such as a code change between its measurements. */
  notes?: { en: string; zh: string }[];
}

export const MB = 1024 * 1024;

/**
 * Allowed growth of peak RSS from the 1 M to the 5 M run. An estimate of run-to-run noise:
 * allocator and GC timing move RSS by a few percent between runs of equal work.
 */
export const MEMORY_GROWTH_TOLERANCE = 0.1;

/** Names a result file `<db>-<rows>.json`, with `-inflight<N>` before `.json` when N is not 1. */
export function resultFile(dir: string, db: BenchDb, rows: number, inFlight = 1): string {
  return path.join(dir, `${db}-${rows}${inFlight === 1 ? '' : `-inflight${inFlight}`}.json`);
}

export function saveResult(dir: string, result: DbResult): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = resultFile(dir, result.db, result.rows, result.maxBatchesInFlight);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function loadResult(dir: string, db: BenchDb, rows: number, inFlight = 1): DbResult | undefined {
  const file = resultFile(dir, db, rows, inFlight);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DbResult) : undefined;
}

/** Loads every stored result, ordered by database and then row count. */
export function loadAllResults(dir: string): DbResult[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /^(mariadb|postgres)-\d+(-inflight\d+)?\.json$/.test(name))
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as DbResult)
    .sort((a, b) => a.db.localeCompare(b.db) || a.rows - b.rows || (a.maxBatchesInFlight ?? 1) - (b.maxBatchesInFlight ?? 1));
}

function measurement(result: DbResult, name: Measurement['name']): Measurement | undefined {
  return result.measurements.find((item) => item.name === name);
}

function ratioTarget(name: string, result: DbResult, measurementName: Measurement['name'], minimum: number): Target {
  const plain = measurement(result, 'plain');
  const measured = measurement(result, measurementName);
  if (!plain || !measured || plain.rowsPerSecond === 0) {
    return { name, expected: `≥ ${minimum} × plain read`, measured: 'not measured', pass: null };
  }
  const ratio = measured.rowsPerSecond / plain.rowsPerSecond;
  return {
    name,
    expected: `≥ ${minimum} × plain read (≥ ${Math.round(minimum * plain.rowsPerSecond)} rows/s)`,
    measured: `${ratio.toFixed(3)} × (${Math.round(measured.rowsPerSecond)} rows/s)`,
    pass: ratio >= minimum,
  };
}

/** Judges one result against the targets; `baseline` is the stored 1 M result for the 5 M memory comparison. */
export function judgeTargets(result: DbResult, baseline: DbResult | undefined): Target[] {
  const targets: Target[] = [
    ratioTarget('full pipeline, first run', result, 'full', 0.25),
    ratioTarget('second run, unchanged rows', result, 'unchanged', 0.5),
  ];

  const rate = result.rate;
  targets.push(
    rate
      ? {
          name: 'rate-limited sending',
          expected: `≥ 95% of ${rate.allowedPerSecond} requests/s, no 429`,
          measured: `${rate.percentOfAllowed.toFixed(1)}% (${rate.achievedPerSecond.toFixed(2)} requests/s), ${rate.tooManyRequests} × 429`,
          pass: rate.percentOfAllowed >= 95 && rate.tooManyRequests === 0,
        }
      : { name: 'rate-limited sending', expected: '≥ 95% of the allowed rate', measured: 'not measured', pass: null },
  );

  const pipelineRuns = result.measurements.filter((item) => item.name !== 'plain');
  const peakRss = Math.max(0, ...pipelineRuns.map((item) => item.peakRssMb));
  targets.push({
    name: 'pipeline peak RSS',
    expected: '< 256 MB',
    measured: `${peakRss.toFixed(0)} MB`,
    pass: pipelineRuns.length > 0 ? peakRss < 256 : null,
  });

  if (result.rows === 5_000_000 && baseline) {
    const baselinePeak = Math.max(0, ...baseline.measurements.filter((item) => item.name !== 'plain').map((item) => item.peakRssMb));
    targets.push({
      name: 'peak RSS at 5 M vs 1 M rows',
      expected: `≤ ${baselinePeak.toFixed(0)} MB (1 M run) + ${MEMORY_GROWTH_TOLERANCE * 100}%`,
      measured: `${peakRss.toFixed(0)} MB`,
      pass: peakRss <= baselinePeak * (1 + MEMORY_GROWTH_TOLERANCE),
    });
  } else {
    targets.push({
      name: 'peak RSS at 5 M vs 1 M rows',
      expected: 'no higher than at 1 M',
      measured: result.rows === 5_000_000 ? 'no stored 1 M result' : 'only checked on a 5 M run',
      pass: null,
    });
  }
  return targets;
}
