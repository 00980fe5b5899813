import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

import { loadConfig, type LoadedConfig } from '../../config/config-loader.js';
import { DEMO_ENTERPRISE } from '../../config/defaults/demo-config.js';
import { writeKeyPairFiles } from '../../connectors/platform/key-generation.js';
import { loadProfile } from '../../connectors/platform/profile-loader.js';
import { startSandbox, type SandboxEvent, type SandboxHandle } from '../../connectors/platform/sandbox/index.js';
import { createLogger, type Logger } from '../../pipelines/logger.js';
import { runPipelines } from '../../pipelines/run-plan.js';
import type { PipelineSummary } from '../../pipelines/pipeline-runner.js';

/**
 * A sync set-up for one test file: a temp folder, a SQLite WMS the test
 * fills, an SM2 key pair, the sandbox on a free loopback port and a config
 * that ties them together. Nothing is mocked: the pipeline talks HTTP to the
 * sandbox and reads the WMS through the real reader.
 */
export interface SyncHarness {
  dir: string;
  wmsFile: string;
  configFile: string;
  sandbox: SandboxHandle;
  /** Every request the sandbox saw, in order, with the time it arrived. */
  requests: Array<Extract<SandboxEvent, { event: 'sandbox.request' }> & { at: number }>;
  run(pipelines?: string[], options?: { fullRefresh?: boolean; reconcileDeletes?: boolean }): Promise<PipelineSummary[]>;
  loaded(): LoadedConfig;
  close(): Promise<void>;
}

export const HARNESS_SENDER = 'TEST-SENDER-01';

export interface HarnessOptions {
  /** Pipelines: name to mapping file path. */
  pipelines: Record<string, string>;
  /** Extra `platform` keys (retry settings, overrides). */
  platform?: Record<string, unknown>;
  /** Extra keys per pipeline. */
  pipelineSettings?: Record<string, unknown>;
  /** The `state` section, or a SQLite file in the temp folder when absent. */
  state?: Record<string, unknown>;
  wmsFile: string;
}

export async function startHarness(options: HarnessOptions): Promise<SyncHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-sync-test-'));
  const keys = writeKeyPairFiles(path.join(dir, 'keys'), 'SM2', true);
  const profile = loadProfile();
  const requests: SyncHarness['requests'] = [];

  const sandbox = await startSandbox({
    profile,
    port: 0,
    senders: [
      {
        senderId: HARNESS_SENDER,
        publicKey: keys.publicKeyFile,
        algorithm: 'SM2',
        interfaces: Object.values(profile.kinds).map((kind) => kind.interfaceId),
      },
    ],
    logger: (event) => {
      if (event.event === 'sandbox.request') requests.push({ ...event, at: Date.now() });
    },
  });

  const configFile = path.join(dir, 'owh-sync.yaml');
  const config = {
    version: 1,
    enterprise: DEMO_ENTERPRISE,
    sources: { wms: { client: 'better-sqlite3', connection: { filename: options.wmsFile }, timezone: 'Asia/Shanghai' } },
    platform: {
      endpoint: sandbox.url,
      senderId: HARNESS_SENDER,
      keyFile: keys.privateKeyFile,
      requestsPerSecond: 0,
      timeoutMs: 2000,
      retry: { retries: 4, minDelayMs: 50, maxDelayMs: 400, maxWaitMs: 10_000 },
      ...options.platform,
    },
    state: options.state ?? { path: path.join(dir, 'state.sqlite') },
    logging: { file: path.join(dir, 'owh-sync.log'), level: 'debug' },
    pipelines: Object.fromEntries(
      Object.entries(options.pipelines).map(([name, mapping]) => [
        name,
        { source: 'wms', mapping, commitLagSeconds: 0, ...options.pipelineSettings },
      ]),
    ),
  };
  fs.writeFileSync(configFile, stringify(config));

  let logger: Logger | undefined;
  return {
    dir,
    wmsFile: options.wmsFile,
    configFile,
    sandbox,
    requests,
    loaded: () => loadConfig(configFile),
    async run(names = [], runOptions = {}) {
      const loaded = loadConfig(configFile);
      logger ??= createLogger({ file: loaded.resolve(loaded.config.logging.file), level: 'debug' });
      return runPipelines(loaded, names, logger, runOptions);
    },
    async close() {
      logger?.end();
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
