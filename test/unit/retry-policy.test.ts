import { describe, expect, it } from 'vitest';

import { backoffDelay, parseRetryAfter } from '../../connectors/platform/retry-policy.js';

describe('Retry-After parsing', () => {
  it('reads delay seconds', () => {
    expect(parseRetryAfter('30', null)).toBe(30_000);
  });

  it('reads an HTTP date against the Date header', () => {
    const wait = parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', 'Wed, 21 Oct 2026 07:27:00 GMT', Date.parse('2030-01-01T00:00:00Z'));
    expect(wait).toBe(60_000);
  });

  it('ignores a malformed value', () => {
    expect(parseRetryAfter('1000abc', null)).toBeUndefined();
    expect(parseRetryAfter('', null)).toBeUndefined();
    expect(parseRetryAfter(null, null)).toBeUndefined();
  });
});

describe('backoff delay', () => {
  it('grows and stays under the cap', () => {
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(backoffDelay(20, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffDelay(3, 1000, 60_000, () => 0)).toBe(500);
  });
});
