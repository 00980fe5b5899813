import type { ErrorClass } from './profile-schema.js';

/**
 * Which failures of a send are worth another attempt with the same
 * messageId, and how long to wait. Retrying a request the platform rejected
 * for its content or its signature only delays the failure and, for
 * signatures, may lock the sender out, so only these are retried:
 *
 * | failure                         | retried | why                                  |
 * | ------------------------------- | ------- | ------------------------------------ |
 * | network error, timeout          | yes     | the request may not have arrived     |
 * | HTTP 408, 429, 5xx              | yes     | the platform requests a later retry  |
 * | class RATE_LIMITED, SERVER_ERROR| yes     | same, carried in the reply code      |
 * | HTTP 413                        | no      | the batch is split in halves instead |
 * | HTTP 409, DUPLICATE_MESSAGE     | no      | the data is already stored: success  |
 * | 400, 401, 403, 404, 422, others | no      | resending the same bytes cannot help |
 */

/** A failure that another attempt may cure. */
export class TransientSendError extends Error {
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'TransientSendError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The platform asked us to wait longer than the run accepts. */
export class RateLimitedUntilError extends Error {
  readonly until: Date;

  constructor(until: Date) {
    super(`rate limited until ${until.toISOString()}`);
    this.name = 'RateLimitedUntilError';
    this.until = until;
  }
}

/** The platform refused the body as too large; the caller splits the batch. */
export class PayloadTooLargeError extends Error {
  constructor() {
    super('the platform answered 413: the message body is too large');
    this.name = 'PayloadTooLargeError';
  }
}

/** The platform rejected the whole message for a reason a resend cannot cure. */
export class MessageRejectedError extends Error {
  readonly errorClass: ErrorClass;
  readonly status: number;
  readonly code: string;
  readonly platformMessage: string;

  constructor(errorClass: ErrorClass, status: number, code: string, platformMessage: string) {
    super(`the platform rejected the message: ${errorClass} (HTTP ${status}, code ${code}): ${platformMessage}`);
    this.name = 'MessageRejectedError';
    this.errorClass = errorClass;
    this.status = status;
    this.code = code;
    this.platformMessage = platformMessage;
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Reads a Retry-After header: delay-seconds (digits only) or an HTTP date.
 * A date is measured against the response's own Date header when present,
 * so a skewed local clock does not stretch or shrink the wait. Anything else
 * (`1000abc`, empty) returns undefined and normal backoff applies.
 */
export function parseRetryAfter(header: string | null, dateHeader: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();

  if (/^\d+$/.test(value)) return Number(value) * 1000;

  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
  const target = Date.parse(value);
  if (Number.isNaN(target)) return undefined;

  const serverNow = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  const reference = Number.isNaN(serverNow) ? now : serverNow;
  return Math.max(0, target - reference);
}

/** Exponential backoff with full jitter, so many clients do not retry in step. */
export function backoffDelay(attempt: number, minDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(minDelayMs / 2 + random() * (ceiling - minDelayMs / 2));
}
