/** A small seeded PRNG (mulberry32): the same seed gives the same run, so a failure replays. */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/** Seeds for a run: `OVERTURE_FAULT_SEED` (or the given variable) replays one; otherwise `count` from `first`. */
export function seedsFromEnv(count: number, first = 1, variable = 'OVERTURE_FAULT_SEED'): number[] {
  const fixed = process.env[variable];
  if (fixed) return fixed.split(',').map((seed) => Number(seed));
  return Array.from({ length: count }, (_, i) => first + i);
}
