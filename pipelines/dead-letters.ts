import { OwhError } from '../config/errors.js';
import { bi } from '../config/i18n.js';
import type { FieldProblem } from './record-types.js';
import type { DeadLetterInput } from './state/state-store.js';

export interface ThresholdSettings {
  maxCount?: number;
  maxRatio?: number;
}

/** Ratios are judged only after this many rows, so one early bad row does not abort a run. */
const MIN_ROWS_FOR_RATIO = 100;

/**
 * Aborts a run when too many records fail mapping or validation: past that
 * point the mapping or the source is probably wrong, and sending the rest
 * would only fill the dead-letter store.
 */
export class ThresholdGuard {
  readonly #pipeline: string;
  readonly #settings: ThresholdSettings;

  constructor(pipeline: string, settings: ThresholdSettings) {
    this.#pipeline = pipeline;
    this.#settings = settings;
  }

  check(deadLettered: number, read: number): void {
    const { maxCount, maxRatio } = this.#settings;

    if (maxCount !== undefined && deadLettered > maxCount) {
      throw new OwhError(
        'threshold-exceeded',
        bi(
          `管道 ${this.#pipeline}：已有 ${deadLettered} 条记录进入死信，超过上限 ${maxCount}，运行中止。请用 owh-sync dead-letters list 查看原因，修正映射或数据后重新运行。`,
          `pipeline ${this.#pipeline}: ${deadLettered} records were dead-lettered, more than the limit of ${maxCount}, so the run stopped. Run owh-sync dead-letters list to see why, fix the mapping or the data, then run again.`,
        ),
      );
    }
    if (maxRatio !== undefined && read >= MIN_ROWS_FOR_RATIO && deadLettered / read > maxRatio) {
      const share = ((deadLettered / read) * 100).toFixed(1);
      throw new OwhError(
        'threshold-exceeded',
        bi(
          `管道 ${this.#pipeline}：${read} 行中有 ${deadLettered} 行（${share}%）进入死信，超过比例上限 ${maxRatio * 100}%，运行中止。请用 owh-sync dead-letters list 查看原因。`,
          `pipeline ${this.#pipeline}: ${deadLettered} of ${read} rows (${share}%) were dead-lettered, above the ratio limit of ${maxRatio * 100}%, so the run stopped. Run owh-sync dead-letters list to see why.`,
        ),
      );
    }
  }
}

/** Builds a dead letter for a record that failed mapping or validation, with every problem. */
export function problemsToDeadLetter(
  pipeline: string,
  runId: string,
  kind: string,
  recordKey: string,
  stage: 'map' | 'validate',
  problems: FieldProblem[],
  sourceRow: unknown,
  payload?: unknown,
): DeadLetterInput {
  return {
    pipeline,
    runId,
    kind,
    recordKey,
    stage,
    reasonCode: problems[0]?.code ?? 'invalid',
    detail: problems,
    sourceRow,
    payload,
  };
}
