import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadConfig } from '../../config/config-loader.js';
import { writeKeyPairFiles } from '../../connectors/platform/key-generation.js';
import { loadProfile } from '../../connectors/platform/profile-loader.js';
import { type AcceptedRecord, type SandboxHandle, type SandboxStats, startSandbox } from '../../connectors/platform/sandbox/index.js';
import { closeLogger, createLogger } from '../../pipelines/logger.js';
import type { PipelineSummary } from '../../pipelines/pipeline-runner.js';
import { runPipelines } from '../../pipelines/run-plan.js';

/**
 * Shared steps of the sample-database integration tests: load a sample SQL
 * file with the database's own client, start the platform sandbox, write a
 * config that points at both, and run every pipeline of it.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared sample WMS files live in `shared/` beside the repository, as on CI's clone. */
export const SAMPLES_DIR = path.resolve(REPO_ROOT, '../shared/wms-samples');
export const SENDER_ID = 'OWH-IT-SAMPLE';

/** Feeds a SQL file to a database CLI on stdin (the sample files rely on the client's statement handling). */
export function loadSqlFile(command: string, args: string[], file: string): void {
  const result = spawnSync(command, args, { input: fs.readFileSync(file), encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw new Error(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} < ${file} failed with exit code ${result.status}: ${result.stderr}`);
  }
}

export interface SampleRun {
  dir: string;
  sandbox: SandboxHandle;
  configFile: string;
  /** Runs every pipeline of the config once and returns the summaries. */
  run(): Promise<PipelineSummary[]>;
  stats(): Promise<SandboxStats>;
  records(kind: string): Promise<AcceptedRecord[]>;
  close(): Promise<void>;
}

/**
 * Starts a sandbox that opens every interface of the default profile for a
 * fresh SM2 key, and writes a config with the given source and pipelines.
 * `sourceYaml` and `pipelinesYaml` are YAML blocks indented for their keys.
 */
export async function startSampleRun(options: { prefix: string; sourceYaml: string; pipelinesYaml: string }): Promise<SampleRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
  const keys = writeKeyPairFiles(path.join(dir, 'keys'), 'SM2', true);
  const profile = loadProfile();
  const sandbox = await startSandbox({
    profile,
    port: 0,
    senders: [
      {
        senderId: SENDER_ID,
        publicKey: keys.publicKeyFile,
        algorithm: 'SM2',
        interfaces: Object.values(profile.kinds).map((kind) => kind.interfaceId),
      },
    ],
    dbPath: path.join(dir, 'sandbox.sqlite'),
  });

  const configFile = path.join(dir, 'owh-sync.yaml');
  fs.writeFileSync(
    configFile,
    [
      'version: 1',
      'enterprise:',
      '  name: 深圳市跨境通供应链有限公司',
      '  uscc: 91440300MA5G8KQ2X5',
      'sources:',
      options.sourceYaml,
      'platform:',
      `  endpoint: ${sandbox.url}`,
      `  senderId: ${SENDER_ID}`,
      `  keyFile: ${keys.privateKeyFile}`,
      '  requestsPerSecond: 0',
      '  retry: { retries: 1, minDelayMs: 10, maxDelayMs: 100 }',
      'state:',
      '  path: state.sqlite',
      'logging:',
      '  file: owh-sync.log',
      '  level: debug',
      'pipelines:',
      options.pipelinesYaml,
      '',
    ].join('\n'),
  );

  const getJson = async <T>(route: string): Promise<T> => {
    const response = await fetch(`${sandbox.url}${route}`);
    if (!response.ok) throw new Error(`GET ${route} returned HTTP ${response.status}`);
    return (await response.json()) as T;
  };

  return {
    dir,
    sandbox,
    configFile,
    async run() {
      const loaded = loadConfig(configFile);
      const logger = createLogger({ file: loaded.resolve(loaded.config.logging.file), level: 'debug' });
      try {
        return await runPipelines(loaded, [], logger);
      } finally {
        await closeLogger(logger);
      }
    },
    stats: () => getJson<SandboxStats>('/_sandbox/stats'),
    records: async (kind) => (await getJson<{ records: AcceptedRecord[] }>(`/_sandbox/records?kind=${encodeURIComponent(kind)}`)).records,
    async close() {
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Returns the accepted record whose body field `field` equals `value`. */
export function bodyOf(records: AcceptedRecord[], field: string, value: string): Record<string, unknown> | undefined {
  const found = records.find((record) => (record.body as Record<string, unknown>)[field] === value);
  return found?.body as Record<string, unknown> | undefined;
}

/** Today's date in Beijing as yyyyMMdd, the day of a daily snapshot. */
export function beijingToday(now = new Date()): string {
  const beijing = new Date(now.getTime() + 8 * 3_600_000);
  return beijing.toISOString().slice(0, 10).replaceAll('-', '');
}

/** Whole days from a Beijing calendar date (yyyy-MM-dd) to today in Beijing. */
export function daysSinceBeijingDate(day: string, now = new Date()): number {
  const today = beijingToday(now);
  const todayMs = Date.UTC(Number(today.slice(0, 4)), Number(today.slice(4, 6)) - 1, Number(today.slice(6, 8)));
  const [year, month, date] = day.split('-').map(Number);
  return Math.round((todayMs - Date.UTC(year!, month! - 1, date!)) / 86_400_000);
}

/** Pipeline, outcome and English error text of each summary, to compare a whole run at once. */
export function outcomesOf(summaries: PipelineSummary[]): Array<{ pipeline: string; outcome: string; error?: string }> {
  return summaries.map((summary) => ({ pipeline: summary.pipeline, outcome: summary.outcome, error: summary.error?.text.en }));
}

/** Expected outcomesOf() result of a run in which every named pipeline finished. */
export function allFinished(pipelines: string[]): Array<{ pipeline: string; outcome: string; error?: string }> {
  return pipelines.map((pipeline) => ({ pipeline, outcome: 'finished', error: undefined }));
}
