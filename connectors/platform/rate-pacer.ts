/**
 * Spaces request starts evenly so the client stays under the platform's
 * requests-per-second limit instead of bursting and collecting 429s.
 */
export class RatePacer {
  readonly #intervalMs: number;
  #nextSlot = 0;

  /** `requestsPerSecond` of 0 turns pacing off. */
  constructor(requestsPerSecond: number) {
    this.#intervalMs = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (this.#intervalMs === 0) return;

    const now = performance.now();
    const start = Math.max(now, this.#nextSlot);
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
