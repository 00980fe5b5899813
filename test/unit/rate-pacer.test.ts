import { describe, expect, it } from 'vitest';

import { RatePacer } from '../../connectors/platform/rate-pacer.js';

describe('rate pacer', () => {
  it('spaces concurrent callers below the limit', async () => {
    const pacer = new RatePacer(50);
    const starts: number[] = [];

    await Promise.all(
      Array.from({ length: 6 }, async () => {
        await pacer.wait();
        starts.push(performance.now());
      }),
    );

    starts.sort((a, b) => a - b);
    const gaps = starts.slice(1).map((start, index) => start - starts[index]);
    // 50 requests/s with a 3% margin is one request per 20.6 ms; timers may fire 1 ms early.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(19.5);
  });

  it('holds every request during a pause', async () => {
    const pacer = new RatePacer(0);
    const before = performance.now();

    pacer.pauseFor(150);
    await Promise.all([pacer.wait(), pacer.wait()]);

    expect(performance.now() - before).toBeGreaterThanOrEqual(145);
  });
});
