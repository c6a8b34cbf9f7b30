import type { Random } from '../seeded-random.js';

/** Stereo buffer pair used throughout the synthesiser. */
export type Stereo = [Float32Array, Float32Array];

/** A new silent stereo buffer. */
export function stereoBuffer(frames: number): Stereo {
  return [new Float32Array(frames), new Float32Array(frames)];
}

/** Mono white noise in -1..1. */
export function whiteNoise(frames: number, random: Random): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = random.signed();
  return out;
}

/** Brown (1/f²) noise, normalised to about ±1. */
export function brownNoise(frames: number, random: Random): Float32Array {
  const out = new Float32Array(frames);
  let value = 0;
  for (let i = 0; i < frames; i++) {
    value = value * 0.998 + random.signed() * 0.06;
    out[i] = value;
  }
  return out;
}

/** Pink-ish noise (Paul Kellet's economical filter), about ±1. */
export function pinkNoise(frames: number, random: Random): Float32Array {
  const out = new Float32Array(frames);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < frames; i++) {
    const white = random.signed();
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    out[i] = (b0 + b1 + b2 + white * 0.1848) * 0.25;
  }
  return out;
}

/** Biquad coefficients (RBJ cookbook). */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** RBJ low-pass, high-pass or band-pass (constant peak gain) coefficients. */
export function biquad(kind: 'lowpass' | 'highpass' | 'bandpass', frequency: number, q: number, sampleRate: number): BiquadCoefficients {
  const w = (2 * Math.PI * Math.min(frequency, sampleRate * 0.45)) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const [b0, b1, b2] =
    kind === 'lowpass'
      ? [(1 - cos) / 2, 1 - cos, (1 - cos) / 2]
      : kind === 'highpass'
        ? [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2]
        : [alpha, 0, -alpha];
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** The last two inputs and outputs of a biquad, carried from one block of samples to the next. */
interface BiquadState {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

/** Filter `data[from..to)` in place with `c`, going on from `state` (which it updates). */
function filterBlock(data: Float32Array, c: BiquadCoefficients, from: number, to: number, state: BiquadState): void {
  let { x1, x2, y1, y2 } = state;
  for (let i = from; i < to; i++) {
    const x = data[i] as number;
    const y = c.b0 * x + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    data[i] = y;
  }
  Object.assign(state, { x1, x2, y1, y2 });
}

/** Filter `data` in place with a fixed biquad. */
export function applyBiquad(data: Float32Array, c: BiquadCoefficients): Float32Array {
  filterBlock(data, c, 0, data.length, { x1: 0, x2: 0, y1: 0, y2: 0 });
  return data;
}

/** Filter in place with a band-pass whose centre follows `centre(i)` (recomputed every 32 samples). */
export function sweptBandpass(data: Float32Array, centre: (index: number) => number, q: number, sampleRate: number): Float32Array {
  const state = { x1: 0, x2: 0, y1: 0, y2: 0 };
  for (let start = 0; start < data.length; start += 32) {
    filterBlock(data, biquad('bandpass', centre(start), q, sampleRate), start, Math.min(data.length, start + 32), state);
  }
  return data;
}

/** A smooth random curve in 0..1 with new targets every `period` samples (cosine-interpolated). */
export function smoothRandom(frames: number, period: number, random: Random): Float32Array {
  const out = new Float32Array(frames);
  let from = random.next();
  let to = random.next();
  for (let i = 0; i < frames; i++) {
    const phase = (i % period) / period;
    if (i > 0 && i % period === 0) {
      from = to;
      to = random.next();
    }
    out[i] = from + (to - from) * (0.5 - 0.5 * Math.cos(Math.PI * phase));
  }
  return out;
}

/** Add `mono` into `target` at `offset` with gain and constant-power pan (-1 left … 1 right). */
export function mixInto(target: Stereo, mono: Float32Array, offset: number, gain: number, pan = 0): void {
  const angle = ((pan + 1) * Math.PI) / 4;
  const left = Math.cos(angle) * gain * Math.SQRT2;
  const right = Math.sin(angle) * gain * Math.SQRT2;
  const end = Math.min(target[0].length, offset + mono.length);
  for (let i = Math.max(0, offset); i < end; i++) {
    const sample = mono[i - offset] as number;
    target[0][i] = (target[0][i] as number) + sample * left;
    target[1][i] = (target[1][i] as number) + sample * right;
  }
}

/** Event start times (in samples) with random gaps of about `meanGap` samples (±jitter fraction). */
export function scheduleEvents(frames: number, first: number, meanGap: number, jitter: number, random: Random): number[] {
  const times: number[] = [];
  for (let time = first; time < frames; time += Math.max(1, meanGap * (1 + jitter * random.signed()))) times.push(Math.round(time));
  return times;
}
