import type { Command } from 'commander';

import { loadConfig } from '../../config/config-loader.js';
import { bi, currentLang, render, setLang } from '../../config/i18n.js';
import { buildPayloadValidator } from '../../connectors/platform/payload-validator.js';
import { contentHash } from '../../connectors/platform/canonical-json.js';
import { createSourceReader, type SourceRow } from '../../connectors/sources/index.js';
import { compileMapping, loadMapping } from '../../mappings/index.js';
import { openStateStore, profileFor, selectPipelines } from '../../pipelines/run-plan.js';
import type { GlobalOptions } from '../cli-context.js';
import type { RegisterCommand } from './index.js';

interface PreviewOptions {
  limit: string;
  fromStart?: boolean;
}

interface PreviewItem {
  key: string;
  status: 'new' | 'changed' | 'unchanged' | 'delete' | 'invalid';
  body?: Record<string, unknown>;
  problems?: Array<{ path: string; value: unknown; code: string; message: string }>;
}

/**
 * `owh-sync preview PIPELINE`: the next rows a run would read, mapped and
 * validated, with what the run would do to each. Nothing is sent and
 * nothing is written.
 */
export const registerPreviewCommand: RegisterCommand = (program, output) => {
  program
    .command('preview')
    .description(render(bi('预览下一次运行将读取的记录（映射与校验结果），不发送、不写入', 'preview the records the next run would read, mapped and validated; sends and writes nothing')))
    .argument('<pipeline>', render(bi('管道名', 'pipeline name')))
    .option('--limit <n>', render(bi('最多行数', 'maximum rows')), '5')
    .option('--from-start', render(bi('从头读取，忽略检查点', 'read from the start, ignoring the checkpoint')))
    .action(async (pipeline: string, options: PreviewOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = loadConfig(globals.config);
      if (loaded.config.lang && !globals.lang) setLang(loaded.config.lang);
      selectPipelines(loaded, [pipeline]);

      const entry = loaded.config.pipelines[pipeline];
      const sourceEntry = loaded.config.sources[entry.source];
      const profile = profileFor(loaded);
      const validator = buildPayloadValidator(profile);
      const file = loadMapping(loaded.resolve(entry.mapping));
      const mapping = compileMapping(file, {
        sourceZone: sourceEntry.timezone,
        targetZone: profile.envelope.timestamp.zone,
        pipeline,
        recordKey: profile.kinds[file.kind]?.recordKey,
      });

      const store = await openStateStore(loaded);
      const connection =
        typeof sourceEntry.connection !== 'string' && typeof sourceEntry.connection.filename === 'string'
          ? { ...sourceEntry.connection, filename: loaded.resolve(sourceEntry.connection.filename) }
          : sourceEntry.connection;
      const reader = createSourceReader({ id: entry.source, ...sourceEntry, connection });

      try {
        const checkpoint = options.fromStart ? null : await store.getCheckpoint(pipeline);
        const limit = Math.max(1, Number(options.limit) || 5);
        const spec = { ...mapping.source, pageSize: limit, commitLagSeconds: entry.commitLagSeconds };
        const snapshot = await reader.snapshot();
        const items: PreviewItem[] = [];

        try {
          const upper = await snapshot.upperBound(spec);
          const pages = upper === null ? undefined : snapshot.readPages(spec, { from: checkpoint?.position ?? null, upper });
          const first = pages ? await pages.next() : undefined;
          await pages?.return(undefined);
          const rows: SourceRow[] = first && !first.done ? first.value.rows : [];

          const children: Array<Record<string, SourceRow[]>> = rows.map(() => ({}));
          for (const child of mapping.children) {
            const parentValues = rows.map((row) => String(row[child.parentColumn] ?? ''));
            const grouped = await snapshot.fetchChildren({ ...child, cursor: child.changeCursor }, [...new Set(parentValues)]);
            parentValues.forEach((value, index) => (children[index][child.field] = grouped.get(value) ?? []));
          }

          for (let index = 0; index < rows.length; index++) {
            items.push(await previewRow(mapping.map(rows[index], children[index]), file.kind, validator, store));
          }
        } finally {
          await snapshot.release();
        }

        if (globals.json) {
          output.out(JSON.stringify(items, null, 2));
          return;
        }
        if (items.length === 0) output.out(render(bi('检查点之后没有可读取的行。', 'no rows to read after the checkpoint.')));
        for (const item of items) {
          output.out(`${item.key}  [${render(STATUS_TEXT[item.status])}]`);
          if (item.body) output.out(JSON.stringify(item.body, null, 2).replace(/^/gm, '    '));
          for (const problem of item.problems ?? []) output.out(`    ✗ ${problem.path} = ${JSON.stringify(problem.value)}: ${problem.message}`);
        }
      } finally {
        await reader.close();
        await store.close();
      }
    });
};

const STATUS_TEXT = {
  new: bi('新增', 'new'),
  changed: bi('已变更', 'changed'),
  unchanged: bi('未变，跳过', 'unchanged, skipped'),
  delete: bi('删除', 'delete'),
  invalid: bi('无效，将进入死信', 'invalid, would be dead-lettered'),
};

async function previewRow(
  result: ReturnType<ReturnType<typeof compileMapping>['map']>,
  kind: string,
  validator: ReturnType<typeof buildPayloadValidator>,
  store: Awaited<ReturnType<typeof openStateStore>>,
): Promise<PreviewItem> {
  const lang = currentLang();
  if (!result.ok) {
    return {
      key: result.key,
      status: 'invalid',
      problems: result.problems.map((p) => ({ path: p.path, value: p.value, code: p.code, message: p.message[lang] })),
    };
  }

  const problems = result.op === 'upsert' ? validator.validateRecord(kind, result.body) : [];
  if (problems.length > 0) {
    return {
      key: result.key,
      status: 'invalid',
      body: result.body,
      problems: problems.map((p) => ({ path: p.path, value: p.value, code: p.code, message: p.message[lang] })),
    };
  }

  const previous = (await store.ledgerHashes(kind, [result.key])).get(result.key);
  if (result.op === 'delete') return { key: result.key, status: previous ? 'delete' : 'unchanged', body: result.body };
  const status = previous === undefined ? 'new' : previous === contentHash(result.body) ? 'unchanged' : 'changed';
  return { key: result.key, status, body: result.body };
}
