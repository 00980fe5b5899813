import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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

describe('bundled mapping fixtures', () => {
  it('finds at least one mapping file', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const relative = path.relative(root, file);
    const mapping = loadMapping(file);

    for (const result of runMappingTests(mapping)) {
      it(`${relative}: ${result.name}`, () => {
        expect(result.failures.map((failure) => failure.en)).toEqual([]);
      });
    }
  }
});
