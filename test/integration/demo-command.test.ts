import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from '../../cli/main.js';
import { setLang } from '../../config/i18n.js';

interface Row {
  pipeline: string;
  read: number;
  sent: number;
  accepted: number;
  rejected: number;
  deleted: number;
  dead: number;
  outcome: string;
}

/** Parses the summary tables the demo prints (English headers). */
function parseTables(output: string): Row[][] {
  const tables: Row[][] = [];
  let current: Row[] | undefined;

  for (const line of output.split('\n')) {
    if (/^pipeline\s+kind\s+read/.test(line)) {
      current = [];
      tables.push(current);
      continue;
    }
    if (!current || line.startsWith('-')) continue;
    const cells = line.trim().split(/\s+/);
    if (cells.length < 11) {
      current = undefined;
      continue;
    }
    current.push({
      pipeline: cells[0],
      read: Number(cells[2]),
      sent: Number(cells[5]),
      accepted: Number(cells[6]),
      rejected: Number(cells[7]),
      deleted: Number(cells[8]),
      dead: Number(cells[9]),
      outcome: cells[10],
    });
  }
  return tables;
}

describe('owh-sync demo', () => {
  let dir: string;
  let output: string;
  let code: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-demo-'));
    const lines: string[] = [];
    code = await main(['demo', '--dir', dir, '--lang', 'en'], { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    setLang('zh-CN');
    output = lines.join('\n');
  }, 180_000);

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes with exit code 0', () => {
    expect(code, output).toBe(0);
  });

  it('accepts records of every kind on the first run', () => {
    const [first] = parseTables(output);

    expect(first.map((row) => row.pipeline)).toEqual(['warehouse', 'goods', 'inbound', 'outbound', 'inventory', 'return']);
    for (const row of first) {
      expect(row.outcome, row.pipeline).toBe('finished');
      expect(row.accepted, row.pipeline).toBeGreaterThan(0);
      expect(row.rejected + row.dead, row.pipeline).toBe(0);
    }
  });

  it('sends only the changed rows on the second run', () => {
    const [, second] = parseTables(output);
    const sent = Object.fromEntries(second.map((row) => [row.pipeline, row.sent]));

    // Two price changes and a soft delete; one new inbound order; one order
    // line edited without touching its order; one warehouse snapshot.
    expect(sent).toEqual({ warehouse: 0, goods: 3, inbound: 1, outbound: 1, inventory: 1, return: 0 });

    // Each changed row is read once, even an order whose header and lines both changed.
    const read = Object.fromEntries(second.map((row) => [row.pipeline, row.read]));
    expect(read).toEqual({ warehouse: 0, goods: 3, inbound: 1, outbound: 1, inventory: 1, return: 0 });
    expect(second.find((row) => row.pipeline === 'goods')?.deleted).toBe(1);
  });
});
