import { EXIT_CODES } from '../config/errors.js';
import { bi, render } from '../config/i18n.js';
import type { PipelineSummary } from '../pipelines/pipeline-runner.js';

const COLUMNS = [
  { key: 'pipeline', title: bi('管道', 'pipeline') },
  { key: 'kind', title: bi('类型', 'kind') },
  { key: 'read', title: bi('读取', 'read') },
  { key: 'built', title: bi('生成', 'built') },
  { key: 'unchanged', title: bi('未变', 'unchanged') },
  { key: 'sent', title: bi('发送', 'sent') },
  { key: 'accepted', title: bi('接受', 'accepted') },
  { key: 'rejected', title: bi('拒绝', 'rejected') },
  { key: 'deleted', title: bi('删除', 'deleted') },
  { key: 'deadLettered', title: bi('死信', 'dead') },
  { key: 'outcome', title: bi('结果', 'outcome') },
  { key: 'checkpoint', title: bi('检查点', 'checkpoint') },
] as const;

/** Renders run summaries as an aligned table in the active language. */
export function formatSummaryTable(summaries: PipelineSummary[]): string[] {
  const rows = summaries.map((s) => ({
    pipeline: s.pipeline,
    kind: s.kind,
    ...Object.fromEntries(Object.entries(s.counts).map(([k, v]) => [k, String(v)])),
    outcome: render(s.outcome === 'finished' ? bi('完成', 'finished') : bi('失败', 'failed')),
    checkpoint: s.checkpoint ?? '-',
  })) as Array<Record<string, string>>;

  const header = COLUMNS.map((c) => render(c.title));
  const widths = COLUMNS.map((c, i) => Math.max(displayWidth(header[i]), ...rows.map((r) => displayWidth(r[c.key] ?? ''))));
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, widths[i])).join('  ').trimEnd();

  const lines = [line(header), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of rows) lines.push(line(COLUMNS.map((c) => row[c.key] ?? '')));

  for (const summary of summaries) {
    if (summary.error) lines.push('', `${summary.pipeline}: ${summary.error.localized()}`);
  }
  return lines;
}

/**
 * Returns the exit code of a run. It is 0 only when every pipeline finished
 * with nothing rejected. A failed pipeline gives its category's code, and
 * rejected or dead-lettered records give the records-rejected code.
 */
export function exitCodeFor(summaries: PipelineSummary[]): number {
  const failed = summaries.find((s) => s.outcome === 'failed');
  if (failed) return EXIT_CODES[failed.error?.category ?? 'internal'];

  const rejected = summaries.some((s) => s.counts.rejected > 0 || s.counts.deadLettered > 0);
  return rejected ? EXIT_CODES['records-rejected'] : 0;
}

/** Terminal width of a string: CJK and other wide characters take two columns. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    width += code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || code >= 0x1f300) ? 2 : 1;
  }
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
