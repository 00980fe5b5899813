import type { SourceRow } from '../../connectors/sources/source-types.js';
import { compileMapping, type CompileContext, type CompiledMapping } from '../mapping-compiler.js';
import { parseMapping } from '../mapping-loader.js';

/** Parses and compiles mapping text for a test; zones default to Asia/Shanghai on both sides. */
export function compileText(text: string, context: Partial<CompileContext> = {}): CompiledMapping {
  const file = parseMapping(text, 'test-mapping.yaml', process.cwd());
  return compileMapping(file, { sourceZone: 'Asia/Shanghai', targetZone: 'Asia/Shanghai', pipeline: 'test', ...context });
}

/** Wraps a `fields:` block (indented YAML lines) in a minimal mapping. */
export function withFields(fields: string, extra = ''): string {
  return `version: 1
kind: goods
source: { table: t, key: [id], cursor: { column: updated_at } }
recordKey: "{id}"
fields:
${fields}
${extra}`;
}

/** Maps one row and returns the body, failing the test with the problems if it did not map. */
export function bodyOf(mapping: CompiledMapping, row: SourceRow, children: Record<string, SourceRow[]> = {}): Record<string, unknown> {
  const result = mapping.map(row, children);
  if (!result.ok) throw new Error(`expected the row to map, got ${JSON.stringify(result.problems)}`);
  return result.body;
}

/** Maps one row and returns its problems as `path code` strings. */
export function problemsOf(mapping: CompiledMapping, row: SourceRow, children: Record<string, SourceRow[]> = {}): string[] {
  const result = mapping.map(row, children);
  return result.ok ? [] : result.problems.map((problem) => `${problem.path} ${problem.code}`);
}
