/**
 * Spaces request starts evenly so the client stays under the platform's
 * requests-per-second limit instead of bursting and collecting 429s, and
 * holds every request back while the platform has asked to wait
 * (Retry-After), so batches in flight do not keep hitting a limited server.
 */
export class RatePacer {
  readonly #intervalMs: number;
  #nextSlot = 0;
  #pausedUntil = 0;

  /** `requestsPerSecond` of 0 turns pacing off; pauses still apply. */
  constructor(requestsPerSecond: number) {
    this.#intervalMs = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
  }

  /** Holds every request that has not started yet for `ms` from now. */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + ms);
  }

  async wait(signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    const start = Math.max(now, this.#nextSlot, this.#pausedUntil);
    this.#nextSlot = start + this.#intervalMs;

    const delay = start - now;
    if (delay <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
