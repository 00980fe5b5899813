import { type Bilingual, bi } from '../../config/i18n.js';
import type { RuleFailure } from './field-checks.js';
import { describeFormat } from './formats.js';
import type { FieldSpec, FormatOptions } from './profile-schema.js';

/** Maximum length, in code points, of a value quoted in a message. */
const MAX_QUOTED = 80;

/** Renders a value for a message: strings quoted, long values cut with an ellipsis. */
export function quoteValue(value: unknown): Bilingual {
  if (value === undefined) return bi('（无）', '(none)');

  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }

  const points = Array.from(text);
  if (points.length > MAX_QUOTED) text = `${points.slice(0, MAX_QUOTED).join('')}…`;
  return bi(text, text);
}

function typeOfValue(value: unknown): Bilingual {
  if (value === null) return bi('null', 'null');
  if (Array.isArray(value)) return bi('数组', 'an array');

  switch (typeof value) {
    case 'string':
      return bi('字符串', 'a string');
    case 'number':
      return bi('数字', 'a number');
    case 'boolean':
      return bi('布尔值', 'a boolean');
    case 'object':
      return bi('对象', 'an object');
    default:
      return bi(typeof value, typeof value);
  }
}

function expectedType(spec: FieldSpec | undefined): Bilingual {
  switch (spec?.type) {
    case undefined:
      return bi('对象', 'an object');
    case 'string':
      return bi('字符串', 'a string');
    case 'decimal':
      return bi('字符串形式的十进制数（如 "12.50"）', 'a decimal written as a string, such as "12.50"');
    case 'integer':
      return bi('整数', 'an integer');
    case 'datetime':
      return bi('14 位时间字符串 yyyyMMddHHmmss', 'a 14-digit yyyyMMddHHmmss string');
    case 'date':
      return bi('8 位日期字符串 yyyyMMdd', 'an 8-digit yyyyMMdd string');
    case 'boolean':
      return bi('布尔值', 'a boolean');
    case 'array':
      return bi('数组', 'an array');
    case 'lines':
      return bi('明细对象数组', 'an array of line objects');
  }
}

function allowedValues(spec: FieldSpec): Bilingual {
  const values = spec.enum ?? [];
  const zh = values.map((v) => (spec.enumLabels?.[v] ? `${v}（${spec.enumLabels[v].zh}）` : v)).join('、');
  const en = values.map((v) => (spec.enumLabels?.[v] ? `${v} (${spec.enumLabels[v].en})` : v)).join(', ');
  return bi(zh, en);
}

function patternRule(spec: FieldSpec, formatOptions: FormatOptions | undefined): Bilingual {
  if (spec.format) return describeFormat(spec.format, formatOptions);
  return bi(`正则表达式 ${spec.pattern ?? ''}`, `the regular expression ${spec.pattern ?? ''}`);
}

/** Facts about one problem that its message is written from. */
export interface ProblemContext {
  /** Display path such as `lines[2].qty`. */
  path: string;
  spec: FieldSpec | undefined;
  value: unknown;
  failure: RuleFailure;
  /** Condition that made the field required, for `required` problems from `requiredWhen`. */
  when?: { field: string; in: string[] };
  /** Label of the record kind or of the payload header, for unknown fields. */
  ownerLabel: { zh: string; en: string };
  formatOptions: FormatOptions | undefined;
}

