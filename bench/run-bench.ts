import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { countRows, ensureMariadbTable, ensurePostgresTable, serverVersion, type BenchDb, type TableStatus } from './bench-data.js';
import { judgeTargets, loadAllResults, loadResult, MB, saveResult, type DbResult, type MachineFacts, type Measurement, type RateFigures } from './bench-results.js';
import { BENCH_PIPELINE, resetCheckpoint, writeBenchConfig, writeBenchFiles, type BenchFiles } from './bench-setup.js';
import { newestCpuProfile, summarizeCpuProfile, type ProfileSummary } from './cpu-profile-summary.js';
import { runChild, type ChildResult } from './measure.js';
import type { PipelineRunDetail, PipelineRunInput } from './pipeline-run.js';
import type { PlainReadDetail, PlainReadInput } from './plain-read.js';
import { formatConsoleReport, writeMarkdownReports } from './report.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

/**
 * `npm run bench`: generates `bench_sku` in MariaDB and PostgreSQL, then
 * measures a plain driver read, a first pipeline run, a second run over
 * unchanged rows and rate-limited sending, each in its own process, and
 * prints and stores the figures against the targets.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: npm run bench -- [options]
  --rows N             rows in bench_sku (default 1000000)
  --db DB              mariadb, postgres or both (default both)
  --skip-generate      use bench_sku as it is, without checking its row count
  --regenerate         drop and generate bench_sku even when its row count matches
  --rate-seconds S     seconds of rate-limited sending (default 20)
  --rate N             requests per second for the rate measurement, set for sandbox and client (default 20)
  --in-flight N        the pipeline's maxBatchesInFlight (default 1, the product default)
  --database NAME      database on both servers (default owh_bench)
  --results-dir DIR    folder for <db>-<rows>.json results (default bench/results)
  --report-dir DIR     folder for benchmarks.md and benchmarks.zh-CN.md (default docs)
  --cpu-prof           write CPU profiles of the first pipeline run and its sandbox, and summarize them
  --keep-files         keep the temp folder with configs, state stores and logs
`;

interface BenchOptions {
  rows: number;
  dbs: BenchDb[];
  skipGenerate: boolean;
  regenerate: boolean;
  rateSeconds: number;
  rate: number;
  inFlight: number;
  database: string;
  resultsDir: string;
  reportDir: string;
  cpuProf: boolean;
  keepFiles: boolean;
}

function positiveNumber(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`invalid ${flag} value "${text}": expected a positive ${integer ? 'whole number' : 'number'}.\n${USAGE}`);
  }
  return value;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '1000000' },
      db: { type: 'string', default: 'both' },
      'skip-generate': { type: 'boolean', default: false },
      regenerate: { type: 'boolean', default: false },
      'rate-seconds': { type: 'string', default: '20' },
      rate: { type: 'string', default: '20' },
      'in-flight': { type: 'string', default: '1' },
      database: { type: 'string', default: 'owh_bench' },
      'results-dir': { type: 'string', default: path.join(REPO_ROOT, 'bench/results') },
      'report-dir': { type: 'string', default: path.join(REPO_ROOT, 'docs') },
      'cpu-prof': { type: 'boolean', default: false },
      'keep-files': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }

  const dbs: BenchDb[] | undefined =
    values.db === 'both' ? ['mariadb', 'postgres'] : values.db === 'mariadb' || values.db === 'postgres' ? [values.db] : undefined;
  if (!dbs) throw new Error(`invalid --db value "${values.db}": expected mariadb, postgres or both.\n${USAGE}`);
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(values.database)) {
    throw new Error(`invalid --database value "${values.database}": use letters, digits and underscores.`);
  }

  return {
    rows: positiveNumber('--rows', values.rows, true),
    dbs,
    skipGenerate: values['skip-generate'],
    regenerate: values.regenerate,
    rateSeconds: positiveNumber('--rate-seconds', values['rate-seconds'], false),
    rate: positiveNumber('--rate', values.rate, true),
    inFlight: positiveNumber('--in-flight', values['in-flight'], true),
    database: values.database,
    resultsDir: path.resolve(values['results-dir']),
    reportDir: path.resolve(values['report-dir']),
    cpuProf: values['cpu-prof'],
    keepFiles: values['keep-files'],
  };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function machineFacts(): MachineFacts {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout, so the report shows "unknown".
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    commit,
  };
}

/** Child time limit: generous, since a 5 M row first run takes many minutes on a small machine. */
function childTimeoutMs(rows: number): number {
  return Math.max(120_000, rows * 2);
}

function toMeasurement(name: Measurement['name'], label: string, rows: number, seconds: number, child: ChildResult<unknown>): Measurement {
  return {
    name,
    label,
    rows,
    seconds: Math.round(seconds * 100) / 100,
    rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
    peakRssMb: Math.round((child.peakRssBytes / MB) * 10) / 10,
    peakHeapMb: Math.round((child.peakHeapBytes / MB) * 10) / 10,
    cpuSeconds: Math.round(child.cpuSeconds * 10) / 10,
  };
}

