import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadConfig } from '../../config/config-loader.js';
import { OwhError } from '../../config/errors.js';

const VALID = `version: 1
enterprise: { name: 示例企业, uscc: 91440300MA5G8KQ2X5 }
sources:
  wms:
    client: mysql2
    connection:
      host: 127.0.0.1
      password: \${WMS_PASSWORD}
platform:
  endpoint: http://127.0.0.1:9
  senderId: S1
  keyFile: keys/private.pem
pipelines:
  goods: { source: wms, mapping: goods.yaml }
`;

describe('config loader', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owh-config-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(text: string): string {
    const file = path.join(dir, 'owh-sync.yaml');
    fs.writeFileSync(file, text);
    return file;
  }

  function failure(file: string, env: NodeJS.ProcessEnv = { WMS_PASSWORD: 'x' }): OwhError {
    try {
      loadConfig(file, env);
    } catch (error) {
      expect(error).toBeInstanceOf(OwhError);
      return error as OwhError;
    }
    throw new Error('loadConfig did not fail');
  }

  it('loads defaults and env secrets', () => {
    const loaded = loadConfig(write(VALID), { WMS_PASSWORD: 's3cret' });

    expect(loaded.config.sources.wms.connection).toEqual({ host: '127.0.0.1', password: 's3cret' });
    expect(loaded.config.sources.wms.timezone).toBe('Asia/Shanghai');
    expect(loaded.config.pipelines.goods.commitLagSeconds).toBe(5);
    expect(loaded.resolve('keys/private.pem')).toBe(path.join(dir, 'keys/private.pem'));
  });

  it('names a missing env variable with its position', () => {
    const error = failure(write(VALID), {});

    expect(error.text.en).toContain('owh-sync.yaml:8:');
    expect(error.text.en).toContain('WMS_PASSWORD');
    expect(error.text['zh-CN']).toContain('环境变量 WMS_PASSWORD');
  });

  it('names file, line, key, value and allowed values', () => {
    const error = failure(write(VALID.replace('client: mysql2', 'client: oracle')));

    expect(error.text.en).toMatch(/owh-sync\.yaml:5:\d+/);
    expect(error.text.en).toContain('sources.wms.client');
    expect(error.text.en).toContain('"oracle"');
    expect(error.text.en).toContain('"mysql2", "pg", "better-sqlite3"');
    expect(error.category).toBe('config');
  });

  it('rejects a pipeline naming an unknown source', () => {
    const error = failure(write(VALID.replace('source: wms', 'source: erp')));

    expect(error.text.en).toContain('pipeline goods names source "erp"');
    expect(error.text.en).toMatch(/owh-sync\.yaml:14:20 /);
  });

  it('reports YAML syntax errors with a position', () => {
    const error = failure(write('version: 1\nenterprise: [\n'));
    expect(error.text.en).toMatch(/owh-sync\.yaml:\d+:\d+ invalid YAML/);
  });

  it('reports a missing file with the fix', () => {
    const error = failure(path.join(dir, 'nope.yaml'));
    expect(error.text.en).toContain('--config');
  });

  it('never shows a password in an error', () => {
    const text = VALID.replace('      host: 127.0.0.1', '      host: 127.0.0.1\n    pageSzie: 10');
    const error = failure(write(text), { WMS_PASSWORD: 'TopSecret-Pw-42' });

    expect(error.text.en).toContain('pageSzie');
    expect(error.text.en).not.toContain('TopSecret-Pw-42');
    expect(error.text['zh-CN']).not.toContain('TopSecret-Pw-42');
  });

  it('names a misspelt connection key', () => {
    const error = failure(write(VALID.replace('      host: 127.0.0.1', '      host: 127.0.0.1\n      databse: wms')));

    expect(error.text.en).toContain('unknown connection key "databse"; did you mean "database"?');
    expect(error.text.en).toMatch(/owh-sync\.yaml:8:/);
  });

  it('shows env placeholders, not their values, in errors', () => {
    const text = VALID.replace('    client: mysql2', '    client: mysql2\n    pageSize: ${WMS_PASSWORD}');
    const error = failure(write(text), { WMS_PASSWORD: 'TopSecret-Pw-42' });

    expect(error.text.en).toContain('sources.wms.pageSize');
    expect(error.text.en).toContain('${WMS_PASSWORD}');
    expect(error.text.en).not.toContain('TopSecret-Pw-42');
  });
});
