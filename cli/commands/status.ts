import type { Command } from 'commander';

import { loadConfig } from '../../config/config-loader.js';
import { bi, render, setLang } from '../../config/i18n.js';
import { openStateStore } from '../../pipelines/run-plan.js';
import type { GlobalOptions } from '../cli-context.js';
import type { RegisterCommand } from './index.js';

/** `owh-sync status`: checkpoint, pending batches, open dead letters and last run per pipeline. */
export const registerStatusCommand: RegisterCommand = (program, output) => {
  program
    .command('status')
    .description(render(bi('查看各管道的检查点、待发批次、死信和最近一次运行', 'show checkpoint, pending batches, dead letters and last run per pipeline')))
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = loadConfig(globals.config);
      if (loaded.config.lang && !globals.lang) setLang(loaded.config.lang);

      const store = await openStateStore(loaded);
      try {
        const rows = [];
        for (const pipeline of Object.keys(loaded.config.pipelines)) {
          const checkpoint = await store.getCheckpoint(pipeline);
          const pending = await store.pendingBatches(pipeline);
          const letters = await store.listDeadLetters({ pipeline, unresolvedOnly: true, limit: 10_000 });
          const [lastRun] = await store.recentRuns(pipeline, 1);
          rows.push({
            pipeline,
            enabled: loaded.config.pipelines[pipeline].enabled,
            checkpoint: checkpoint?.position ? `${checkpoint.position.cursor} #${checkpoint.position.key.join(',')}` : null,
            checkpointUpdatedAt: checkpoint?.updatedAt ?? null,
            pendingBatches: pending.length,
            openDeadLetters: letters.length,
            lastRun: lastRun ?? null,
          });
        }

        if (globals.json) {
          output.out(JSON.stringify(rows, null, 2));
          return;
        }
        for (const row of rows) {
          output.out(`${row.pipeline}${row.enabled ? '' : render(bi('（已停用）', ' (disabled)'))}`);
          // Checkpoint cursors are the source's own values, so naive times are in the source's zone.
          const zone = loaded.config.sources[loaded.config.pipelines[row.pipeline].source].timezone;
          output.out(
            render(
              bi(
                `  检查点：${row.checkpoint ? `${row.checkpoint}（数据源时间，${zone}）` : '（尚无）'}`,
                `  checkpoint: ${row.checkpoint ? `${row.checkpoint} (source time, ${zone})` : '(none yet)'}`,
              ),
            ),
          );
          output.out(render(bi(`  待发批次：${row.pendingBatches}   未处理死信：${row.openDeadLetters}`, `  pending batches: ${row.pendingBatches}   open dead letters: ${row.openDeadLetters}`)));
          if (row.lastRun) {
            const counts = row.lastRun.counts;
            output.out(
              render(
                bi(
                  `  最近运行：${row.lastRun.startedAt} ${outcomeZh(row.lastRun.outcome)}，读取 ${counts?.read ?? 0}，接受 ${counts?.accepted ?? 0}`,
                  `  last run: ${row.lastRun.startedAt} ${row.lastRun.outcome ?? 'running'}, read ${counts?.read ?? 0}, accepted ${counts?.accepted ?? 0}`,
                ),
              ),
            );
          }
        }
      } finally {
        await store.close();
      }
    });
};

function outcomeZh(outcome: string | null): string {
  if (outcome === 'finished') return '完成';
  if (outcome === 'failed') return '失败';
  return outcome ?? '进行中';
}
