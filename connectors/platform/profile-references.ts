import { IANAZone } from 'luxon';
import { type Bilingual, bi } from '../../config/i18n.js';
import { ENVELOPE_PARTS, ERROR_CLASSES, type FieldSpec, type Profile } from './profile-schema.js';

/** One inconsistency in a profile that passed the schema: where, which value, what is allowed. */
export interface ProfileProblem {
  /** Dotted key path such as `kinds.inbound.fields.entryId.requiredWhen.field`. */
  path: string;
  value: unknown;
  /** Values the key may hold instead. */
  allowed: Bilingual;
}

/** Envelope parts without which no message can be sent or checked. */
const ESSENTIAL_PARTS = ['senderId', 'interfaceId', 'messageId', 'timestamp', 'data', 'signType', 'sign'] as const;

const STRING_ONLY_KEYS = ['length', 'maxLength', 'minLength', 'enum', 'pattern', 'format', 'codeList'] as const;

/**
 * Checks what the zod schema cannot: names that must refer to something else
 * in the profile (code lists, requiredWhen fields, record keys, template parts,
 * interface paths, error codes) and field specs whose rules contradict each
 * other. Returns every problem found, empty when the profile is consistent.
 */
export function checkProfileReferences(profile: Profile): ProfileProblem[] {
  const problems: ProfileProblem[] = [];

  checkFieldSet(profile.payload.header, 'payload.header', profile, problems);
  checkAppType(profile, problems);
  checkKinds(profile, problems);
  checkEnvelope(profile, problems);
  checkSign(profile, problems);
  checkResponse(profile, problems);

  return problems;
}

function checkFieldSet(fields: Record<string, FieldSpec>, path: string, profile: Profile, problems: ProfileProblem[]): void {
  for (const [name, spec] of Object.entries(fields)) {
    checkField(spec, `${path}.${name}`, fields, profile, problems);
  }
}

function checkField(
  spec: FieldSpec,
  path: string,
  siblings: Record<string, FieldSpec>,
  profile: Profile,
  problems: ProfileProblem[],
): void {
  const add = (key: string, value: unknown, allowed: Bilingual): void => {
    problems.push({ path: `${path}.${key}`, value, allowed });
  };

  if (spec.type !== 'string') {
    for (const key of STRING_ONLY_KEYS) {
      if (spec[key] !== undefined) add(key, spec[key], bi(`仅用于 type: string 的字段（此字段为 ${spec.type}）`, `only on fields of type string (this one is ${spec.type})`));
    }
  }

  if (spec.codeList !== undefined && !Object.hasOwn(profile.codeLists, spec.codeList)) {
    const names = Object.keys(profile.codeLists).join(', ');
    add('codeList', spec.codeList, bi(`codeLists 中已定义的代码表名：${names}`, `a code list defined under codeLists: ${names}`));
  }

  if (spec.pattern !== undefined) {
    try {
      new RegExp(spec.pattern, 'u');
    } catch (error) {
      add('pattern', spec.pattern, bi(`合法的正则表达式（${String(error)}）`, `a valid regular expression (${String(error)})`));
    }
  }

  checkLengths(spec, add);
  checkEnum(spec, add);

  if (spec.type === 'decimal' && spec.precision === undefined) {
    add('precision', undefined, bi('decimal 字段必须给出 precision（总位数）', 'a decimal field needs precision (total digits)'));
  }
  if (spec.precision !== undefined && spec.scale !== undefined && spec.scale > spec.precision) {
    add('scale', spec.scale, bi(`不大于 precision（${spec.precision}）`, `at most precision (${spec.precision})`));
  }
  if (spec.minItems !== undefined && spec.maxItems !== undefined && spec.minItems > spec.maxItems) {
    add('minItems', spec.minItems, bi(`不大于 maxItems（${spec.maxItems}）`, `at most maxItems (${spec.maxItems})`));
  }

  if (spec.required && spec.requiredWhen) {
    add('requiredWhen', spec.requiredWhen, bi('required: true 时不需要 requiredWhen，二者只留一个', 'nothing when required is true; keep one of the two'));
  }
  if (spec.requiredWhen) checkRequiredWhen(spec.requiredWhen, siblings, add);

  if (spec.type === 'array') {
    if (!spec.items) add('items', undefined, bi('array 字段必须用 items 给出元素规则', 'an array field needs items, the spec of its elements'));
    else checkField(spec.items, `${path}.items`, {}, profile, problems);
  } else if (spec.items !== undefined) {
    add('items', spec.items, bi('仅用于 type: array 的字段', 'only on fields of type array'));
  }

  if (spec.type === 'lines') {
    if (!spec.fields) add('fields', undefined, bi('lines 字段必须用 fields 给出明细字段', 'a lines field needs fields, the specs of each line'));
    else checkFieldSet(spec.fields, `${path}.fields`, profile, problems);
  } else if (spec.fields !== undefined) {
    add('fields', spec.fields, bi('仅用于 type: lines 的字段', 'only on fields of type lines'));
  }
}

