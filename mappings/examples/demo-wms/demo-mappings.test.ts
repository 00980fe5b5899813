import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayloadValidator, type PayloadValidator } from '../../../connectors/platform/payload-validator.js';
import { loadProfile } from '../../../connectors/platform/profile-loader.js';
import { compileMapping, loadMapping, runMappingTests, type CompiledMapping } from '../../index.js';
import { applyDemoChanges } from './apply-demo-changes.js';
import { mapAllRows } from './demo-mapping-records.js';
import { generateDemoWms } from './generate-demo-wms.js';

const KINDS = ['warehouse', 'goods', 'inbound', 'outbound', 'inventory', 'return'] as const;
const folder = path.dirname(fileURLToPath(import.meta.url));

let dir: string;
let file: string;
let validator: PayloadValidator;
const mappings = new Map<string, CompiledMapping>();

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'demo-mappings-'));
  file = path.join(dir, 'demo.sqlite');
  generateDemoWms(file);
  validator = buildPayloadValidator(loadProfile());

  for (const kind of KINDS) {
    const mapping = loadMapping(path.join(folder, `${kind}.yaml`));
    mappings.set(kind, compileMapping(mapping, { sourceZone: 'Asia/Shanghai', targetZone: 'Asia/Shanghai', pipeline: `demo ${kind}` }));
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Problems of every row of a kind, at most five, as 'key path code' text. */
function problemsOf(kind: string): string[] {
  const found: string[] = [];
  for (const result of mapAllRows(file, mappings.get(kind)!)) {
    if (!result.ok) {
      found.push(...result.problems.map((problem) => `${result.key} ${problem.path} ${problem.code}`));
      continue;
    }
    found.push(...validator.validateRecord(kind, result.body).map((problem) => `${result.key} ${problem.path} ${problem.code}`));
  }
  return found.slice(0, 5);
}

describe('demo-wms mappings', () => {
  for (const kind of KINDS) {
    it(`${kind}: fixtures pass`, () => {
      const results = runMappingTests(loadMapping(path.join(folder, `${kind}.yaml`)));
      expect(results.length).toBeGreaterThan(0);
      expect(results.flatMap((result) => result.failures.map((failure) => `${result.name}: ${failure.en}`))).toEqual([]);
    });

    it(`${kind}: every generated row maps to a valid record`, () => {
      expect(mapAllRows(file, mappings.get(kind)!).length).toBeGreaterThan(0);
      expect(problemsOf(kind)).toEqual([]);
    });
  }

  it('gives one inventory snapshot per warehouse', () => {
    const results = mapAllRows(file, mappings.get('inventory')!);
    expect(results.map((result) => result.key.split('|')[0])).toEqual(['US-LAX01', 'GB-FXT01', 'DE-FRA01', 'JP-TYO01']);
  });
});

describe('demo-wms mappings after the demo changes', () => {
  let before: Map<string, Map<string, string>>;
  let changed: Record<string, string[]>;

  /** Record bodies by kind and key, as JSON text. */
  function bodies(): Map<string, Map<string, string>> {
    const byKind = new Map<string, Map<string, string>>();
    for (const kind of KINDS) {
      const records = new Map<string, string>();
      for (const result of mapAllRows(file, mappings.get(kind)!)) {
        records.set(result.key, JSON.stringify(result.ok ? [result.op, result.body] : result.problems));
      }
      byKind.set(kind, records);
    }
    return byKind;
  }

  beforeAll(() => {
    before = bodies();
    changed = applyDemoChanges(file).changed;
  });

  it('keeps every record valid', () => {
    for (const kind of KINDS) expect(problemsOf(kind), kind).toEqual([]);
  });

  it('changes only the records behind the edited rows', () => {
    const after = bodies();
    const differing: Record<string, string[]> = {};
    for (const [kind, records] of after) {
      const keys = [...records].filter(([key, body]) => before.get(kind)!.get(key) !== body).map(([key]) => key);
      if (keys.length > 0) differing[kind] = keys.sort();
    }

    const outboundNo = changed.wh_outbound_line![0]!.split('/')[0]!;
    expect(differing.goods).toEqual([...changed.wh_sku!].sort());
    expect(differing.outbound).toEqual([outboundNo]);
    expect(differing.inbound).toEqual(changed.wh_inbound_order);
    expect(differing.inventory).toHaveLength(1);
    expect(differing.inventory![0]!.startsWith('US-LAX01|')).toBe(true);
    expect(Object.keys(differing).sort()).toEqual(['goods', 'inbound', 'inventory', 'outbound']);
  });

  it('sends the soft-deleted SKU as a delete', () => {
    const deletes = mapAllRows(file, mappings.get('goods')!).filter((result) => result.ok && result.op === 'delete');
    expect(deletes.map((result) => result.key)).toHaveLength(1);
    expect(changed.wh_sku).toContain(deletes[0]!.key);
  });
});
