import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { buildPayloadValidator } from '../connectors/platform/payload-validator.js';
import { loadProfile } from '../connectors/platform/profile-loader.js';
import { loadMapping } from './mapping-loader.js';
import { runMappingTests } from './mapping-tests.js';

// Every mapping file under mappings/ carries its own fixtures; they run here
// so that a bundled mapping cannot drift from its tests. Lookup tables are
// named *.lookup.yaml and are not mappings.
const root = path.dirname(fileURLToPath(import.meta.url));

function findMappingFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...findMappingFiles(full));
    else if (/\.ya?ml$/.test(entry.name) && !/\.lookup\.ya?ml$/.test(entry.name)) found.push(full);
  }
  return found.sort();
}

const files = findMappingFiles(root);

// Fixtures run with the default profile's record keys, and every body a
// fixture produces must also pass the profile's validation: a fixture that
// matches its expectation but would be dead-lettered at run time proves little.
const profile = loadProfile();
const validator = buildPayloadValidator(profile);

describe('bundled mapping fixtures', () => {
  it('finds at least one mapping file', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const relative = path.relative(root, file);
    const mapping = loadMapping(file);

    const recordKey = profile.kinds[mapping.kind]?.recordKey;

    for (const result of runMappingTests(mapping, { recordKey })) {
      it(`${relative}: ${result.name}`, () => {
        expect(result.failures.map((failure) => failure.en)).toEqual([]);

        if (result.actual.ok && result.actual.op === 'upsert') {
          const problems = validator.validateRecord(mapping.kind, result.actual.body);
          expect(problems.map((problem) => `${problem.path} ${problem.code}: ${problem.message.en}`)).toEqual([]);
        }
      });
    }
  }
});
