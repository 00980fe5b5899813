import { createSourceReader, naiveToInstant, type ReadSpec, type SourceConfig } from '../../connectors/sources/index.js';

/**
 * Child process of the host-zone tests: reads each requested table with the
 * host TZ the parent set (TZ is read once, at process start) and prints the
 * rows, and the instants naiveToInstant gives, as one JSON line.
 *
 * Input (argv[2]): { reads: [{ config, spec, instants?: { column, zones } }] }
 */

interface ProbeRead {
  config: SourceConfig;
  spec: ReadSpec;
  instants?: { column: string; zones: string[] };
}

const input = JSON.parse(process.argv[2] ?? '{}') as { reads: ProbeRead[] };
const results: unknown[] = [];

for (const read of input.reads) {
  const reader = createSourceReader(read.config);
  try {
    const rows: unknown[] = [];
    const instants: Record<string, string[]> = {};

    for await (const page of reader.readPages(read.spec, { from: null })) {
      rows.push(...page.rows);

      for (const zone of read.instants?.zones ?? []) {
        instants[zone] ??= [];
        for (const row of page.rows) instants[zone].push(naiveToInstant(String(row[read.instants!.column]), zone));
      }
    }
    results.push({ rows, instants });
  } finally {
    await reader.close();
  }
}

process.stdout.write(`${JSON.stringify({ tz: process.env.TZ, hostOffsetMinutes: new Date(2024, 0, 1).getTimezoneOffset(), results })}\n`);
