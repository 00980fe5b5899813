import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../config/config-loader.js';
import { buildPayloadValidator } from '../../connectors/platform/payload-validator.js';
import { loadProfile } from '../../connectors/platform/profile-loader.js';
import { compileMapping, loadMapping } from '../../mappings/index.js';
import { REPO_ROOT } from './sample-harness.js';

// The example configs and mappings for the GreaterWMS and Odoo samples,
// checked without a database: the configs load, every mapping compiles
// against the profile, and every expected fixture body is a valid payload.
const EXAMPLES = [
  { config: 'config/examples/greaterwms.mariadb.yaml', mappings: 'mappings/examples/greaterwms', timezone: 'Asia/Shanghai' },
  { config: 'config/examples/odoo.postgres.yaml', mappings: 'mappings/examples/odoo', timezone: 'UTC' },
];

const ENV = {
  GREATERWMS_DB_HOST: '127.0.0.1',
  GREATERWMS_DB_PASSWORD: 'secret-from-env',
  ODOO_DB_HOST: '127.0.0.1',
  ODOO_DB_PASSWORD: 'secret-from-env',
  OWH_PLATFORM_ENDPOINT: 'https://platform.example.invalid',
  OWH_SENDER_ID: 'SENDER-1',
};

/** Fixture bodies that are incomplete for the platform on purpose, with the field paths it reports (none today). */
const EXPECTED_INVALID: Record<string, string[]> = {};

const profile = loadProfile();
const validator = buildPayloadValidator(profile);

function mappingFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, folder))
    .filter((name) => name.endsWith('.yaml') && !name.endsWith('.lookup.yaml'))
    .map((name) => path.join(REPO_ROOT, folder, name));
}

describe.each(EXAMPLES)('example $config', ({ config, mappings, timezone }) => {
  it('loads with the environment values set', () => {
    const loaded = loadConfig(path.join(REPO_ROOT, config), ENV);
    const source = Object.values(loaded.config.sources)[0]!;

    expect(source.timezone).toBe(timezone);
    expect((source.connection as Record<string, unknown>).password).toBe('secret-from-env');
    expect(loaded.config.platform.endpoint).toBe(ENV.OWH_PLATFORM_ENDPOINT);
    expect(loaded.config.platform.senderId).toBe(ENV.OWH_SENDER_ID);
  });

  it('runs a pipeline for every mapping in its folder', () => {
    const loaded = loadConfig(path.join(REPO_ROOT, config), ENV);
    const configured = Object.values(loaded.config.pipelines).map((pipeline) => loaded.resolve(pipeline.mapping));

    expect(configured.sort()).toEqual(mappingFiles(mappings).sort());
  });

  it('names a kind of the profile in every mapping', () => {
    for (const file of mappingFiles(mappings)) {
      const mapping = loadMapping(file);
      const compiled = compileMapping(mapping, { sourceZone: timezone, targetZone: 'Asia/Shanghai', pipeline: path.basename(file) });
      expect(Object.keys(profile.kinds)).toContain(compiled.kind);
    }
  });

  it('expects only valid payloads in its fixtures', () => {
    for (const file of mappingFiles(mappings)) {
      const mapping = loadMapping(file);

      for (const test of mapping.tests ?? []) {
        if (!test.expect?.body || test.expect.op === 'delete') continue;

        const name = `${path.basename(mappings)}/${path.basename(file)}: ${test.name}`;
        const paths = validator.validateRecord(mapping.kind, test.expect.body).map((problem) => problem.path);
        expect({ name, paths }).toEqual({ name, paths: EXPECTED_INVALID[name] ?? [] });
      }
    }
  });
});
