import { z } from 'zod';

import { OwhError } from '../../../config/errors.js';
import { bi } from '../../../config/i18n.js';

/**
 * Faults the sandbox can inject, as data (the JSON form of the control
 * endpoint and of `startSandbox({ faults })`) and as the compact string form
 * of the `--faults` CLI flag. The string grammar is documented in
 * docs/sandbox.md and parsed by `parseFaultSpec`.
 */

/** When a rule fires: on a share of requests, on the next `count` requests, or always. */
export interface FaultTrigger {
  /** Probability per request, 0..1. */
  share?: number;
  /** Number of requests the rule fires on before it is spent. */
  count?: number;
}

/** HTTP statuses the sandbox can respond with on demand. */
export const INJECTABLE_STATUSES = [400, 401, 403, 409, 413, 429, 500, 503] as const;
export type InjectableStatus = (typeof INJECTABLE_STATUSES)[number];

export type RetryAfterForm = 'seconds' | 'date';

export type FaultRule =
  | (FaultTrigger & {
      type: 'status';
      status: InjectableStatus;
      /** Retry-After value in seconds (sent with 429 and 503 only). */
      retryAfterSeconds?: number;
      /** `seconds` sends `Retry-After: 30`; `date` sends an HTTP-date that many seconds after the `Date` header. */
      retryAfterForm?: RetryAfterForm;
    })
  | (FaultTrigger & { type: 'slow'; delayMs: number })
  | (FaultTrigger & { type: 'drop' })
  | (FaultTrigger & {
      type: 'storeThenFail';
      /** Failure that follows the stored batch: a 500 response or a destroyed connection. */
      then: 500 | 'drop';
      /** When true the response is not kept, so a resend gets DUPLICATE_MESSAGE. */
      forgetAnswer?: boolean;
    })
  | { type: 'rejectKeys'; keys: string[]; code?: string; message?: string; field?: string }
  | { type: 'interfaceNotOpened'; interfaceId: string }
  | { type: 'sequence'; steps: SequenceStep[] };

/**
 * One step of a sequence script: an HTTP status to respond with (200 = process the
 * request normally), `drop`, or `store-500` / `store-drop` (store, then fail).
 */
export type SequenceStep = number | 'drop' | 'store-500' | 'store-drop';

export interface FaultSpec {
  rules: FaultRule[];
}

/** Raises the bilingual error for an invalid fault spec, naming the item and the fix. */
function invalidSpec(item: string, zhReason: string, enReason: string): never {
  throw new OwhError(
    'config',
    bi(
      `故障描述无效："${item}"：${zhReason}。写法示例：--faults "503:0.2,429:retry-after=2,slow:3000,drop:0.05,reject:SKU-1"，详见 docs/sandbox.zh-CN.md。`,
      `invalid fault spec "${item}": ${enReason}. Example: --faults "503:0.2,429:retry-after=2,slow:3000,drop:0.05,reject:SKU-1"; see docs/sandbox.md.`,
    ),
    { details: { item } },
  );
}

/**
 * Parses a trigger argument: a number with a decimal point or a percent sign
 * is a share (`0.2`, `1.0`, `20%`), a whole number is a count (`3`).
 */
function parseTrigger(item: string, text: string): FaultTrigger {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent) {
    const share = Number(percent[1]) / 100;
    if (share > 1) invalidSpec(item, `比例 ${text} 超过 100%`, `share ${text} is above 100%`);
    return { share };
  }
  if (/^\d*\.\d+$/.test(text)) {
    const share = Number(text);
    if (share > 1) invalidSpec(item, `比例 ${text} 不在 0..1 之间`, `share ${text} is not within 0..1`);
    return { share };
  }
  if (/^\d+$/.test(text)) return { count: Number(text) };
  return invalidSpec(
    item,
    `"${text}" 既不是比例（0.2、20%）也不是次数（3）`,
    `"${text}" is neither a share (0.2, 20%) nor a count (3)`,
  );
}

function parsePositiveInteger(item: string, text: string, what: { zh: string; en: string }): number {
  if (!/^\d+$/.test(text)) {
    invalidSpec(item, `${what.zh}应为非负整数，实际为 "${text}"`, `${what.en} must be a whole number, got "${text}"`);
  }
  return Number(text);
}

/** Splits `name=value` arguments from plain ones. */
function splitArgs(args: string[]): { plain: string[]; named: Map<string, string> } {
  const plain: string[] = [];
  const named = new Map<string, string>();

  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) named.set(arg.slice(0, eq).toLowerCase(), arg.slice(eq + 1));
    else plain.push(arg);
  }
  return { plain, named };
}

