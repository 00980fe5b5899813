import type { Command } from 'commander';

import { loadConfig } from '../../config/config-loader.js';
import { bi, render, setLang } from '../../config/i18n.js';
import { closeLogger, createLogger } from '../../pipelines/logger.js';
import { runPipelines } from '../../pipelines/run-plan.js';
import type { GlobalOptions } from '../cli-context.js';
import { exitCodeFor, formatSummaryTable } from '../report-format.js';
import type { RegisterCommand } from './index.js';

/** `owh-sync run [PIPELINE...]`: one incremental sync of the named (or all enabled) pipelines. */
export const registerRunCommand: RegisterCommand = (program, output, setExitCode) => {
  program
    .command('run')
    .description(render(bi('增量同步指定管道（默认全部已启用的管道）', 'run one incremental sync of the named pipelines (all enabled ones by default)')))
    .argument('[pipelines...]', render(bi('管道名', 'pipeline names')))
    .option(
      '--full-refresh',
      render(
        bi(
          '忽略检查点从头读取；与台账相同的记录仍会跳过，因此只发送有变化或以前失败的记录',
          'read from the start instead of the checkpoint; records equal to the ledger are still skipped, so only changed or previously failed ones are sent',
        ),
      ),
    )
    .option(
      '--reconcile-deletes',
      render(
        bi(
          '同步后读取全部源数据主键，为已在 WMS 中物理删除的记录发送删除',
          'after the sync, read every source key and send deletions for records whose rows were deleted in the WMS',
        ),
      ),
    )
    .action(async (names: string[], options: { fullRefresh?: boolean; reconcileDeletes?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = loadConfig(globals.config);
      if (loaded.config.lang && !globals.lang) setLang(loaded.config.lang);

      const logger = createLogger({
        file: loaded.resolve(loaded.config.logging.file),
        level: globals.logLevel ?? loaded.config.logging.level,
        console: !globals.json,
      });

      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);

      try {
        const summaries = await runPipelines(loaded, names, logger, {
          signal: controller.signal,
          fullRefresh: options.fullRefresh,
          reconcileDeletes: options.reconcileDeletes,
        });
        const code = exitCodeFor(summaries);

        if (globals.json) {
          output.out(JSON.stringify({ exitCode: code, pipelines: summaries.map(toJson) }, null, 2));
        } else {
          for (const line of formatSummaryTable(summaries)) output.out(line);
        }
        logger.info(`run command finished with exit code ${code}`, { event: 'command.finish', exitCode: code });
        setExitCode(code);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await closeLogger(logger);
      }
    });
};

function toJson(summary: import('../../pipelines/pipeline-runner.js').PipelineSummary) {
  return {
    pipeline: summary.pipeline,
    kind: summary.kind,
    outcome: summary.outcome,
    counts: summary.counts,
    checkpoint: summary.checkpoint,
    error: summary.error ? { category: summary.error.category, message: summary.error.localized() } : undefined,
  };
}
