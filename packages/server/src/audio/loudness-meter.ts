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

function filter(input: Float32Array, section: Biquad): Float64Array {
  const out = new Float64Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  const { b0, b1, b2, a1, a2 } = section;
  for (let i = 0; i < input.length; i++) {
    const x = input[i] as number;
    const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return out;
}

/** Mean square of the K-weighted signal, summed over channels, for each 400 ms block with 75 % overlap. */
function blockPowers(audio: PcmAudio): number[] {
  const [shelf, highPass] = kWeightingFilters(audio.sampleRate);
  const weighted = audio.channels.map((data) => filter(Float32Array.from(filter(data, shelf)), highPass));
  const frames = audio.channels[0]?.length ?? 0;
  const blockSize = Math.round(audio.sampleRate * 0.4);
  const step = Math.round(audio.sampleRate * 0.1);
  const powers: number[] = [];
  // Prefix sums of squares per channel make each block O(1).
  const prefix = weighted.map((data) => {
    const sums = new Float64Array(data.length + 1);
    for (let i = 0; i < data.length; i++) sums[i + 1] = (sums[i] as number) + (data[i] as number) ** 2;
    return sums;
  });
  for (let start = 0; start + blockSize <= frames; start += step) {
    let power = 0;
    for (const sums of prefix) power += ((sums[start + blockSize] as number) - (sums[start] as number)) / blockSize;
    powers.push(power);
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
