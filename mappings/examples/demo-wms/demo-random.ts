/**
 * A small seeded pseudo-random generator for the demo data. The demo must
 * produce the same bytes for the same seed on every platform and Node
 * version, so it cannot use Math.random(). The state is four 32-bit words
 * updated with xorshift steps (period 2^128 - 1). That is plenty for
 * invented sample rows, and the generator is not cryptographically secure.
 */
export class DemoRandom {
  private readonly state = new Uint32Array(4);

  /** Seeds the generator from an integer and an optional stream name. */
  constructor(seed: number, stream = '') {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`DemoRandom: seed must be a safe integer, got ${seed}`);
    }

    // Spread the seed and the stream name over the four words with a
    // multiply-xorshift hash, so seeds 1 and 2 give unrelated sequences.
    let h = (seed ^ 0x9e3779b9) >>> 0;
    h = mix32(h ^ Math.floor(seed / 0x1_0000_0000));
    for (let i = 0; i < stream.length; i++) {
      h = mix32(h ^ stream.charCodeAt(i));
    }
    for (let i = 0; i < 4; i++) {
      h = mix32(h + 0x6d2b79f5 * (i + 1));
      this.state[i] = h;
    }

    // An all-zero state would stay zero forever.
    if (this.state.every((word) => word === 0)) this.state[0] = 1;
  }

  /** Returns the next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    let t = s[0]!;
    t ^= t << 11;
    t ^= t >>> 8;

    const last = s[3]!;
    s[0] = s[1]!;
    s[1] = s[2]!;
    s[2] = last;
    // Uint32Array stores the result modulo 2^32, so the sign of t does not matter.
    s[3] = last ^ (last >>> 19) ^ t;
    return s[3]!;
  }

  /** Returns an integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`DemoRandom.int: invalid range [${min}, ${max}]`);
    }

    const span = max - min + 1;
    if (span <= 0x1_0000_0000) return min + (this.nextUint32() % span);

    // Wide ranges (microsecond timestamps) combine two draws into 53 bits.
    const wide = this.nextUint32() * 0x20_0000 + (this.nextUint32() >>> 11);
    return min + (wide % span);
  }

  /** Returns true with the given probability (0..1). */
  chance(probability: number): boolean {
    return this.nextUint32() < probability * 0x1_0000_0000;
  }

  /** Returns one element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('DemoRandom.pick: the array is empty');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Returns one element, chosen with the given relative integer weights. */
  pickWeighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    if (total <= 0) throw new RangeError('DemoRandom.pickWeighted: the weights add up to zero');

    let draw = this.int(1, total);
    for (const [item, weight] of items) {
      draw -= weight;
      if (draw <= 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Returns a string of `length` decimal digits (leading zeros allowed). */
  digits(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += String(this.int(0, 9));
    return text;
  }

  /** Returns `count` distinct elements in random order (all of them when count exceeds the length). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const size = Math.min(count, copy.length);
    for (let i = 0; i < size; i++) {
      const j = this.int(i, copy.length - 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, size);
  }
}

function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
