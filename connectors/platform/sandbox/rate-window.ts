/**
 * A sliding one-second window over admitted requests, for the sandbox's
 * optional enforcement of `limits.requestsPerSecond`.
 */
export class RateWindow {
  private readonly admitted: number[] = [];

  /** `requestsPerSecond` 0 admits every request. */
  constructor(private readonly requestsPerSecond: number) {}

  /**
   * Admits a request at `nowMs` and returns undefined, or returns the
   * Retry-After in whole seconds (at least 1) when the window is full.
   */
  admit(nowMs: number): number | undefined {
    if (this.requestsPerSecond <= 0) return undefined;

    while (this.admitted.length > 0 && this.admitted[0] <= nowMs - 1000) this.admitted.shift();
    if (this.admitted.length >= this.requestsPerSecond) {
      const waitMs = this.admitted[0] + 1000 - nowMs;
      return Math.max(1, Math.ceil(waitMs / 1000));
    }

    this.admitted.push(nowMs);
    return undefined;
  }
}
