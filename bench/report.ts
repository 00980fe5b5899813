import fs from 'node:fs';
import path from 'node:path';

import type { DbResult, Measurement, Target } from './bench-results.js';

/**
 * Formats bench results as a console table and as the generated part of
 * docs/benchmarks.md and docs/benchmarks.zh-CN.md. The generated part sits
 * between two marker comments; text outside them (the analysis) is kept.
 */

const START_MARKER = '<!-- bench:generated:start -->';
const END_MARKER = '<!-- bench:generated:end -->';

type Language = 'en' | 'zh';

const DB_NAMES: Record<DbResult['db'], string> = { mariadb: 'MariaDB', postgres: 'PostgreSQL' };

const HEADERS: Record<Language, string[]> = {
  en: ['measurement', 'rows', 'seconds', 'rows/s', '× plain read', 'peak RSS MB', 'peak heap MB', 'CPU s', 'sandbox CPU s'],
  zh: ['测量项', '行数', '秒', '行/秒', '与直接读取之比', '峰值 RSS MB', '峰值堆 MB', 'CPU 秒', '沙箱 CPU 秒'],
};

const LABELS_ZH: Record<Measurement['name'], string> = {
  plain: '驱动直接读取',
  full: '管道首次运行',
  unchanged: '管道再次运行（数据未变）',
  rate: '管道限速发送',
};

const TARGET_NAMES_ZH: Record<string, string> = {
  'full pipeline, first run': '管道首次运行',
  'second run, unchanged rows': '再次运行（数据未变）',
  'rate-limited sending': '限速发送',
  'pipeline peak RSS': '管道峰值 RSS',
  'peak RSS at 5 M vs 1 M rows': '500 万行与 100 万行的峰值 RSS',
};

function ratio(measurement: Measurement, plain: Measurement | undefined): string {
  if (!plain || plain.rowsPerSecond === 0 || measurement.name === 'plain') return measurement.name === 'plain' ? '1.000' : '-';
  return (measurement.rowsPerSecond / plain.rowsPerSecond).toFixed(3);
}

function rowsOf(result: DbResult, language: Language): string[][] {
  const plain = result.measurements.find((item) => item.name === 'plain');
  return result.measurements.map((item) => [
    language === 'en' ? item.label : LABELS_ZH[item.name],
    String(item.rows),
    item.seconds.toFixed(2),
    String(item.rowsPerSecond),
    ratio(item, plain),
    item.peakRssMb.toFixed(1),
    item.peakHeapMb.toFixed(1),
    item.cpuSeconds.toFixed(1),
    item.sandboxCpuSeconds === undefined ? '-' : item.sandboxCpuSeconds.toFixed(1),
  ]);
}

function verdict(target: Target, language: Language): string {
  if (target.pass === null) return language === 'en' ? 'n/a' : '不适用';
  return target.pass ? 'PASS' : 'MISS';
}

/** Formats one result as a plain-text table with its targets, for the terminal. */
export function formatConsoleReport(result: DbResult): string {
  const table = [HEADERS.en, ...rowsOf(result, 'en')];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));

  const out = [`\n${DB_NAMES[result.db]} (${result.serverVersion}), ${result.rows} rows, ${result.maxBatchesInFlight ?? 1} batches in flight`, ...lines.map((line) => `  ${line}`)];
  if (result.rate) {
    out.push(
      `  rate: ${result.rate.requests} requests admitted in ${result.rate.windowSeconds} s = ${result.rate.achievedPerSecond} requests/s of ${result.rate.allowedPerSecond} allowed, ${result.rate.tooManyRequests} × 429`,
    );
  }
  out.push('  targets:');
  for (const target of result.targets) {
    out.push(`    ${verdict(target, 'en').padEnd(4)}  ${target.name}: ${target.measured}  (target ${target.expected})`);
  }
  return out.join('\n');
}