function rejectUnknownNames(item: string, named: Map<string, string>, allowed: string[]): void {
  for (const name of named.keys()) {
    if (!allowed.includes(name)) {
      const list = allowed.length > 0 ? allowed.join(', ') : '—';
      invalidSpec(item, `不认识的参数 "${name}"，可用：${list}`, `unknown option "${name}", allowed: ${list}`);
    }
  }
}

function parseStatusItem(item: string, status: InjectableStatus, args: string[]): FaultRule {
  const { plain, named } = splitArgs(args);
  rejectUnknownNames(item, named, ['retry-after', 'form']);
  if (plain.length > 1) invalidSpec(item, '状态码后最多一个比例或次数', 'a status takes at most one share or count');

  const rule: FaultRule = { type: 'status', status, ...(plain[0] ? parseTrigger(item, plain[0]) : {}) };
  const retryAfter = named.get('retry-after');
  if (retryAfter !== undefined) {
    rule.retryAfterSeconds = parsePositiveInteger(item, retryAfter, { zh: 'retry-after', en: 'retry-after' });
  }
  const form = named.get('form');
  if (form !== undefined) {
    if (form !== 'seconds' && form !== 'date') {
      invalidSpec(item, `form 只能是 seconds 或 date，实际为 "${form}"`, `form must be seconds or date, got "${form}"`);
    }
    rule.retryAfterForm = form;
  }
  return rule;
}

function parseSequenceStep(item: string, text: string): SequenceStep {
  if (text === 'drop' || text === 'store-500' || text === 'store-drop') return text;
  if (/^\d{3}$/.test(text)) {
    const status = Number(text);
    if (status === 200 || (INJECTABLE_STATUSES as readonly number[]).includes(status)) return status;
  }
  return invalidSpec(
    item,
    `序列步骤 "${text}" 无效，可用 200、${INJECTABLE_STATUSES.join('、')}、drop、store-500、store-drop`,
    `sequence step "${text}" is invalid, use 200, ${INJECTABLE_STATUSES.join(', ')}, drop, store-500 or store-drop`,
  );
}

/** Parses one comma-separated item of the string form. */
function parseItem(item: string): FaultRule {
  const [name, ...args] = item.split(':').map((part) => part.trim());
  const lower = name.toLowerCase();

  if (/^\d{3}$/.test(lower)) {
    const status = Number(lower);
    if (!(INJECTABLE_STATUSES as readonly number[]).includes(status)) {
      invalidSpec(
        item,
        `不支持状态码 ${status}，可用 ${INJECTABLE_STATUSES.join('、')}`,
        `status ${status} is not supported, use one of ${INJECTABLE_STATUSES.join(', ')}`,
      );
    }
    return parseStatusItem(item, status as InjectableStatus, args);
  }

  switch (lower) {
    case 'slow': {
      if (args.length < 1 || args.length > 2) {
        invalidSpec(item, '写法为 slow:毫秒[:比例或次数]', 'the form is slow:MS[:share-or-count]');
      }
      const delayMs = parsePositiveInteger(item, args[0], { zh: '延迟毫秒数', en: 'the delay in ms' });
      return { type: 'slow', delayMs, ...(args[1] ? parseTrigger(item, args[1]) : {}) };
    }
    case 'drop': {
      if (args.length > 1) invalidSpec(item, '写法为 drop[:比例或次数]', 'the form is drop[:share-or-count]');
      return { type: 'drop', ...(args[0] ? parseTrigger(item, args[0]) : {}) };
    }
    case 'store-fail': {
      const { plain, named } = splitArgs(args);
      rejectUnknownNames(item, named, ['answer']);
      const then = plain[0];
      if (then !== '500' && then !== 'drop') {
        invalidSpec(item, '写法为 store-fail:500 或 store-fail:drop', 'the form is store-fail:500 or store-fail:drop');
      }
      const answer = named.get('answer') ?? 'kept';
      if (answer !== 'kept' && answer !== 'lost') {
        invalidSpec(item, `answer 只能是 kept 或 lost，实际为 "${answer}"`, `answer must be kept or lost, got "${answer}"`);
      }
      return {
        type: 'storeThenFail',
        then: then === '500' ? 500 : 'drop',
        forgetAnswer: answer === 'lost',
        ...(plain[1] ? parseTrigger(item, plain[1]) : {}),
      };
    }
    case 'reject': {
      const { plain, named } = splitArgs(args);
      rejectUnknownNames(item, named, ['code', 'message', 'field']);
      const keys = (plain[0] ?? '').split(';').filter((key) => key.length > 0);
      if (keys.length === 0 || plain.length > 1) {
        invalidSpec(item, '写法为 reject:键1;键2[:code=…][:message=…][:field=…]', 'the form is reject:KEY1;KEY2[:code=…][:message=…][:field=…]');
      }
      return { type: 'rejectKeys', keys, code: named.get('code'), message: named.get('message'), field: named.get('field') };
    }
    case 'not-opened': {
      if (args.length !== 1 || args[0] === '') {
        invalidSpec(item, '写法为 not-opened:接口ID', 'the form is not-opened:INTERFACE_ID');
      }
      return { type: 'interfaceNotOpened', interfaceId: args[0] };
    }
    case 'seq': {
      if (args.length !== 1 || args[0] === '') {
        invalidSpec(item, '写法为 seq:503/503/200', 'the form is seq:503/503/200');
      }
      return { type: 'sequence', steps: args[0].split('/').map((step) => parseSequenceStep(item, step.trim())) };
    }
    default:
      return invalidSpec(
        item,
        `不认识的故障 "${name}"，可用：状态码、slow、drop、store-fail、reject、not-opened、seq`,
        `unknown fault "${name}", use a status code, slow, drop, store-fail, reject, not-opened or seq`,
      );
  }
}

