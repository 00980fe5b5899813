import type { FaultRule, FaultSpec, InjectableStatus, RetryAfterForm, SequenceStep } from './fault-spec.js';

export { parseFaultRequest, parseFaultSpec } from './fault-spec.js';
export type { FaultRule, FaultSpec, SequenceStep } from './fault-spec.js';

/** Effect of the faults on one message submission, applied after the optional delay. */
export type FaultEffect =
  | { action: 'pass' }
  | { action: 'status'; status: InjectableStatus; retryAfterSeconds?: number; retryAfterForm?: RetryAfterForm }
  | { action: 'drop' }
  | { action: 'storeThenFail'; then: 500 | 'drop'; forgetAnswer: boolean };

export interface FaultDecision {
  /** Milliseconds to wait before the request is handled. */
  delayMs: number;
  effect: FaultEffect;
  /** Short names of the faults that fired, for the request log. */
  labels: string[];
}

/** A forced record rejection from a `rejectKeys` rule. */
export interface ForcedRejection {
  code?: string;
  message?: string;
  field?: string;
}

interface ActiveRule {
  rule: FaultRule;
  /** Requests left for a count trigger; undefined means no count limit. */
  remaining?: number;
  fired: number;
  /** Position in a sequence script: the number of submissions it has seen. */
  position: number;
}

/** Read-only view of the active faults, served at `GET /_sandbox/faults`. */
export interface FaultSnapshot {
  submissions: number;
  rules: Array<{ rule: FaultRule; fired: number; remaining?: number; position?: number }>;
}

/**
 * Decides, per message submission, which injected faults apply. Rules fire
 * in spec order. A running sequence script decides alone. Otherwise every
 * firing `slow` rule adds its delay, and the first firing drop, status or
 * store-then-fail rule sets the effect. Record rejections and closed
 * interfaces are looked up separately while the message is processed.
 */
export class FaultInjector {
  private active: ActiveRule[] = [];
  private submissions = 0;
  private readonly random: () => number;

  constructor(spec?: FaultSpec, random: () => number = Math.random) {
    this.random = random;
    if (spec) this.set(spec);
  }

  /** Replaces the active faults; counts and sequence positions start again. */
  set(spec: FaultSpec): void {
    this.active = spec.rules.map((rule) => this.activate(rule));
  }

  add(spec: FaultSpec): void {
    this.active.push(...spec.rules.map((rule) => this.activate(rule)));
  }

  clear(): void {
    this.active = [];
  }

  snapshot(): FaultSnapshot {
    return {
      submissions: this.submissions,
      rules: this.active.map((entry) => ({
        rule: entry.rule,
        fired: entry.fired,
        ...(entry.remaining !== undefined ? { remaining: entry.remaining } : {}),
        ...(entry.rule.type === 'sequence' ? { position: entry.position } : {}),
      })),
    };
  }

  /** Decides the faults for the next message submission; call once per submission. */
  decide(): FaultDecision {
    this.submissions += 1;

    const sequenceDecision = this.nextSequenceStep();
    if (sequenceDecision) return sequenceDecision;

    const decision: FaultDecision = { delayMs: 0, effect: { action: 'pass' }, labels: [] };
    for (const entry of this.active) {
      const rule = entry.rule;
      if (rule.type === 'slow') {
        if (this.fires(entry)) {
          decision.delayMs += rule.delayMs;
          decision.labels.push(`slow:${rule.delayMs}`);
        }
        continue;
      }
      if (decision.effect.action !== 'pass') continue;

      const effect = effectOf(rule);
      if (effect && this.fires(entry)) {
        decision.effect = effect;
        decision.labels.push(labelOf(effect));
      }
    }
    return decision;
  }

  /** Returns the forced rejection for a record key, if a `rejectKeys` rule names it. */
  rejectionFor(recordKey: string): ForcedRejection | undefined {
    for (const entry of this.active) {
      const rule = entry.rule;
      if (rule.type === 'rejectKeys' && rule.keys.includes(recordKey)) {
        entry.fired += 1;
        return { code: rule.code, message: rule.message, field: rule.field };
      }
    }
    return undefined;
  }

  isInterfaceClosed(interfaceId: string): boolean {
    return this.active.some((entry) => entry.rule.type === 'interfaceNotOpened' && entry.rule.interfaceId === interfaceId);
  }

  private activate(rule: FaultRule): ActiveRule {
    const count = 'count' in rule ? rule.count : undefined;
    return { rule, remaining: count, fired: 0, position: 0 };
  }

  /** Applies a rule's trigger: a count fires until spent, a share by chance, neither means always. */
  private fires(entry: ActiveRule): boolean {
    const rule = entry.rule;
    let fired: boolean;

    if (entry.remaining !== undefined) {
      fired = entry.remaining > 0;
      if (fired) entry.remaining -= 1;
    } else if ('share' in rule && rule.share !== undefined) {
      fired = this.random() < rule.share;
    } else {
      fired = true;
    }

    if (fired) entry.fired += 1;
    return fired;
  }

  /** Takes the next step of the first sequence script that still has steps. */
  private nextSequenceStep(): FaultDecision | undefined {
    for (const entry of this.active) {
      if (entry.rule.type !== 'sequence' || entry.position >= entry.rule.steps.length) continue;

      const step = entry.rule.steps[entry.position];
      entry.position += 1;
      entry.fired += 1;
      const effect = effectOfStep(step);
      return { delayMs: 0, effect, labels: [`seq#${entry.position}:${step}`] };
    }
    return undefined;
  }
}

function effectOf(rule: FaultRule): FaultEffect | undefined {
  switch (rule.type) {
    case 'status':
      return {
        action: 'status',
        status: rule.status,
        retryAfterSeconds: rule.retryAfterSeconds,
        retryAfterForm: rule.retryAfterForm,
      };
    case 'drop':
      return { action: 'drop' };
    case 'storeThenFail':
      return { action: 'storeThenFail', then: rule.then, forgetAnswer: rule.forgetAnswer ?? false };
    default:
      return undefined;
  }
}

function effectOfStep(step: SequenceStep): FaultEffect {
  if (step === 'drop') return { action: 'drop' };
  if (step === 'store-500') return { action: 'storeThenFail', then: 500, forgetAnswer: false };
  if (step === 'store-drop') return { action: 'storeThenFail', then: 'drop', forgetAnswer: false };
  if (step === 200) return { action: 'pass' };
  return { action: 'status', status: step as InjectableStatus };
}

function labelOf(effect: FaultEffect): string {
  switch (effect.action) {
    case 'status':
      return String(effect.status);
    case 'drop':
      return 'drop';
    case 'storeThenFail':
      return `store-fail:${effect.then}${effect.forgetAnswer ? ':answer=lost' : ''}`;
    default:
      return 'pass';
  }
}