function markdownTable(header: string[], rows: string[][]): string {
  const align = header.map((_, column) => (column === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

function machineSection(result: DbResult, language: Language): string {
  const m = result.machine;
  return language === 'en'
    ? `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, ${result.serverVersion}. ` +
        `Load average at start: ${m.loadAverage.join(', ')}. Commit ${m.commit}, started ${result.startedAt}.`
    : `机器：${m.cpus} 核（${m.cpuModel}），内存 ${m.memoryGb} GB，${m.os}，Node ${m.node}，${result.serverVersion}。` +
        `开始时负载：${m.loadAverage.join(', ')}。提交 ${m.commit}，开始于 ${result.startedAt}。`;
}

function resultSection(result: DbResult, language: Language): string {
  const inFlight = result.maxBatchesInFlight ?? 1;
  let inFlightText = '';
  if (inFlight !== 1) inFlightText = language === 'en' ? `, ${inFlight} batches in flight` : `，${inFlight} 个批次在途`;
  const title = `### ${DB_NAMES[result.db]}, ${result.rows.toLocaleString('en-US')} ${language === 'en' ? 'rows' : '行'}${inFlightText}`;
  const parts = [title, '', machineSection(result, language), '', `\`${result.command}\``, '', markdownTable(HEADERS[language], rowsOf(result, language))];

  if (result.rate) {
    const r = result.rate;
    parts.push(
      '',
      language === 'en'
        ? `Rate-limited sending: ${r.requests} requests admitted over ${r.windowSeconds} s, ${r.achievedPerSecond} requests/s of ${r.allowedPerSecond} allowed (${r.percentOfAllowed}%), ${r.tooManyRequests} answered 429.`
        : `限速发送：${r.windowSeconds} 秒内沙箱接收 ${r.requests} 个请求，每秒 ${r.achievedPerSecond} 个，允许 ${r.allowedPerSecond} 个（${r.percentOfAllowed}%），429 应答 ${r.tooManyRequests} 次。`,
    );
  }

  for (const note of result.notes ?? []) parts.push('', `> ${note[language === 'en' ? 'en' : 'zh']}`);

  const targetHeader = language === 'en' ? ['target', 'expected', 'measured', 'result'] : ['目标', '要求', '实测', '结果'];
  const targetRows = result.targets.map((target) => [
    language === 'en' ? target.name : (TARGET_NAMES_ZH[target.name] ?? target.name),
    target.expected,
    target.measured,
    verdict(target, language),
  ]);
  parts.push('', markdownTable(targetHeader, targetRows));

  const profile = result.cpuProfile?.pipeline;
  if (profile) {
    parts.push(
      '',
      language === 'en'
        ? `CPU profile of the first run's process (${profile.totalMs} ms sampled), self time by area:`
        : `首次运行进程的 CPU 剖析（采样 ${profile.totalMs} 毫秒），按代码区域统计的自身耗时：`,
      '',
      markdownTable(language === 'en' ? ['area', 'ms', '%'] : ['区域', '毫秒', '%'], profile.byArea.map((line) => [line.name, String(line.ms), line.percent.toFixed(1)])),
    );
  }
  return parts.join('\n');
}

const INTRO: Record<Language, string> = {
  en: `Each measurement runs in a child process of its own; the child samples \`process.memoryUsage()\` every 100 ms and reports the peak RSS and heap. Node runs with its default heap limit. The sandbox runs in a separate process on the same machine, so it competes with the pipeline for the CPU cores.

- **plain driver read**: the pipeline's query (\`SELECT *, updated_at … ORDER BY updated_at, id\`) read by the driver alone: mysql2 \`query().stream()\` (MariaDB 10.11 runs it as a full scan plus filesort), pg \`DECLARE … CURSOR\` with \`FETCH 10000\` in a read-only transaction. Rows are counted and dropped.
- **pipeline, first run**: \`runPipelines\` with an empty state store and sandbox ledger, no client rate limit, 100 records per message (the profile's maximum). Rows are read in keyset pages of 1000 (the source default), mapped by \`bench/bench-goods.yaml\`, validated, hashed, batched, signed with SM2, sent over HTTP, acknowledged and committed. One batch is in flight at a time (the default \`maxBatchesInFlight: 1\`) unless the heading names more.
- **pipeline, unchanged rows**: the checkpoint row is deleted and the ledger kept, so every row is read, mapped and hashed again and then skipped (only changed records are validated); nothing is sent.
- **pipeline, rate-limited**: a fresh state store, the sandbox started with \`--rate-limit\` and a profile whose \`limits.requestsPerSecond\` is the bench's \`--rate\` (20), the same rate as a client profile override. The run is aborted after \`--rate-seconds\`; the rate counts the requests the sandbox admitted from the first to the last.

rows/s of a pipeline run is rows read divided by the time inside \`runPipelines\`.`,
  zh: `每项测量在独立的子进程中运行；子进程每 100 毫秒采样一次 \`process.memoryUsage()\`，报告 RSS 和堆的峰值。Node 使用默认堆上限。沙箱在同一台机器的另一个进程中运行，与管道争用 CPU。

- **驱动直接读取**：用驱动单独执行管道的查询（\`SELECT *, updated_at … ORDER BY updated_at, id\`）：mysql2 用 \`query().stream()\`，pg 在只读事务中用 \`DECLARE … CURSOR\` 加 \`FETCH 10000\`。MariaDB 10.11 对该查询执行全表扫描加文件排序。只计数，不保留行。
- **管道首次运行**：状态库和沙箱账本均为空，客户端不限速，每条报文 100 条记录（配置档上限）。按键集分页读取（每页 1000 行，数据源默认值），经 \`bench/bench-goods.yaml\` 映射、校验、计算哈希、分批、SM2 签名、HTTP 发送、确认并提交。除非标题注明，每次只有一个批次在途（默认 \`maxBatchesInFlight: 1\`）。
- **管道再次运行（数据未变）**：删除检查点行而保留账本，因此每行都重新读取、映射并计算哈希，随后因未变而跳过（只校验有变化的记录），不发送任何报文。
- **管道限速发送**：全新状态库；沙箱以 \`--rate-limit\` 启动，其配置档的 \`limits.requestsPerSecond\` 为基准的 \`--rate\`（20），客户端用配置档覆盖设为同一速率。运行 \`--rate-seconds\` 秒后中止；速率按沙箱接收的第一个到最后一个请求计算。

管道的行/秒 = 读取行数 ÷ \`runPipelines\` 内的耗时。`,
};

const SKELETON: Record<Language, (block: string) => string> = {
  en: (block) => `# Benchmarks

Throughput and memory of owh-sync against MariaDB and PostgreSQL, measured with \`npm run bench\` (\`bench/run-bench.ts\`). The section between the markers is written by the bench; the analysis after it is written by hand.

${block}

## Analysis
`,
  zh: (block) => `# 基准测试

owh-sync 对 MariaDB 与 PostgreSQL 的吞吐量和内存，用 \`npm run bench\`（\`bench/run-bench.ts\`）测得。标记之间的部分由基准程序生成；其后的分析为人工撰写。

${block}

## 分析
`,
};

function generatedBlock(results: DbResult[], language: Language): string {
  const heading = language === 'en' ? '## Results' : '## 结果';
  const sections = results.length > 0 ? results.map((result) => resultSection(result, language)) : [language === 'en' ? 'No results yet.' : '暂无结果。'];
  return [START_MARKER, heading, '', INTRO[language], '', ...sections.flatMap((section) => [section, '']), END_MARKER].join('\n');
}

function writeOne(file: string, block: string, language: Language): void {
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const start = text.indexOf(START_MARKER);
    const end = text.indexOf(END_MARKER);
    if (start >= 0 && end > start) {
      fs.writeFileSync(file, text.slice(0, start) + block + text.slice(end + END_MARKER.length));
      return;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, SKELETON[language](block));
}

/** Writes or updates benchmarks.md and benchmarks.zh-CN.md in `dir`; returns their paths. */
export function writeMarkdownReports(dir: string, results: DbResult[]): string[] {
  const english = path.join(dir, 'benchmarks.md');
  const chinese = path.join(dir, 'benchmarks.zh-CN.md');
  writeOne(english, generatedBlock(results, 'en'), 'en');
  writeOne(chinese, generatedBlock(results, 'zh'), 'zh');
  return [english, chinese];
}