/** Parses the `--faults` string form into a spec; an empty string means no faults. */
export function parseFaultSpec(text: string): FaultSpec {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

  return { rules: items.map(parseItem) };
}

const TriggerShape = {
  share: z.number().min(0).max(1).optional(),
  count: z.number().int().nonnegative().optional(),
};

const SequenceStepSchema = z.union([
  z.number().int().refine((status) => status === 200 || (INJECTABLE_STATUSES as readonly number[]).includes(status), {
    message: `a status step must be 200 or one of ${INJECTABLE_STATUSES.join(', ')}`,
  }),
  z.enum(['drop', 'store-500', 'store-drop']),
]);

const FaultRuleSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('status'),
      status: z.union(INJECTABLE_STATUSES.map((status) => z.literal(status)) as [z.ZodLiteral<InjectableStatus>, ...z.ZodLiteral<InjectableStatus>[]]),
      retryAfterSeconds: z.number().int().nonnegative().optional(),
      retryAfterForm: z.enum(['seconds', 'date']).optional(),
      ...TriggerShape,
    })
    .strict(),
  z.object({ type: z.literal('slow'), delayMs: z.number().int().nonnegative(), ...TriggerShape }).strict(),
  z.object({ type: z.literal('drop'), ...TriggerShape }).strict(),
  z
    .object({
      type: z.literal('storeThenFail'),
      then: z.union([z.literal(500), z.literal('drop')]),
      forgetAnswer: z.boolean().optional(),
      ...TriggerShape,
    })
    .strict(),
  z
    .object({
      type: z.literal('rejectKeys'),
      keys: z.array(z.string().min(1)).min(1),
      code: z.string().optional(),
      message: z.string().optional(),
      field: z.string().optional(),
    })
    .strict(),
  z.object({ type: z.literal('interfaceNotOpened'), interfaceId: z.string().min(1) }).strict(),
  z.object({ type: z.literal('sequence'), steps: z.array(SequenceStepSchema).min(1) }).strict(),
]);

/** Body of `POST /_sandbox/faults`: the string form, the rule list, or both. */
const FaultRequestSchema = z
  .object({
    spec: z.string().optional(),
    rules: z.array(FaultRuleSchema).optional(),
    /** Add to the active faults instead of replacing them. */
    append: z.boolean().optional(),
  })
  .strict();

export interface FaultRequest {
  spec: FaultSpec;
  append: boolean;
}

/**
 * Parses the JSON body of `POST /_sandbox/faults`. Raises a bilingual error
 * naming the first invalid key, like `parseFaultSpec` does for the string form.
 */
export function parseFaultRequest(value: unknown): FaultRequest {
  const parsed = FaultRequestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.') || '(root)';
    invalidSpec(JSON.stringify(value)?.slice(0, 200) ?? String(value), `${where}：${issue.message}`, `${where}: ${issue.message}`);
  }

  const rules: FaultRule[] = [];
  if (parsed.data.spec !== undefined) rules.push(...parseFaultSpec(parsed.data.spec).rules);
  if (parsed.data.rules !== undefined) rules.push(...(parsed.data.rules as FaultRule[]));
  return { spec: { rules }, append: parsed.data.append ?? false };
}
