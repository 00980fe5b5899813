import pRetry, { AbortError } from 'p-retry';

import type { Logger } from '../../pipelines/logger.js';
import { buildEnvelope } from './envelope.js';
import type { Profile } from './profile-schema.js';
import { RatePacer } from './rate-pacer.js';
import { pollReceipts, type ReceiptOutcome } from './receipts.js';
import { type PlatformAnswer, readAnswer } from './response-reader.js';
import {
  MessageRejectedError,
  PayloadTooLargeError,
  RateLimitedUntilError,
  TransientSendError,
  isRetryableStatus,
  parseRetryAfter,
} from './retry-policy.js';
import type { Signer } from './signer.js';

export interface RetrySettings {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After wait accepted; longer ones end the run cleanly. */
  maxWaitMs: number;
}

export interface PlatformClientOptions {
  profile: Profile;
  endpoint: string;
  senderId: string;
  signer: Signer;
  keyId?: string;
  timeoutMs?: number;
  requestsPerSecond?: number;
  retry: RetrySettings;
  logger: Logger;
}

/** A batch as the client needs it: its id, kind and the exact payload text. */
export interface SendRequest {
  messageId: string;
  kind: string;
  payloadText: string;
}

/** The platform's final word on a message, after retries and receipt polling. */
export interface SendResult {
  outcome: 'accepted' | 'duplicate';
  answer: PlatformAnswer;
  /** Per-record outcome from an asynchronous receipt, when the profile polls. */
  receipt?: ReceiptOutcome;
  attempts: number;
}

/**
 * Sends signed messages to the platform. Each attempt builds a fresh
 * envelope (new timestamp, nonce and signature) around the same messageId
 * and payload text, so a resend is recognisably the same message.
 */
export class PlatformClient {
  readonly #options: PlatformClientOptions;
  readonly #pacer: RatePacer;

  constructor(options: PlatformClientOptions) {
    this.#options = options;
    this.#pacer = new RatePacer(options.requestsPerSecond ?? options.profile.limits.requestsPerSecond);
  }

  /**
   * Sends one message, retrying transient failures with backoff. Throws
   * MessageRejectedError, PayloadTooLargeError, RateLimitedUntilError, or the
   * last TransientSendError when retries run out.
   */
  async send(request: SendRequest, signal?: AbortSignal): Promise<SendResult> {
    const { retry, logger } = this.#options;
    let attempts = 0;

    const answer = await pRetry(
      async () => {
        attempts++;
        return this.#attempt(request, signal);
      },
      {
        retries: retry.retries,
        factor: 2,
        minTimeout: retry.minDelayMs,
        maxTimeout: retry.maxDelayMs,
        randomize: true,
        signal,
        shouldRetry: ({ error }) => error instanceof TransientSendError,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (!(error instanceof TransientSendError)) return;

          const waitMs = error.retryAfterMs;
          if (waitMs !== undefined && waitMs > retry.maxWaitMs) {
            throw new RateLimitedUntilError(new Date(Date.now() + waitMs));
          }
          logger.warn(`send attempt ${attemptNumber} failed, ${retriesLeft} retries left: ${error.message}`, {
            event: 'send.retry',
            messageId: request.messageId,
            status: error.status,
            retryAfterMs: waitMs,
          });
          // The pause delays this retry and every other request of the client.
          if (waitMs !== undefined) this.#pacer.pauseFor(waitMs);
        },
      },
    );

    if (answer.errorClass === 'DUPLICATE_MESSAGE') return { outcome: 'duplicate', answer, attempts };

    const receiptSpec = this.#options.profile.receipts;
    if (receiptSpec.mode === 'poll') {
      const receipt = await pollReceipts({
        profile: this.#options.profile,
        endpoint: this.#options.endpoint,
        messageId: request.messageId,
        timeoutMs: this.#timeoutMs(),
        logger,
        signal,
      });
      return { outcome: 'accepted', answer, receipt, attempts };
    }
    return { outcome: 'accepted', answer, attempts };
  }

  async #attempt(request: SendRequest, signal?: AbortSignal): Promise<PlatformAnswer> {
    const { profile, endpoint, senderId, signer, keyId } = this.#options;

    await this.#pacer.wait(signal);

    const envelope = buildEnvelope({
      profile,
      signer,
      senderId,
      kind: request.kind,
      messageId: request.messageId,
      dataText: request.payloadText,
      keyId,
    });
    const url = this.#urlFor(request.kind);

    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': profile.transport.contentType },
        body: envelope.body,
        signal: combineSignals(AbortSignal.timeout(this.#timeoutMs()), signal),
      });
    } catch (error) {
      if (signal?.aborted) throw new AbortError(toError(error));
      throw new TransientSendError(`no response from ${url}: ${describeFetchError(error)}`, { cause: error });
    }

    return this.#interpret(response, request);
  }

  async #interpret(response: Response, request: SendRequest): Promise<PlatformAnswer> {
    const { profile } = this.#options;
    const text = await response.text().catch((error: unknown) => {
      throw new TransientSendError(`the response was cut off: ${describeFetchError(error)}`, { cause: error });
    });

    if (response.status === 413) throw new PayloadTooLargeError();

    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), response.headers.get('date'));
    if (isRetryableStatus(response.status)) {
      throw new TransientSendError(`HTTP ${response.status} for message ${request.messageId}`, {
        status: response.status,
        retryAfterMs,
      });
    }

    const json = parseJson(text);
    if (json === undefined) {
      throw new MessageRejectedError('SERVER_ERROR', response.status, String(response.status), `not JSON: ${text.slice(0, 200)}`);
    }

    const answer = readAnswer(profile, json);
    if (response.status === 409) return { ...answer, errorClass: 'DUPLICATE_MESSAGE' };
    if (answer.success) return answer;

    const errorClass = answer.errorClass ?? (response.status >= 400 ? 'VALIDATION' : 'SERVER_ERROR');
    if (errorClass === 'DUPLICATE_MESSAGE') return { ...answer, errorClass };
    if (profile.response.retryable.includes(errorClass)) {
      throw new TransientSendError(`platform code ${answer.code} (${errorClass}): ${answer.message}`, {
        status: response.status,
        retryAfterMs,
      });
    }
    throw new MessageRejectedError(errorClass, response.status, answer.code, answer.message);
  }

  #urlFor(kind: string): string {
    const { profile, endpoint } = this.#options;
    const transport = profile.transport;
    const interfaceId = profile.kinds[kind]?.interfaceId ?? '';
    const routePath =
      transport.routing === 'perInterface' ? (transport.interfacePaths[interfaceId] ?? '') : transport.gatewayPath;

    return new URL(routePath, endpoint.endsWith('/') ? endpoint : endpoint + '/').toString();
  }

  #timeoutMs(): number {
    return this.#options.timeoutMs ?? this.#options.profile.transport.timeoutMs;
  }
}

function combineSignals(a: AbortSignal, b: AbortSignal | undefined): AbortSignal {
  return b ? AbortSignal.any([a, b]) : a;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return error.name === 'TimeoutError' ? 'timed out' : `${error.message}${cause}`;
  }
  return String(error);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Waits, ending early without error when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
