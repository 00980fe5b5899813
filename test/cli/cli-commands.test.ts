import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from '../../cli/main.js';
import { setLang } from '../../config/i18n.js';
import { startHarness, type SyncHarness } from '../support/sync-harness.js';
import { createTinyWms } from '../support/tiny-wms.js';

/** Runs the CLI in-process and captures what it prints. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  setLang('zh-CN');
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('owh-sync commands', () => {
  let dir: string;
  let harness: SyncHarness;
  let wmsFile: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-cli-'));
    const tiny = createTinyWms(dir, 30);
    wmsFile = tiny.wmsFile;
    harness = await startHarness({ wmsFile, pipelines: { goods: tiny.mappingFile } });
  });

  afterAll(async () => {
    await harness.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints help in both languages', async () => {
    const zh = await cli(['--help']);
    expect(zh.code).toBe(0);
    expect(zh.out).toContain('增量同步');

    const en = await cli(['--lang', 'en', '--help']);
    expect(en.out).toContain('run one incremental sync');
  });

  it('runs and reports counts as JSON', async () => {
    const result = await cli(['run', '--config', harness.configFile, '--json']);
    const report = JSON.parse(result.out) as { exitCode: number; pipelines: Array<{ counts: { accepted: number } }> };

    expect(result.code).toBe(0);
    expect(report.exitCode).toBe(0);
    expect(report.pipelines[0].counts.accepted).toBe(30);
  });

  it('prints a summary table in English', async () => {
    const result = await cli(['run', 'goods', '--config', harness.configFile, '--lang', 'en']);

    expect(result.code).toBe(0);
    expect(result.out).toMatch(/pipeline\s+kind\s+read/);
    expect(result.out).toContain('finished');
  });

  it('exits 2 for an unknown pipeline', async () => {
    const result = await cli(['run', 'nope', '--config', harness.configFile, '--lang', 'en']);

    expect(result.code).toBe(2);
    expect(result.err).toContain('no pipeline named nope');
  });

  it('exits 5 when records are dead-lettered', async () => {
    const db = new Database(wmsFile);
    db.prepare(`UPDATE sku_master SET hs_code = '1', updated_at = '2024-06-01 00:00:00.000000' WHERE id = 4`).run();
    db.close();

    const result = await cli(['run', '--config', harness.configFile, '--lang', 'en']);
    expect(result.code).toBe(5);

    const letters = await cli(['dead-letters', 'list', '--config', harness.configFile, '--lang', 'en']);
    expect(letters.out).toContain('SKU-4');
    expect(letters.out).toContain('hsCode');
  });

  it('shows status per pipeline', async () => {
    const result = await cli(['status', '--config', harness.configFile, '--lang', 'en']);

    expect(result.code).toBe(0);
    expect(result.out).toContain('goods');
    expect(result.out).toContain('checkpoint: 2024-06-01 00:00:00.000000 #4');
  });

  it('exits 4 when the platform is unreachable', async () => {
    const text = fs.readFileSync(harness.configFile, 'utf8').replace(/endpoint: .*/, 'endpoint: http://127.0.0.1:9');
    const file = path.join(dir, 'unreachable.yaml');
    fs.writeFileSync(file, text.replace(/state\.sqlite/, 'state-unreachable.sqlite'));

    const result = await cli(['run', '--config', file, '--lang', 'en']);
    expect(result.code).toBe(4);
    expect(result.out).toContain('could not be reached');
  });

  it('exits 3 when the source is unreachable', async () => {
    const text = fs.readFileSync(harness.configFile, 'utf8').replace(/filename: .*/, `filename: ${path.join(dir, 'missing.sqlite')}`);
    const file = path.join(dir, 'nosource.yaml');
    fs.writeFileSync(file, text.replace(/state\.sqlite/, 'state-nosource.sqlite'));

    const result = await cli(['run', '--config', file, '--lang', 'en']);
    expect(result.code).toBe(3);
  });

  it('checks the configured key pair', async () => {
    const result = await cli(['keys', 'check', '--config', harness.configFile, '--public', path.join(harness.dir, 'keys/public.pem'), '--lang', 'en']);
    expect(result.code).toBe(0);
  });

  it('checks config, keys, source, mapping and endpoint', async () => {
    const result = await cli(['check', '--config', harness.configFile, '--lang', 'en']);

    expect(result.code).toBe(0);
    expect(result.out).toContain('✓ signing key: SM2');
    expect(result.out).toContain('✓ source wms: better-sqlite3');
    expect(result.out).toMatch(/✓ pipeline goods mapping .*goods/);
    expect(result.out).toContain('✓ platform endpoint');
  });

  it('previews rows without writing', async () => {
    const result = await cli(['preview', 'goods', '--from-start', '--limit', '2', '--config', harness.configFile, '--json']);
    const items = JSON.parse(result.out) as Array<{ key: string; status: string; body: Record<string, unknown> }>;

    expect(result.code).toBe(0);
    expect(items).toHaveLength(2);
    expect(items[0].body.sku).toBe(items[0].key);
    expect(items.every((item) => item.status === 'unchanged')).toBe(true);
  });

  it('fails check on a wrong cursor column', async () => {
    const mapping = path.join(dir, 'bad-cursor.yaml');
    fs.writeFileSync(mapping, fs.readFileSync(path.join(dir, 'goods.yaml'), 'utf8').replace('column: updated_at', 'column: changed_at'));
    const file = path.join(dir, 'bad-cursor-config.yaml');
    fs.writeFileSync(file, fs.readFileSync(harness.configFile, 'utf8').replace(/mapping: .*/, `mapping: ${mapping}`));

    const result = await cli(['check', '--config', file, '--lang', 'en']);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('✗ pipeline goods reads one row');
    expect(result.out).toContain('changed_at');
  });

  it('refuses to run a mapping with unknown fields', async () => {
    const mapping = path.join(dir, 'unknown-field.yaml');
    fs.writeFileSync(mapping, fs.readFileSync(path.join(dir, 'goods.yaml'), 'utf8').replace('  sku: sku', '  sku: sku\n  skuColour: name'));
    const file = path.join(dir, 'unknown-field-config.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(harness.configFile, 'utf8').replace(/mapping: .*/, `mapping: ${mapping}`).replace(/state\.sqlite/, 'state-unknown.sqlite'),
    );

    const postsBefore = harness.requests.filter((r) => r.method === 'POST').length;
    const result = await cli(['run', '--config', file, '--lang', 'en']);

    expect(result.code).toBe(2);
    expect(result.out).toContain('skuColour');
    expect(harness.requests.filter((r) => r.method === 'POST')).toHaveLength(postsBefore);
  });
});
