/**
 * The one seeded pseudo-random source of the built-in engines (mulberry32): the same seed gives
 * the same sequence, so the same request gives the same audio. Effects and music both draw from it.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  range(low: number, high: number): number;
  /** Uniform in [-1, 1). */
  signed(): number;
  /** An integer in [0, bound). */
  integer(bound: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A new source whose stream depends on this one's seed and `label`, not on how far this one has run. */
  fork(label: string): Random;
}

/** Create a seeded random source from a 32-bit seed. */
export function createRandom(seed: number): Random {
  const base = seed >>> 0;
  let state = base;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    range: (low, high) => low + (high - low) * next(),
    signed: () => next() * 2 - 1,
    integer: (bound) => Math.floor(next() * bound),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    fork: (label) => createRandom(hashText(label, base)),
  };
}

/** 32-bit FNV-1a hash of a string, mixed with an optional seed: for seeding from words. */
export function hashText(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A seed derived from `seed` and a numeric `salt`, for a source independent of the one `seed`
 * starts. Integer arithmetic throughout: a float product of a large salt would swallow the seed's
 * low bits.
 */
export function mixSeed(seed: number, salt: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 31) + Math.imul(salt >>> 0, 0x85ebca6b)) >>> 0;
}
