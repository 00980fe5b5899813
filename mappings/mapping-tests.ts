import { isDeepStrictEqual } from 'node:util';
import type { SourceRow } from '../connectors/sources/source-types.js';
import { bi, type Bilingual } from '../config/i18n.js';
import { compileMapping, type CompileContext, type MapResult } from './mapping-compiler.js';
import type { MappingFile, MappingTestCase } from './mapping-schema.js';

/** Zones a test uses when neither the test nor the caller names one. */
export const DEFAULT_TEST_ZONES = { sourceZone: 'UTC', targetZone: 'Asia/Shanghai' } as const;

export interface MappingTestResult {
  name: string;
  passed: boolean;
  /** Differences from the expectation, empty when the test passed. */
  failures: Bilingual[];
  actual: MapResult;
}

export interface MappingTestOptions {
  sourceZone?: string;
  targetZone?: string;
  recordKey?: string[];
}

/**
 * Runs the `tests:` fixtures of a mapping through its compiled form. Each test
 * compiles with its own zones (test, then options, then UTC / Asia/Shanghai).
 * A mapping error throws OwhError('config'); a failed expectation is a result.
 */
export function runMappingTests(file: MappingFile, options: MappingTestOptions = {}): MappingTestResult[] {
  const compiled = new Map<string, ReturnType<typeof compileMapping>>();

  return (file.tests ?? []).map((test) => {
    const context: CompileContext = {
      sourceZone: test.sourceZone ?? options.sourceZone ?? DEFAULT_TEST_ZONES.sourceZone,
      targetZone: test.targetZone ?? options.targetZone ?? DEFAULT_TEST_ZONES.targetZone,
      pipeline: `test ${test.name}`,
      ...(options.recordKey !== undefined && { recordKey: options.recordKey }),
    };
    const cacheKey = `${context.sourceZone} ${context.targetZone}`;
    let mapping = compiled.get(cacheKey);
    if (mapping === undefined) {
      mapping = compileMapping(file, context);
      compiled.set(cacheKey, mapping);
    }

    const actual = mapping.map(test.input.row as SourceRow, (test.input.children ?? {}) as Record<string, SourceRow[]>);
    const failures = compareWithExpectation(test, actual);
    return { name: test.name, passed: failures.length === 0, failures, actual };
  });
}

function compareWithExpectation(test: MappingTestCase, actual: MapResult): Bilingual[] {
  const failures: Bilingual[] = [];
  const show = (value: unknown) => JSON.stringify(value);

  if (test.expect === undefined && test.expectProblems === undefined) {
    failures.push(bi('测试既没有 expect 也没有 expectProblems', 'the test has neither expect nor expectProblems'));
    return failures;
  }

  if (test.expect?.key !== undefined && test.expect.key !== actual.key) {
    failures.push(bi(`key 应为 ${show(test.expect.key)}，实际为 ${show(actual.key)}`, `key: expected ${show(test.expect.key)}, got ${show(actual.key)}`));
  }

  if (test.expectProblems !== undefined) {
    const expected = test.expectProblems.map((problem) => `${problem.path} ${problem.code}`).sort();
    const got = actual.ok ? [] : actual.problems.map((problem) => `${problem.path} ${problem.code}`).sort();
    if (!isDeepStrictEqual(expected, got)) {
      failures.push(bi(`问题应为 ${show(expected)}，实际为 ${show(got)}`, `problems: expected ${show(expected)}, got ${show(got)}`));
    }
    return failures;
  }

  if (!actual.ok) {
    const got = actual.problems.map((problem) => `${problem.path} ${problem.code}: ${problem.message.en}`);
    failures.push(bi(`记录映射失败：${got.join('; ')}`, `the record failed to map: ${got.join('; ')}`));
    return failures;
  }

  if (test.expect?.op !== undefined && test.expect.op !== actual.op) {
    failures.push(bi(`op 应为 ${test.expect.op}，实际为 ${actual.op}`, `op: expected ${test.expect.op}, got ${actual.op}`));
  }

  // Key order is part of the comparison because the body bytes are hashed and signed.
  if (test.expect?.body !== undefined && show(test.expect.body) !== show(actual.body)) {
    failures.push(bi(`body 应为 ${show(test.expect.body)}，实际为 ${show(actual.body)}`, `body: expected ${show(test.expect.body)}, got ${show(actual.body)}`));
  }
  return failures;
}