async function prepareTable(db: BenchDb, options: BenchOptions): Promise<TableStatus> {
  if (options.skipGenerate) return { rows: await countRows(db, options.database), generated: false, seconds: 0 };
  return db === 'mariadb'
    ? ensureMariadbTable(options.database, options.rows, options.regenerate)
    : ensurePostgresTable(options.database, options.rows, options.regenerate);
}

async function measurePlainRead(db: BenchDb, options: BenchOptions): Promise<Measurement> {
  const input: PlainReadInput = { db, database: options.database };
  const child = await runChild<PlainReadDetail>('plain-read.ts', input, { timeoutMs: childTimeoutMs(options.rows) });
  return toMeasurement('plain', 'plain driver read', child.detail.rows, child.seconds, child);
}

async function measurePipeline(
  name: Measurement['name'],
  label: string,
  input: PipelineRunInput,
  sandbox: SandboxProcess,
  options: BenchOptions,
  nodeFlags: string[] = [],
): Promise<{ measurement: Measurement; detail: PipelineRunDetail }> {
  const sandboxCpuBefore = sandbox.cpuSeconds();
  const child = await runChild<PipelineRunDetail>('pipeline-run.ts', input, { timeoutMs: childTimeoutMs(options.rows), nodeFlags });
  const sandboxCpuAfter = sandbox.cpuSeconds();

  const measurement = toMeasurement(name, label, child.detail.counts.read, child.detail.runSeconds, child);
  measurement.outcome = child.detail.outcome;
  if (sandboxCpuBefore !== null && sandboxCpuAfter !== null) {
    measurement.sandboxCpuSeconds = Math.round((sandboxCpuAfter - sandboxCpuBefore) * 10) / 10;
  }
  if (child.detail.outcome !== 'finished' && input.stopAfterSeconds === undefined) {
    throw new Error(`the ${label} measurement failed: ${child.detail.error ?? 'no error text'}`);
  }
  return { measurement, detail: child.detail };
}

/** Requests the sandbox admitted per second, from the first to the last admitted one. */
function rateFigures(sandbox: SandboxProcess, allowed: number): RateFigures {
  const admitted = sandbox.requests.filter((request) => request.httpStatus !== 429);
  const tooMany = sandbox.requests.length - admitted.length;
  const windowSeconds = admitted.length >= 2 ? (admitted[admitted.length - 1]!.at - admitted[0]!.at) / 1000 : 0;
  const achieved = windowSeconds > 0 ? (admitted.length - 1) / windowSeconds : 0;
  return {
    allowedPerSecond: allowed,
    requests: admitted.length,
    achievedPerSecond: Math.round(achieved * 100) / 100,
    percentOfAllowed: Math.round((achieved / allowed) * 1000) / 10,
    tooManyRequests: tooMany,
    windowSeconds: Math.round(windowSeconds * 100) / 100,
  };
}

