import { randomUUID } from 'node:crypto';

import type { LoadedConfig } from '../config/config-loader.js';
import { OwhError } from '../config/errors.js';
import { bi } from '../config/i18n.js';
import { createSigner, loadPrivateKey } from '../connectors/platform/index.js';
import { PlatformClient } from '../connectors/platform/platform-client.js';
import { buildPayloadValidator } from '../connectors/platform/payload-validator.js';
import { loadProfile } from '../connectors/platform/profile-loader.js';
import type { Profile } from '../connectors/platform/profile-schema.js';
import { createSourceReader, type SourceReader } from '../connectors/sources/index.js';
import { compileMapping, loadMapping, type CompiledMapping, type MappingFile } from '../mappings/index.js';
import type { Logger } from './logger.js';
import { PipelineRunner, type PipelineSummary } from './pipeline-runner.js';
import { PostgresStateStore } from './state/postgres-state-store.js';
import { SqliteStateStore } from './state/sqlite-state-store.js';
import type { StateStore } from './state/state-store.js';

/** The parts of a run shared by all its pipelines. */
export interface RunPlan {
  runId: string;
  profile: Profile;
  store: StateStore;
  pipelines: string[];
  close(): Promise<void>;
}

/** Loads the profile the config selects, with its overrides applied. */
export function profileFor(loaded: LoadedConfig): Profile {
  const { platform } = loaded.config;
  return loadProfile({
    file: platform.profile ? loaded.resolve(platform.profile) : undefined,
    overrides: platform.profileOverrides,
  });
}

