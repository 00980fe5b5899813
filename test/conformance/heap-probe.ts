import { createSourceReader, type ReadSpec, type SourceConfig } from '../../connectors/sources/index.js';

/**
 * Child process of the memory test, started with --expose-gc. It reads a
 * table page by page and collects garbage every tenth page, because doing it
 * every page doubles the run time. It prints the greatest heap in use after
 * those collections, so the parent can compare tables of different sizes.
 *
 * Input (argv[2]): { config, spec }
 */

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('heap-probe needs node --expose-gc');

const input = JSON.parse(process.argv[2] ?? '{}') as { config: SourceConfig; spec: ReadSpec };
const reader = createSourceReader(input.config);
let rows = 0;
let pages = 0;
let peakHeap = 0;

try {
  gc();
  for await (const page of reader.readPages(input.spec, { from: null })) {
    rows += page.rows.length;
    pages += 1;
    if (pages % 10 !== 0) continue;

    // Measure what stays reachable while a page is held, as a slow consumer would hold it.
    gc();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
} finally {
  await reader.close();
}

process.stdout.write(`${JSON.stringify({ rows, peakHeap })}\n`);