async function benchDatabase(db: BenchDb, options: BenchOptions, command: string, workDir: string): Promise<DbResult> {
  const startedAt = new Date().toISOString();
  const machine = machineFacts();

  say(`\n== ${db}: preparing ${options.database}.bench_sku (${options.rows} rows)`);
  const table = await prepareTable(db, options);
  say(table.generated ? `   generated ${table.rows} rows in ${table.seconds.toFixed(1)} s` : `   reusing the table with ${table.rows} rows`);
  if (!options.skipGenerate && table.rows !== options.rows) throw new Error(`${db}: bench_sku contains ${table.rows} rows, expected ${options.rows}. Run again with --regenerate.`);

  const dbDir = path.join(workDir, db);
  const files: BenchFiles = writeBenchFiles(dbDir, options.rate);
  const measurements: Measurement[] = [];
  const cpuProfile: DbResult['cpuProfile'] = {};

  say('   (a) plain driver read');
  measurements.push(await measurePlainRead(db, options));

  // (b) and (c): one sandbox, no rate limit, shared by the first and second run.
  const profileDir = path.join(dbDir, 'cpu-profiles');
  const sandbox = await startSandboxProcess({
    sendersFile: files.sendersFile,
    dbFile: path.join(dbDir, 'sandbox-full.sqlite'),
    nodeFlags: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, 'sandbox')}`] : [],
  });
  const stateFile = path.join(dbDir, 'state-full.sqlite');
  const configFile = writeBenchConfig({ files, db, database: options.database, endpoint: sandbox.url, stateFile, requestsPerSecond: 0, maxBatchesInFlight: options.inFlight, configFile: path.join(dbDir, 'full.yaml') });
  try {
    say('   (b) full pipeline, first run');
    const pipelineFlags = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, 'pipeline')}`] : [];
    const full = await measurePipeline('full', 'pipeline, first run', { configFile, pipeline: BENCH_PIPELINE }, sandbox, options, pipelineFlags);
    measurements.push(full.measurement);
    say(`       sent ${full.detail.counts.sent}, accepted ${full.detail.counts.accepted}, sandbox requests ${sandbox.requests.length}`);

    say('   (c) second run over unchanged rows');
    resetCheckpoint(stateFile, BENCH_PIPELINE);
    const unchangedFlags = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, 'unchanged')}`] : [];
    const unchanged = await measurePipeline('unchanged', 'pipeline, unchanged rows', { configFile, pipeline: BENCH_PIPELINE }, sandbox, options, unchangedFlags);
    measurements.push(unchanged.measurement);
    say(`       unchanged ${unchanged.detail.counts.unchanged}, sent ${unchanged.detail.counts.sent}`);
  } finally {
    await sandbox.stop();
  }
  if (options.cpuProf) {
    const pipelineFile = newestCpuProfile(path.join(profileDir, 'pipeline'));
    const unchangedFile = newestCpuProfile(path.join(profileDir, 'unchanged'));
    const sandboxFile = newestCpuProfile(path.join(profileDir, 'sandbox'));
    if (pipelineFile) cpuProfile.pipeline = summarizeCpuProfile(pipelineFile);
    if (unchangedFile) cpuProfile.unchanged = summarizeCpuProfile(unchangedFile);
    if (sandboxFile) cpuProfile.sandbox = summarizeCpuProfile(sandboxFile);
  }

  // (d): a fresh state store and sandbox ledger, so every batch is new work for both sides.
  say(`   (d) rate-limited sending for ${options.rateSeconds} s at ${options.rate} requests/s`);
  const rateSandbox = await startSandboxProcess({
    sendersFile: files.sendersFile,
    dbFile: path.join(dbDir, 'sandbox-rate.sqlite'),
    profileFile: files.rateProfileFile,
    rateLimit: true,
  });
  let rate: RateFigures;
  try {
    const rateConfig = writeBenchConfig({
      files,
      db,
      database: options.database,
      endpoint: rateSandbox.url,
      stateFile: path.join(dbDir, 'state-rate.sqlite'),
      requestsPerSecond: options.rate,
      maxBatchesInFlight: options.inFlight,
      configFile: path.join(dbDir, 'rate.yaml'),
    });
    const input: PipelineRunInput = { configFile: rateConfig, pipeline: BENCH_PIPELINE, stopAfterSeconds: options.rateSeconds };
    const run = await measurePipeline('rate', 'pipeline, rate-limited', input, rateSandbox, options);
    measurements.push(run.measurement);
    rate = rateFigures(rateSandbox, options.rate);
  } finally {
    await rateSandbox.stop();
  }

  const result: DbResult = {
    db,
    serverVersion: await serverVersion(db),
    database: options.database,
    rows: table.rows,
    maxBatchesInFlight: options.inFlight,
    startedAt,
    command,
    machine,
    generation: { generated: table.generated, seconds: Math.round(table.seconds * 10) / 10 },
    measurements,
    rate,
    targets: [],
    cpuProfile: options.cpuProf ? cpuProfile : undefined,
  };
  const baseline = table.rows === 5_000_000 ? loadResult(options.resultsDir, db, 1_000_000, options.inFlight) : undefined;
  result.targets = judgeTargets(result, baseline);
  return result;
}

function printProfile(title: string, summary: ProfileSummary | undefined): void {
  if (!summary) return;
  say(`\n${title} (${summary.totalMs} ms sampled)`);
  for (const line of summary.byArea) say(`  ${line.percent.toFixed(1).padStart(5)}%  ${line.name}`);
  for (const line of summary.byFunction) say(`  ${line.percent.toFixed(1).padStart(5)}%  ${line.name}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-bench-'));
  say(`owh-sync bench: ${options.rows} rows, ${options.dbs.join(' + ')}; work folder ${workDir}`);

  try {
    for (const db of options.dbs) {
      const result = await benchDatabase(db, options, command, workDir);
      const file = saveResult(options.resultsDir, result);
      say(formatConsoleReport(result));
      if (result.cpuProfile) {
        printProfile('pipeline CPU profile, first run', result.cpuProfile.pipeline);
        printProfile('pipeline CPU profile, unchanged rows', result.cpuProfile.unchanged);
        printProfile('sandbox CPU profile, first and second run', result.cpuProfile.sandbox);
      }
      say(`   result written to ${path.relative(process.cwd(), file)}`);
    }

    const written = writeMarkdownReports(options.reportDir, loadAllResults(options.resultsDir));
    say(`\nreport: ${written.map((file) => path.relative(process.cwd(), file)).join(', ')}`);
  } finally {
    if (options.keepFiles) say(`work folder kept: ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
