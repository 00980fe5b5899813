import type { Command } from 'commander';

import { loadConfig } from '../../config/config-loader.js';
import { bi, currentLang, render, setLang } from '../../config/i18n.js';
import { openStateStore } from '../../pipelines/run-plan.js';
import type { GlobalOptions } from '../cli-context.js';
import type { RegisterCommand } from './index.js';

interface ListOptions {
  pipeline?: string;
  all?: boolean;
  limit: string;
}

interface ProblemLike {
  path?: string;
  value?: unknown;
  code?: string;
  field?: string;
  message?: string | { 'zh-CN'?: string; en?: string };
}

/** `owh-sync dead-letters list|resolve`: what was quarantined, and why. */
export const registerDeadLettersCommand: RegisterCommand = (program, output) => {
  const group = program
    .command('dead-letters')
    .description(render(bi('查看或标记已处理的死信记录', 'list dead-lettered records or mark them resolved')));

  group
    .command('list')
    .description(render(bi('列出死信：管道、记录键、字段、值和原因', 'list dead letters: pipeline, record key, field, value and reason')))
    .option('--pipeline <name>', render(bi('只看某个管道', 'only this pipeline')))
    .option('--all', render(bi('包含已处理的', 'include resolved ones')))
    .option('--limit <n>', render(bi('最多条数', 'maximum rows')), '50')
    .action(async (options: ListOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = loadConfig(globals.config);
      if (loaded.config.lang && !globals.lang) setLang(loaded.config.lang);

      const store = await openStateStore(loaded);
      try {
        const letters = await store.listDeadLetters({ pipeline: options.pipeline, unresolvedOnly: !options.all, limit: Number(options.limit) });
        if (globals.json) {
          output.out(JSON.stringify(letters, null, 2));
          return;
        }
        if (letters.length === 0) output.out(render(bi('没有死信。', 'no dead letters.')));

        for (const letter of letters) {
          output.out(`#${letter.id} ${letter.pipeline} ${letter.kind} ${letter.recordKey} [${letter.stage}] ${letter.createdAt}${letter.resolvedAt ? ' ✓' : ''}`);
          const problems: ProblemLike[] = Array.isArray(letter.detail) ? letter.detail : [letter.detail as ProblemLike];
          for (const problem of problems) output.out(`    ${describeProblem(problem)}`);
        }
      } finally {
        await store.close();
      }
    });

  group
    .command('resolve')
    .description(render(bi('把死信标记为已处理（修正数据后，源行更新时会重新发送）', 'mark dead letters resolved (after a fix, the source row is sent again when it changes)')))
    .argument('<ids...>', render(bi('死信编号', 'dead letter ids')))
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = loadConfig(globals.config);
      const store = await openStateStore(loaded);
      try {
        await store.resolveDeadLetters(ids.map(Number));
        output.out(render(bi(`已标记 ${ids.length} 条为已处理。`, `marked ${ids.length} as resolved.`)));
      } finally {
        await store.close();
      }
    });
};

function describeProblem(problem: ProblemLike): string {
  const message =
    typeof problem.message === 'string' ? problem.message : (problem.message?.[currentLang()] ?? problem.message?.en ?? '');
  const field = problem.path ?? problem.field ?? '';
  const value = problem.value === undefined ? '' : ` = ${JSON.stringify(problem.value)}`;
  return `${field}${value} ${problem.code ?? ''}: ${message}`.trim();
}