type AddProblem = (key: string, value: unknown, allowed: Bilingual) => void;

function checkLengths(spec: FieldSpec, add: AddProblem): void {
  const { length, minLength, maxLength } = spec;

  if (length !== undefined && maxLength !== undefined && length > maxLength) {
    add('length', length, bi(`不大于 maxLength（${maxLength}），或只写其一`, `at most maxLength (${maxLength}), or only one of the two`));
  }
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    add('minLength', minLength, bi(`不大于 maxLength（${maxLength}）`, `at most maxLength (${maxLength})`));
  }
}

function checkEnum(spec: FieldSpec, add: AddProblem): void {
  const values = spec.enum ?? [];

  for (const value of values) {
    const size = Array.from(value).length;
    const tooLong = spec.maxLength !== undefined && size > spec.maxLength;
    if ((spec.length !== undefined && size !== spec.length) || tooLong) {
      add('enum', value, bi('满足字段 length/maxLength 的取值，否则该取值永远无法通过校验', 'values that fit the field length or maxLength; this one could never pass'));
    }
  }

  for (const key of Object.keys(spec.enumLabels ?? {})) {
    if (!values.includes(key)) add(`enumLabels.${key}`, key, bi(`enum 中的取值：${values.join('、')}`, `a value of enum: ${values.join(', ')}`));
  }
}

function checkRequiredWhen(
  when: { field: string; in: string[] },
  siblings: Record<string, FieldSpec>,
  add: AddProblem,
): void {
  const target = siblings[when.field];
  if (!target) {
    const names = Object.keys(siblings).join(', ');
    add('requiredWhen.field', when.field, bi(`同一记录（或同一明细）中的字段：${names}`, `a field of the same record or line: ${names}`));
    return;
  }

  if (!target.enum) return;
  for (const value of when.in) {
    if (!target.enum.includes(value)) {
      add('requiredWhen.in', value, bi(`${when.field} 的 enum 取值：${target.enum.join('、')}`, `a value of ${when.field}'s enum: ${target.enum.join(', ')}`));
    }
  }
}

function checkAppType(profile: Profile, problems: ProfileProblem[]): void {
  const allowed = profile.payload.header.appType?.enum;
  if (!allowed) return;

  for (const [operation, value] of Object.entries(profile.payload.appType)) {
    if (!allowed.includes(value)) {
      problems.push({
        path: `payload.appType.${operation}`,
        value,
        allowed: bi(`payload.header.appType 的 enum 取值：${allowed.join('、')}`, `a value of payload.header.appType's enum: ${allowed.join(', ')}`),
      });
    }
  }
}

