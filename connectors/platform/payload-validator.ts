import { z } from 'zod';
import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import type { FieldProblem } from '../../pipelines/record-types.js';
import { type RuleFailure, type ValueCheck, buildScalarCheck, isAbsent } from './field-checks.js';
import type { FieldSpec, FormatOptions, Profile } from './profile-schema.js';
import { problemMessage } from './validation-messages.js';

/**
 * Validates payloads against the profile. The zod schemas are built once from
 * the profile's field specs, so a field added to the profile is checked with no
 * code change. Zod issues are then turned into FieldProblems with a stable
 * code, the field path, the value and a bilingual message.
 *
 * Decimals N(p,s) must be JSON strings everywhere, also when the scale is 0:
 * a JS number is a `wrong_type` problem, because a float cannot carry every
 * N(19,5) value exactly. An optional field may be absent, null or an empty
 * string; a required one may be none of these.
 */
export interface PayloadValidator {
  /** Kinds the profile defines. */
  readonly kinds: readonly string[];
  /** Checks one record body of a kind; an empty list means valid. */
  validateRecord(kind: string, body: unknown): FieldProblem[];
  /** Checks the payload header: enterprise fields, appType and the records array (not its items). */
  validateHeader(header: unknown): FieldProblem[];
  /** Checks the header and every record; record paths start with the records field, as in `records[3].lines[0].qty`. */
  validatePayload(kind: string, payload: unknown): FieldProblem[];
}

interface Label {
  zh: string;
  en: string;
}

/** One object schema with the specs of its fields, keyed by path with indexes dropped (`lines[].qty`). */
interface CompiledObject {
  schema: z.ZodType;
  specs: Map<string, FieldSpec>;
  label: Label;
}

interface BuildEnv {
  codeLists: Record<string, Record<string, string>>;
  formatOptions: FormatOptions | undefined;
}

interface RequiredWhenParams extends RuleFailure {
  when: { field: string; in: string[] };
}

const HEADER_LABEL: Label = { zh: '报文头', en: 'the payload header' };
const RECORDS_LABEL: Label = { zh: '记录', en: 'Records' };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Wraps the check of a single-value field in a zod schema. The check does presence,
 * type and rules in one call, because zod's string and nullish wrappers add
 * a parse step and an allocation per field on every record.
 */
function scalarSchema(check: ValueCheck<unknown>, required: boolean): z.ZodType {
  const schema = z.unknown().check((payload) => {
    const failure = check(payload.value);
    if (failure) payload.issues.push({ code: 'custom', message: failure.code, input: payload.value, params: { ...failure } });
  });

  // Without optional(), zod reports a missing key before the check runs; that issue reads as `required`.
  return required ? schema : schema.optional();
}

/** Adds minItems/maxItems as a check that also runs when items have problems, so both are reported. */
function withItemCount<T extends unknown[]>(schema: z.ZodType<T>, spec: { minItems?: number; maxItems?: number }): z.ZodType<T> {
  const { minItems, maxItems } = spec;
  if (minItems === undefined && maxItems === undefined) return schema;

  return schema.superRefine(
    (items, ctx) => {
      if (maxItems !== undefined && items.length > maxItems) {
        ctx.addIssue({ code: 'custom', message: 'too_many_items', params: { code: 'too_many_items', actual: items.length, limit: maxItems } });
      }
      if (minItems !== undefined && items.length < minItems) {
        ctx.addIssue({ code: 'custom', message: 'too_few_items', params: { code: 'too_few_items', actual: items.length, limit: minItems } });
      }
    },
    { when: (payload) => Array.isArray(payload.value) },
  );
}

function fieldSchema(spec: FieldSpec, env: BuildEnv, specs: Map<string, FieldSpec>, key: string): z.ZodType {
  switch (spec.type) {
    case 'array': {
      // The loader makes sure arrays have `items`; an element is never absent.
      const itemSpec: FieldSpec = { ...spec.items!, required: true };
      specs.set(`${key}[]`, itemSpec);
      const schema = withItemCount(z.array(fieldSchema(itemSpec, env, specs, `${key}[]`)), spec);
      return spec.required ? schema : schema.nullish();
    }
    case 'lines': {
      const line = objectSchema(spec.fields ?? {}, env, specs, `${key}[]`);
      const schema = withItemCount(z.array(line), spec);
      return spec.required ? schema : schema.nullish();
    }
    default:
      return scalarSchema(buildScalarCheck(spec, env.codeLists, env.formatOptions), spec.required === true);
  }
}

/** Builds a strict object schema over `fields`, recording each field's spec under its path key. */
function objectSchema(
  fields: Record<string, FieldSpec>,
  env: BuildEnv,
  specs: Map<string, FieldSpec>,
  prefix: string,
  extra: Record<string, z.ZodType> = {},
): z.ZodType {
  const shape: Record<string, z.ZodType> = { ...extra };
  const conditional: [string, { field: string; in: string[] }][] = [];

  for (const [name, spec] of Object.entries(fields)) {
    const key = prefix ? `${prefix}.${name}` : name;
    specs.set(key, spec);
    shape[name] = fieldSchema(spec, env, specs, key);
    if (spec.requiredWhen) conditional.push([name, spec.requiredWhen]);
  }

  const schema = z.strictObject(shape);
  if (conditional.length === 0) return schema;

  // Runs even when other fields have problems, so a record gets every problem in one pass.
  return schema.superRefine(
    (record: Record<string, unknown>, ctx) => {
      for (const [name, when] of conditional) {
        const trigger = record[when.field];
        if (typeof trigger !== 'string' || !when.in.includes(trigger) || !isAbsent(record[name])) continue;

        const params: RequiredWhenParams = { code: 'required', when };
        ctx.addIssue({ code: 'custom', message: 'required', path: [name], params: { ...params } });
      }
    },
    { when: (payload) => isPlainObject(payload.value) },
  );
}

