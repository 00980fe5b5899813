import { type Bilingual, render } from './i18n.js';

/**
 * Failure category that the CLI turns into an exit code. The codes are part
 * of the command's contract, so scripts can tell the cases apart.
 */
export type ErrorCategory =
  | 'config'
  | 'source-unreachable'
  | 'platform-unreachable'
  | 'records-rejected'
  | 'threshold-exceeded'
  | 'key'
  | 'internal';

export const EXIT_CODES: Record<ErrorCategory, number> = {
  config: 2,
  'source-unreachable': 3,
  'platform-unreachable': 4,
  'records-rejected': 5,
  'threshold-exceeded': 6,
  key: 7,
  internal: 1,
};

/**
 * An error meant for a person: a bilingual message that names the value and
 * the fix, a category for the exit code and optional structured details.
 */
export class OwhError extends Error {
  readonly category: ErrorCategory;
  readonly text: Bilingual;
  readonly details: Record<string, unknown>;

  constructor(
    category: ErrorCategory,
    text: Bilingual,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(text.en, { cause: options.cause });
    this.name = 'OwhError';
    this.category = category;
    this.text = text;
    this.details = options.details ?? {};
  }

  /** Returns the message in the active language. */
  localized(): string {
    return render(this.text);
  }
}

/** Turns any thrown value into an Error, keeping the original as the cause. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(String(value), { cause: value });
}
