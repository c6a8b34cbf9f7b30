import type { PcmAudio } from './pcm-audio.js';

/** Second-order IIR section in direct form I. */
interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/** The two K-weighting stages of ITU-R BS.1770-4 (high shelf, then high pass) for `sampleRate`. */
export function kWeightingFilters(sampleRate: number): readonly [Biquad, Biquad] {
  const shelfK = Math.tan((Math.PI * 1681.974450955533) / sampleRate);
  const shelfQ = 0.7071752369554196;
  const vh = 10 ** (3.999843853973347 / 20);
  const vb = vh ** 0.4996667741545416;
  const shelfA0 = 1 + shelfK / shelfQ + shelfK * shelfK;
  const shelf: Biquad = {
    b0: (vh + (vb * shelfK) / shelfQ + shelfK * shelfK) / shelfA0,
    b1: (2 * (shelfK * shelfK - vh)) / shelfA0,
    b2: (vh - (vb * shelfK) / shelfQ + shelfK * shelfK) / shelfA0,
    a1: (2 * (shelfK * shelfK - 1)) / shelfA0,
    a2: (1 - shelfK / shelfQ + shelfK * shelfK) / shelfA0,
  };
  const passK = Math.tan((Math.PI * 38.13547087602444) / sampleRate);
  const passQ = 0.5003270373238773;
  const passA0 = 1 + passK / passQ + passK * passK;
  const highPass: Biquad = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (passK * passK - 1)) / passA0,
    a2: (1 - passK / passQ + passK * passK) / passA0,
  };
  return [shelf, highPass];
}

/**
 * K-weight `data[from, to)` through `filters`, continuing one channel's `state` (the two biquads'
 * histories: x1, x2, y1, y2, z1, z2), and return the sum of squares of the weighted samples; with
 * `out`, also write them there at the same indices. The one K-weighting loop of the code base.
 */
export function kWeigh(
  filters: readonly [Biquad, Biquad],
  state: Float64Array,
  data: Float32Array,
  from: number,
  to: number,
  out?: Float64Array,
): number {
  const [shelf, highPass] = filters;
  let x1 = state[0] as number;
  let x2 = state[1] as number;
  let y1 = state[2] as number;
  let y2 = state[3] as number;
  let z1 = state[4] as number;
  let z2 = state[5] as number;
  let sum = 0;
  for (let index = from; index < to; index++) {
    const x = data[index] as number;
    const y = shelf.b0 * x + shelf.b1 * x1 + shelf.b2 * x2 - shelf.a1 * y1 - shelf.a2 * y2;
    x2 = x1;
    x1 = x;
    // High pass with b = [1, -2, 1]: its input history is y1, y2.
    const z = y - 2 * y1 + y2 - highPass.a1 * z1 - highPass.a2 * z2;
    y2 = y1;
    y1 = y;
    z2 = z1;
    z1 = z;
    sum += z * z;
    if (out) out[index] = z;
  }
  state[0] = x1;
  state[1] = x2;
  state[2] = y1;
  state[3] = y2;
  state[4] = z1;
  state[5] = z2;
  return sum;
}

/** Sum of squares of the K-weighted signal for each 100 ms segment, summed over channels. */
function segmentEnergies(audio: PcmAudio, segment: number): Float64Array {
  const filters = kWeightingFilters(audio.sampleRate);
  const frames = audio.channels[0]?.length ?? 0;
  const energies = new Float64Array(Math.floor(frames / segment));
  for (const data of audio.channels) {
    const state = new Float64Array(6);
    for (let index = 0; index < energies.length; index++) {
      energies[index] = (energies[index] as number) + kWeigh(filters, state, data, index * segment, (index + 1) * segment);
    }
  }
  return energies;
}

/** Mean square of the K-weighted signal, summed over channels, for each 400 ms block with 75 % overlap. */
function blockPowers(audio: PcmAudio): number[] {
  const step = Math.round(audio.sampleRate * 0.1);
  const energies = segmentEnergies(audio, step);
  const powers: number[] = [];
  for (let start = 0; start + 4 <= energies.length; start++) {
    const energy =
      (energies[start] as number) + (energies[start + 1] as number) + (energies[start + 2] as number) + (energies[start + 3] as number);
    powers.push(energy / (4 * step));
  }
  return powers;
}

const powerToLoudness = (power: number) => -0.691 + 10 * Math.log10(power);

/**
 * Integrated loudness in LUFS (ITU-R BS.1770-4 / EBU R128): K-weighting, 400 ms blocks with
 * 75 % overlap, an absolute gate at −70 LUFS and a relative gate 10 LU below the ungated mean.
 * Mono and stereo channels all have weight 1. Returns −Infinity for silence or audio under 400 ms.
 */
export function measureIntegratedLoudness(audio: PcmAudio): number {
  const powers = blockPowers(audio).filter((power) => powerToLoudness(power) > -70);
  if (powers.length === 0) return Number.NEGATIVE_INFINITY;
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const relativeGate = powerToLoudness(mean(powers)) - 10;
  const gated = powers.filter((power) => powerToLoudness(power) > relativeGate);
  return powerToLoudness(mean(gated));
}
