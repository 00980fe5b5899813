import { loadConfig } from '../config/config-loader.js';
import { closeLogger, createLogger } from '../pipelines/logger.js';
import type { RunCounts } from '../pipelines/state/state-store.js';
import { runPipelines } from '../pipelines/run-plan.js';
import { startProbe } from './measure.js';

/**
 * Child process of measurements (b), (c) and (d): one `runPipelines` call
 * with the bench config, as `owh-sync run` makes it, logging to a file at
 * the product's default level (info).
 *
 * With `stopAfterSeconds` the run is aborted through its AbortSignal that
 * many seconds after it starts; SIGINT aborts it the same way at any time.
 *
 * Input (argv[2]): { configFile, pipeline, stopAfterSeconds? }
 */

export interface PipelineRunInput {
  configFile: string;
  pipeline: string;
  stopAfterSeconds?: number;
}

export interface PipelineRunDetail {
  outcome: string;
  counts: RunCounts;
  /** Seconds inside runPipelines, without process start and module loading. */
  runSeconds: number;
  error?: string;
}

const probe = startProbe();
const input = JSON.parse(process.argv[2] ?? '{}') as PipelineRunInput;
const loaded = loadConfig(input.configFile);
const logger = createLogger({ file: loaded.resolve(loaded.config.logging.file), level: loaded.config.logging.level });

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const stopTimer =
  input.stopAfterSeconds === undefined ? undefined : setTimeout(() => controller.abort(), input.stopAfterSeconds * 1000);

const started = performance.now();
const [summary] = await runPipelines(loaded, [input.pipeline], logger, { signal: controller.signal });
const runSeconds = (performance.now() - started) / 1000;
if (stopTimer) clearTimeout(stopTimer);
await closeLogger(logger);

probe.finish<PipelineRunDetail>({
  outcome: summary?.outcome ?? 'missing',
  counts: summary!.counts,
  runSeconds,
  // A run stopped on purpose ends as failed, with an error text that names the stop.
  error: summary?.error?.text.en,
});
