/**
 * Spaces request starts evenly so the client stays under the platform's
 * requests-per-second limit instead of bursting and collecting 429s, and
 * delays every request while the platform has asked to wait
 * (Retry-After), so batches in flight do not keep hitting a limited server.
 */
export class RatePacer {
  readonly #intervalMs: number;
  #nextSlot = 0;
  #pausedUntil = 0;

  /**
   * `requestsPerSecond` of 0 turns pacing off; pauses still apply. Requests
   * are spaced for a rate 3% below the limit, because timers fire late by a
   * few milliseconds and a server counting a one-second window would see a
   * late request and the next one as two in the same second.
   */
  constructor(requestsPerSecond: number) {
    this.#intervalMs = requestsPerSecond > 0 ? 1000 / (requestsPerSecond * RATE_MARGIN) : 0;
  }

  /** Holds every request that has not started yet for `ms` from now. */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + ms);
  }

  async wait(signal?: AbortSignal): Promise<void> {
    // Loop because another caller may take the slot, or a pause may begin,
    // while this one sleeps.
    for (;;) {
      const now = performance.now();
      const start = Math.max(this.#nextSlot, this.#pausedUntil);
      if (start <= now || signal?.aborted) {
        // Spacing counts from when the request really starts, not from its slot.
        this.#nextSlot = now + this.#intervalMs;
        return;
      }
      await sleep(start - now, signal);
    }
  }
}

/** Share of the allowed rate the pacer aims for. */
const RATE_MARGIN = 0.97;

/** Waits `ms`, ending early when the signal aborts; removes its listener either way. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
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
