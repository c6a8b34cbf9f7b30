import type { Stereo } from './dsp.js';
import type { Random } from './seeded-random.js';

/** Everything a family renderer needs: length, randomness and the shaping modifiers. */
export interface SynthContext {
  readonly sampleRate: number;
  readonly frames: number;
  readonly random: Random;
  /** 0.5 (light) … 1.6 (heavy). */
  readonly intensity: number;
  /** 0.6 (slow) … 1.6 (fast). */
  readonly speed: number;
  readonly short: boolean;
  readonly metallic: boolean;
  /** Prompt words, for variants (e.g. "siren" vs "alarm", "beep" vs "click"). */
  readonly words: readonly string[];
}

/** Renders one family to a stereo buffer of exactly `context.frames` samples. */
export type EffectRenderer = (context: SynthContext) => Stereo;

/** A decaying sine "ping" of `seconds` at `frequency` (optional linear glide to `endFrequency`). */
export function ping(sampleRate: number, seconds: number, frequency: number, decay: number, endFrequency = frequency): Float32Array {
  const frames = Math.max(1, Math.round(seconds * sampleRate));
  const out = new Float32Array(frames);
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    const progress = i / frames;
    phase += (2 * Math.PI * (frequency + (endFrequency - frequency) * progress)) / sampleRate;
    const attack = Math.min(1, i / (sampleRate * 0.001));
    const release = Math.min(1, (frames - i) / (frames * 0.1));
    out[i] = Math.sin(phase) * Math.exp((-decay * i) / sampleRate) * attack * release;
  }
  return out;
}

/** A noise burst with exponential decay `decay` per second. */
export function burst(sampleRate: number, seconds: number, decay: number, random: Random, attackSeconds = 0.0005): Float32Array {
  const frames = Math.max(1, Math.round(seconds * sampleRate));
  const out = new Float32Array(frames);
  const attack = Math.max(1, attackSeconds * sampleRate);
  for (let i = 0; i < frames; i++) {
    const release = Math.min(1, (frames - i) / (frames * 0.1));
    out[i] = random.signed() * Math.exp((-decay * i) / sampleRate) * Math.min(1, i / attack) * release;
  }
  return out;
}
