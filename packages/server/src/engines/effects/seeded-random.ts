/** A seeded pseudo-random source (mulberry32): same seed, same sequence. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  range(low: number, high: number): number;
  /** Uniform in [-1, 1). */
  signed(): number;
  /** A new independent source derived from this one and `salt`. */
  fork(salt: number): Random;
}

/** Create a seeded random source. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    range: (low, high) => low + (high - low) * next(),
    signed: () => next() * 2 - 1,
    // Integer arithmetic throughout: a float product of a large salt would swallow the seed's low bits.
    fork: (salt) => createRandom((Math.imul(seed ^ 0x9e3779b9, 31) + Math.imul(salt >>> 0, 0x85ebca6b)) >>> 0),
  };
}

/** FNV-1a hash of a string, for seeding from words. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