/** `['lines', 2, 'qty']` with prefix `records[0]` → `records[0].lines[2].qty`. */
function displayPath(prefix: string, path: readonly PropertyKey[]): string {
  let text = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}

/** `['lines', 2, 'qty']` → `lines[].qty`, the key of the spec index. */
function specKey(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += '[]';
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function toProblems(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  compiled: CompiledObject,
  prefix: string,
  formatOptions: FormatOptions | undefined,
): FieldProblem[] {
  const problems: FieldProblem[] = [];

  const add = (path: readonly PropertyKey[], failure: RuleFailure, when?: RequiredWhenParams['when']): void => {
    const spec = path.length > 0 ? compiled.specs.get(specKey(path)) : undefined;
    const ownerSpec = path.length > 1 ? compiled.specs.get(specKey(path.slice(0, -1))) : undefined;
    const value = valueAt(input, path);
    const displayedPath = displayPath(prefix, path);
    const message = problemMessage({
      path: displayedPath || '(record)',
      spec,
      value,
      failure,
      when,
      ownerLabel: ownerSpec?.label ?? compiled.label,
      formatOptions,
    });
    problems.push({ path: displayedPath, value, code: failure.code, message });
  };

  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], { code: 'unknown_field' });
      continue;
    }

    if (issue.code === 'custom' && issue.params?.code) {
      const params = issue.params as RequiredWhenParams;
      add(issue.path, params, params.when);
      continue;
    }

    // What is left is zod's own type check: a missing value, or one of the wrong type.
    const value = valueAt(input, issue.path);
    const absent = value === undefined || value === null;
    add(issue.path, { code: absent && issue.path.length > 0 ? 'required' : 'wrong_type' });
  }
  return problems;
}

/** Builds the validator of every kind and of the payload header once; reuse it for all records. */
export function buildPayloadValidator(profile: Profile): PayloadValidator {
  const env: BuildEnv = { codeLists: profile.codeLists, formatOptions: profile.formatOptions };
  const formatOptions = profile.formatOptions;

  const kinds = new Map<string, CompiledObject>();
  for (const [kind, kindSpec] of Object.entries(profile.kinds)) {
    const specs = new Map<string, FieldSpec>();
    kinds.set(kind, { schema: objectSchema(kindSpec.fields, env, specs, ''), specs, label: kindSpec.label });
  }

  const header = compileHeader(profile, env);
  const recordsName = profile.payload.fieldNames.records;

  const validateRecord = (kind: string, body: unknown, prefix = ''): FieldProblem[] => {
    const compiled = kinds.get(kind);
    if (!compiled) {
      throw new OwhError(
        'config',
        bi(
          `平台配置中没有报文类型 "${kind}"；可用：${[...kinds.keys()].join('、')}。请检查映射的 kind。`,
          `the platform profile has no record kind "${kind}"; available: ${[...kinds.keys()].join(', ')}. Check the mapping's kind.`,
        ),
        { details: { kind } },
      );
    }

    const result = compiled.schema.safeParse(body);
    if (result.success) return [];
    return toProblems(result.error.issues, body, compiled, prefix, formatOptions);
  };

  const validateHeader = (input: unknown): FieldProblem[] => {
    const result = header.schema.safeParse(input);
    if (result.success) return [];
    return toProblems(result.error.issues, input, header, '', formatOptions);
  };

  return {
    kinds: [...kinds.keys()],
    validateRecord: (kind, body) => validateRecord(kind, body),
    validateHeader,
    validatePayload(kind, payload) {
      const problems = validateHeader(payload);
      const records = isPlainObject(payload) ? payload[recordsName] : undefined;
      if (!Array.isArray(records)) return problems;

      records.forEach((record, index) => {
        problems.push(...validateRecord(kind, record, `${recordsName}[${index}]`));
      });
      return problems;
    },
  };
}

/** Compiles the header schema under wire names; the profile keys header specs by logical name. */
function compileHeader(profile: Profile, env: BuildEnv): CompiledObject {
  const wireNames = profile.payload.fieldNames as Record<string, string | null>;
  const fields: Record<string, FieldSpec> = {};

  for (const [logical, spec] of Object.entries(profile.payload.header)) {
    const wire = logical in wireNames ? wireNames[logical] : logical;
    // A header field whose wire name is null is not sent, so a value for it is an unknown field.
    if (wire) fields[wire] = spec;
  }

  const recordsName = profile.payload.fieldNames.records;
  const recordsSpec: FieldSpec = { type: 'array', required: true, label: RECORDS_LABEL, minItems: 1, maxItems: profile.limits.maxRecords };
  const specs = new Map<string, FieldSpec>([[recordsName, recordsSpec]]);
  const records = withItemCount(z.array(z.unknown()), recordsSpec);

  return { schema: objectSchema(fields, env, specs, '', { [recordsName]: records }), specs, label: HEADER_LABEL };
}