/** Opens the state store the config names and brings its schema up to date. */
export async function openStateStore(loaded: LoadedConfig): Promise<StateStore> {
  const { state } = loaded.config;
  // The config schema already rejects postgres without a connection.
  const store: StateStore =
    state.driver === 'postgres' && state.connection !== undefined
      ? new PostgresStateStore({ connection: state.connection, schema: state.schema })
      : new SqliteStateStore(loaded.resolve(state.path));

  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * Rejects a mapping that fills fields the profile's kind does not have: a
 * typo there would otherwise dead-letter every record instead of stopping
 * the run with a config error.
 */
export function checkMappingTargets(file: MappingFile, profile: Profile, pipeline: string): void {
  const kind = profile.kinds[file.kind];
  if (!kind) {
    throw new OwhError(
      'config',
      bi(
        `管道 ${pipeline} 的映射声明了 kind "${file.kind}"，平台配置档中没有；可用：${Object.keys(profile.kinds).join(', ')}。`,
        `pipeline ${pipeline}: the mapping's kind "${file.kind}" is not in the platform profile; available: ${Object.keys(profile.kinds).join(', ')}.`,
      ),
    );
  }

  const targets = [...Object.keys(file.fields), ...Object.keys(file.children ?? {})];
  const unknown = targets.filter((field) => !(field in kind.fields));
  if (unknown.length > 0) {
    throw new OwhError(
      'config',
      bi(
        `管道 ${pipeline} 的映射填写了平台配置档 ${file.kind} 中没有的字段：${unknown.join(', ')}。请检查拼写，或先在配置档中添加这些字段。`,
        `pipeline ${pipeline}: the mapping fills fields that the profile's ${file.kind} does not have: ${unknown.join(', ')}. Check the spelling, or add the fields to the profile first.`,
      ),
    );
  }
}

/** Picks the pipelines to run: the named ones, or every enabled one. */
export function selectPipelines(loaded: LoadedConfig, names: string[]): string[] {
  const all = Object.keys(loaded.config.pipelines);
  if (names.length === 0) return all.filter((name) => loaded.config.pipelines[name].enabled);

  for (const name of names) {
    if (!loaded.config.pipelines[name]) {
      throw new OwhError(
        'config',
        bi(
          `配置中没有名为 ${name} 的管道；已定义：${all.join(', ')}。`,
          `no pipeline named ${name} in the config; defined pipelines: ${all.join(', ')}.`,
        ),
      );
    }
  }
  return names;
}

/**
 * Runs the selected pipelines one after another. A pipeline that fails does
 * not stop the others: each has its own checkpoint and outbox.
 */
export async function runPipelines(
  loaded: LoadedConfig,
  names: string[],
  logger: Logger,
  options: {
    signal?: AbortSignal;
    fullRefresh?: boolean;
    reconcileDeletes?: boolean;
    onPipelineDone?: (summary: PipelineSummary) => void;
  } = {},
): Promise<PipelineSummary[]> {
  const { config } = loaded;
  const selected = selectPipelines(loaded, names);
  const runId = randomUUID();
  const profile = profileFor(loaded);
  const validator = buildPayloadValidator(profile);
  const signer = createSigner(profile.sign, loadPrivateKey(loaded.resolve(config.platform.keyFile), profile.sign.algorithm));
  const store = await openStateStore(loaded);
  const readers = new Map<string, SourceReader>();
  const summaries: PipelineSummary[] = [];

  const client = new PlatformClient({
    profile,
    endpoint: config.platform.endpoint,
    senderId: config.platform.senderId,
    signer,
    keyId: config.platform.keyId,
    timeoutMs: config.platform.timeoutMs,
    requestsPerSecond: config.platform.requestsPerSecond,
    retry: config.platform.retry,
    logger: logger.child({ runId }),
  });

  try {
    for (const name of selected) {
      const entry = config.pipelines[name];
      const sourceEntry = config.sources[entry.source];
      const pipelineLogger = logger.child({ runId, pipeline: name });

      let mapping: CompiledMapping;
      try {
        const file = loadMapping(loaded.resolve(entry.mapping));
        checkMappingTargets(file, profile, name);
        mapping = compileMapping(file, {
          sourceZone: sourceEntry.timezone,
          targetZone: profile.envelope.timestamp.zone,
          pipeline: name,
          recordKey: profile.kinds[file.kind]?.recordKey,
        });
      } catch (error) {
        summaries.push(failedSummary(name, error));
        options.onPipelineDone?.(summaries[summaries.length - 1]);
        continue;
      }

      let reader = readers.get(entry.source);
      if (!reader) {
        reader = createSourceReader({ id: entry.source, ...sourceEntry, connection: resolveConnection(loaded, sourceEntry.connection) });
        readers.set(entry.source, reader);
      }

      const runner = new PipelineRunner({
        pipeline: name,
        runId,
        profile,
        enterprise: config.enterprise,
        mapping,
        validator,
        reader,
        client,
        store,
        logger: pipelineLogger,
        pageSize: entry.pageSize ?? sourceEntry.pageSize,
        batchSize: entry.batchSize ?? profile.limits.maxRecords,
        maxBatchesInFlight: entry.maxBatchesInFlight,
        commitLagSeconds: entry.commitLagSeconds,
        thresholds: entry.deadLetters,
        fullRefresh: options.fullRefresh,
        reconcileDeletes: options.reconcileDeletes ?? entry.reconcileDeletes,
        reconcileMaxDeleteShare: entry.reconcileMaxDeleteShare,
        signal: options.signal,
      });
      const summary = await runner.run();
      summaries.push(summary);
      options.onPipelineDone?.(summary);
    }
  } finally {
    for (const reader of readers.values()) await reader.close().catch(() => undefined);
    await store.close();
  }
  return summaries;
}

/** SQLite file names in the config are relative to the config file, like every other path. */
function resolveConnection(loaded: LoadedConfig, connection: string | Record<string, unknown>): string | Record<string, unknown> {
  if (typeof connection === 'string' || typeof connection.filename !== 'string') return connection;
  return { ...connection, filename: loaded.resolve(connection.filename) };
}

function failedSummary(pipeline: string, error: unknown): PipelineSummary {
  const owhError =
    error instanceof OwhError
      ? error
      : new OwhError('internal', bi(`管道 ${pipeline}：${String(error)}`, `pipeline ${pipeline}: ${String(error)}`), { cause: error });
  return {
    pipeline,
    kind: '-',
    outcome: 'failed',
    counts: { read: 0, built: 0, unchanged: 0, sent: 0, accepted: 0, rejected: 0, deadLettered: 0, deleted: 0 },
    checkpoint: null,
    error: owhError,
  };
}