function checkKinds(profile: Profile, problems: ProfileProblem[]): void {
  const seenIds = new Map<string, string>();

  for (const [kind, spec] of Object.entries(profile.kinds)) {
    const base = `kinds.${kind}`;
    checkFieldSet(spec.fields, `${base}.fields`, profile, problems);

    spec.recordKey.forEach((name, index) => {
      const field = spec.fields[name];
      const names = Object.entries(spec.fields)
        .filter(([, f]) => f.required && f.type !== 'lines' && f.type !== 'array')
        .map(([n]) => n);
      if (!field || !field.required || field.type === 'lines' || field.type === 'array') {
        problems.push({
          path: `${base}.recordKey.${index}`,
          value: name,
          allowed: bi(`该类型的必填单值字段：${names.join('、')}`, `a required single-value field of this kind: ${names.join(', ')}`),
        });
      }
    });

    const other = seenIds.get(spec.interfaceId);
    if (other) {
      problems.push({
        path: `${base}.interfaceId`,
        value: spec.interfaceId,
        allowed: bi(`与其他类型不同的接口ID（${other} 已使用）`, `an interface ID no other kind uses (${other} has it)`),
      });
    }
    seenIds.set(spec.interfaceId, kind);

    if (profile.transport.routing === 'perInterface' && !profile.transport.interfacePaths[spec.interfaceId]) {
      problems.push({
        path: `transport.interfacePaths.${spec.interfaceId}`,
        value: undefined,
        allowed: bi('routing 为 perInterface 时，每个接口ID 都要有路径', 'a path for every interface ID when routing is perInterface'),
      });
    }
  }
}

function checkEnvelope(profile: Profile, problems: ProfileProblem[]): void {
  const names = profile.envelope.fieldNames;

  for (const part of ESSENTIAL_PARTS) {
    if (!names[part]) {
      problems.push({ path: `envelope.fieldNames.${part}`, value: names[part], allowed: bi('非空的字段名（该部分必须发送）', 'a non-empty wire name (this part is always sent)') });
    }
  }

  const owners = new Map<string, string>();
  for (const part of ENVELOPE_PARTS) {
    const wire = names[part];
    if (!wire) continue;

    const owner = owners.get(wire);
    if (owner) {
      problems.push({ path: `envelope.fieldNames.${part}`, value: wire, allowed: bi(`与其他部分不同的字段名（${owner} 已使用）`, `a wire name no other part uses (${owner} has it)`) });
    }
    owners.set(wire, part);
  }

  if (profile.envelope.nonce.enabled && !names.nonce) {
    problems.push({ path: 'envelope.fieldNames.nonce', value: names.nonce, allowed: bi('nonce.enabled 为 true 时需要字段名', 'a wire name while nonce.enabled is true') });
  }

  const zone = profile.envelope.timestamp.zone;
  if (!IANAZone.isValidZone(zone)) {
    problems.push({ path: 'envelope.timestamp.zone', value: zone, allowed: bi('IANA 时区名，如 Asia/Shanghai', 'an IANA zone name such as Asia/Shanghai') });
  }
}

function checkSign(profile: Profile, problems: ProfileProblem[]): void {
  const { sign } = profile;
  if (sign.input !== 'template') return;

  if (!sign.template || sign.template.parts.length === 0) {
    problems.push({ path: 'sign.template', value: sign.template, allowed: bi('input 为 template 时需要 parts 与 separator', 'parts and separator while input is template') });
    return;
  }

  sign.template.parts.forEach((part, index) => {
    if (part === 'sign' || !profile.envelope.fieldNames[part]) {
      problems.push({
        path: `sign.template.parts.${index}`,
        value: part,
        allowed: bi('已发送的信封部分（fieldNames 不为 null），且不能是 sign', 'an envelope part that is sent (fieldNames not null), other than sign'),
      });
    }
  });
}

function checkResponse(profile: Profile, problems: ProfileProblem[]): void {
  const { errorCodes, codesByClass, successCodes } = profile.response;

  for (const errorClass of ERROR_CLASSES) {
    const code = codesByClass[errorClass];
    if (code === undefined) {
      problems.push({ path: `response.codesByClass.${errorClass}`, value: undefined, allowed: bi('每个错误类别一个平台错误码', 'one platform code for every error class') });
    } else if (errorCodes[code] !== errorClass) {
      problems.push({
        path: `response.codesByClass.${errorClass}`,
        value: code,
        allowed: bi(`response.errorCodes 中映射到 ${errorClass} 的错误码`, `a code that response.errorCodes maps to ${errorClass}`),
      });
    }
  }

  for (const code of successCodes) {
    if (Object.hasOwn(errorCodes, code)) {
      problems.push({ path: 'response.successCodes', value: code, allowed: bi('不在 response.errorCodes 中的返回码', 'codes that response.errorCodes does not list') });
    }
  }
}