/** Writes the bilingual message of one field problem: field and label, value, and the rule broken. */
export function problemMessage(context: ProblemContext): Bilingual {
  const { path, spec, failure } = context;
  const v = quoteValue(context.value);
  const zhField = spec?.label ? `${path}（${spec.label.zh}）` : path;
  const enField = spec?.label ? `${path} (${spec.label.en})` : path;
  const precision = spec?.precision ?? 0;
  const scale = spec?.scale ?? 0;

  switch (failure.code) {
    case 'required': {
      const zhState = context.value === undefined ? '但记录中没有该字段' : `但值为 ${v['zh-CN']}`;
      const enState = context.value === undefined ? 'but it is missing' : `but its value is ${v.en}`;
      const when = context.when;
      if (when) {
        return bi(
          `当 ${when.field} 为 ${when.in.join('、')} 时，${zhField}为必填项，${zhState}。请在映射中为它提供值。`,
          `${enField} is required when ${when.field} is ${when.in.join(', ')}, ${enState}. Map a value to it.`,
        );
      }
      return bi(`${zhField}为必填项，${zhState}。请在映射中为它提供值。`, `${enField} is required, ${enState}. Map a value to it.`);
    }
    case 'too_long':
      return bi(
        `${zhField}超长：值 ${v['zh-CN']} 有 ${failure.actual} 个字符，最多 ${failure.limit} 个。`,
        `${enField} is too long: value ${v.en} has ${failure.actual} characters, at most ${failure.limit} are allowed.`,
      );
    case 'too_short':
      return bi(
        `${zhField}过短：值 ${v['zh-CN']} 有 ${failure.actual} 个字符，至少 ${failure.limit} 个。`,
        `${enField} is too short: value ${v.en} has ${failure.actual} characters, at least ${failure.limit} are required.`,
      );
    case 'wrong_length':
      return bi(
        `${zhField}长度错误：值 ${v['zh-CN']} 有 ${failure.actual} 个字符，应为 ${failure.limit} 个。`,
        `${enField} has the wrong length: value ${v.en} has ${failure.actual} characters, ${failure.limit} are required.`,
      );
    case 'bad_pattern': {
      const rule = spec ? patternRule(spec, context.formatOptions) : bi('', '');
      return bi(
        `${zhField}格式错误：值 ${v['zh-CN']} 不符合“${rule['zh-CN']}”。`,
        `${enField} has an invalid format: value ${v.en} does not match "${rule.en}".`,
      );
    }
    case 'bad_check_char':
      return bi(
        `${zhField}的校验位错误：值 ${v['zh-CN']}，按 GB 32100 计算第 18 位应为 "${failure.expected}"。`,
        `${enField} has a wrong check character: value ${v.en}; by GB 32100 the 18th character should be "${failure.expected}".`,
      );
    case 'not_in_enum': {
      const allowed = spec ? allowedValues(spec) : bi('', '');
      return bi(
        `${zhField}的值 ${v['zh-CN']} 不是允许的取值；允许：${allowed['zh-CN']}。`,
        `${enField} has value ${v.en}, which is not allowed; allowed: ${allowed.en}.`,
      );
    }
    case 'not_in_code_list':
      return bi(
        `${zhField}的值 ${v['zh-CN']} 不在代码表 ${spec?.codeList} 中；请映射为平台配置 codeLists.${spec?.codeList} 中的代码。`,
        `${enField} has value ${v.en}, which is not in code list ${spec?.codeList}; map it to a code of codeLists.${spec?.codeList} in the platform profile.`,
      );
    case 'bad_decimal':
      return bi(
        `${zhField}不是十进制数：值 ${v['zh-CN']}；应为字符串形式的数字，如 "12.5"，无指数、无前导零，N(${precision},${scale})。`,
        `${enField} is not a decimal: value ${v.en}; expected a number written as a string, such as "12.5", with no exponent or leading zeros, N(${precision},${scale}).`,
      );
    case 'too_many_digits':
      return bi(
        `${zhField}整数位过多：值 ${v['zh-CN']} 有 ${failure.actual} 位整数，最多 ${failure.limit} 位。`,
        `${enField} has too many integer digits: value ${v.en} has ${failure.actual}, at most ${failure.limit} are allowed.`,
      );
    case 'too_many_decimals':
      return bi(
        `${zhField}小数位过多：值 ${v['zh-CN']} 有 ${failure.actual} 位小数，最多 ${failure.limit} 位（N(${precision},${scale})）。`,
        `${enField} has too many decimals: value ${v.en} has ${failure.actual}, at most ${failure.limit} are allowed (N(${precision},${scale})).`,
      );
    case 'bad_datetime':
      return bi(
        `${zhField}不是有效时间：值 ${v['zh-CN']}；应为北京时间 yyyyMMddHHmmss 共 14 位数字，且日期时间真实存在。`,
        `${enField} is not a valid time: value ${v.en}; expected 14 digits yyyyMMddHHmmss in Beijing time that form a real date and time.`,
      );
    case 'bad_date':
      return bi(
        `${zhField}不是有效日期：值 ${v['zh-CN']}；应为 yyyyMMdd 共 8 位数字，且日期真实存在。`,
        `${enField} is not a valid date: value ${v.en}; expected 8 digits yyyyMMdd that form a real date.`,
      );
    case 'wrong_type': {
      const actual = typeOfValue(context.value);
      const expected = expectedType(spec);
      return bi(
        `${zhField}类型错误：值 ${v['zh-CN']} 是${actual['zh-CN']}，应为${expected['zh-CN']}。`,
        `${enField} has the wrong type: value ${v.en} is ${actual.en}, expected ${expected.en}.`,
      );
    }
    case 'unknown_field':
      return bi(
        `${path} 不是${context.ownerLabel.zh}的字段（值 ${v['zh-CN']}）；请检查映射中的字段名拼写，或在平台配置中定义该字段。`,
        `${path} is not a field of ${context.ownerLabel.en} (value ${v.en}); check the field name in the mapping, or define the field in the platform profile.`,
      );
    case 'too_many_items':
      return bi(
        `${zhField}有 ${failure.actual} 项，最多 ${failure.limit} 项。`,
        `${enField} has ${failure.actual} items, at most ${failure.limit} are allowed.`,
      );
    case 'too_few_items':
      return bi(
        `${zhField}有 ${failure.actual} 项，至少需要 ${failure.limit} 项。`,
        `${enField} has ${failure.actual} items, at least ${failure.limit} are required.`,
      );
  }
}
