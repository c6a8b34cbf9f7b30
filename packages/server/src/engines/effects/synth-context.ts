import { scheduleEvents, type Stereo } from './dsp.js';
import type { EffectEnvelope } from './prompt-timing.js';
import type { Random } from '../seeded-random.js';

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
  /** Exactly this many events, or null: repeat at the natural rate. */
  readonly count: number | null;
  /** The family's variants the prompt chose (see EffectFamily.variants). */
  readonly variants: readonly string[];
  /** How the layer's loudness will change (applied afterwards); a renderer may also time its events by it. */
  readonly envelope: EffectEnvelope;
}

/**
 * Start times (samples) of a family's events: with `count`, exactly that many `meanGap` apart
 * (closer when they would not fit in 90 % of the file, slightly varied); without, events at
 * random gaps of about `meanGap` to the end.
 */
export function eventTimes(context: SynthContext, first: number, meanGap: number, jitter: number): number[] {
  const { frames, random, count } = context;
  if (count === null) return scheduleEvents(frames, first, meanGap, jitter, random);
  const gap = count > 1 ? Math.min(meanGap, (frames * 0.9 - first) / (count - 1)) : 0;
  return Array.from({ length: count }, (_, index) =>
    Math.max(0, Math.round(first + index * gap + (index > 0 ? gap * 0.05 * random.signed() : 0))),
  );
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
