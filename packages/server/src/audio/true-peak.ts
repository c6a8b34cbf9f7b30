/**
 * True peak per ITU-R BS.1770-4 Annex 2: the signal is oversampled 4× with the Recommendation's
 * own 48-tap interpolating filter (four phases of 12 taps) and the largest absolute value is the
 * true peak. The sample values themselves are counted too (the filter's points fall an eighth of
 * a sample off them), so the meter never reads below the sample peak.
 */
import type { PcmAudio } from './pcm-audio.js';

/** Oversampling factor (BS.1770-4 Annex 2). */
export const OVERSAMPLING = 4;
/** Taps of each phase of the interpolation filter. */
export const TAPS_PER_PHASE = 12;

/**
 * The four phases of the BS.1770-4 Annex 2 filter (order 48), exactly as tabulated. For the
 * points between samples n and n + 1, phase p's point is the sum of taps[k] × x[n − 5 + k];
 * the four phases fall at n + 7/8, n + 5/8, n + 3/8 and n + 1/8.
 */
export const TRUE_PEAK_PHASES: readonly Float64Array[] = [
  [
    0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875, 0.1373291015625, 0.97216796875, -0.102294921875,
    0.047607421875, -0.026611328125, 0.014892578125, -0.00830078125,
  ],
  [
    -0.0291748046875, 0.029296875, -0.0517578125, 0.089111328125, -0.16650390625, 0.465087890625, 0.77978515625, -0.2003173828125,
    0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375,
  ],
  [
    -0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625, -0.2003173828125, 0.77978515625, 0.465087890625, -0.16650390625,
    0.089111328125, -0.0517578125, 0.029296875, -0.0291748046875,
  ],
  [
    -0.00830078125, 0.014892578125, -0.026611328125, 0.047607421875, -0.102294921875, 0.97216796875, 0.1373291015625, -0.0594482421875,
    0.033203125, -0.0196533203125, 0.010986328125, 0.001708984375,
  ],
].map((taps) => Float64Array.from(taps));

/**
 * The largest gain any phase has on a signal bounded by 1: no point between n and n + 1 can
 * exceed this times the largest |x| in [n − 5, n + 6] (about 2.02).
 */
export const FILTER_BOUND = Math.max(...TRUE_PEAK_PHASES.map((taps) => taps.reduce((sum, tap) => sum + Math.abs(tap), 0)));

/** Offset of the first tap from n for the points between n and n + 1. */
const FIRST_TAP = 1 - TAPS_PER_PHASE / 2;

const [PHASE_0, PHASE_1, PHASE_2, PHASE_3] = TRUE_PEAK_PHASES as [Float64Array, Float64Array, Float64Array, Float64Array];

/** The largest |point| of the four oversampled points between n and n + 1 of one channel (outside it: silence). */
export function pointsAfter(data: Float32Array, n: number): number {
  const first = n + FIRST_TAP;
  const inside = first >= 0 && first + TAPS_PER_PHASE <= data.length;
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  for (let tap = 0; tap < TAPS_PER_PHASE; tap++) {
    const index = first + tap;
    const x = inside || (index >= 0 && index < data.length) ? (data[index] as number) : 0;
    sum0 += x * (PHASE_0[tap] as number);
    sum1 += x * (PHASE_1[tap] as number);
    sum2 += x * (PHASE_2[tap] as number);
    sum3 += x * (PHASE_3[tap] as number);
  }
  return Math.max(Math.abs(sum0), Math.abs(sum1), Math.abs(sum2), Math.abs(sum3));
}

/**
 * For each sample index, the largest absolute value over all channels of the sample itself and
 * the oversampled points on either side of it: the true-peak envelope. Points are computed only
 * where they could exceed `threshold` (some sample within the filter's reach is above
 * threshold / FILTER_BOUND); elsewhere the envelope holds the sample values, which is exact for
 * every question "does the signal exceed `threshold`?" and keeps long files fast.
 */
export function truePeakEnvelope(audio: PcmAudio, threshold = 0): Float32Array {
  const frames = audio.channels[0]?.length ?? 0;
  const envelope = new Float32Array(frames);
  const hot = threshold / FILTER_BOUND;
  const reach = TAPS_PER_PHASE / 2;
  for (const data of audio.channels) {
    for (let n = 0; n < frames; n++) {
      const value = Math.abs(data[n] as number);
      if (value > (envelope[n] as number)) envelope[n] = value;
    }
    // The points between n and n + 1 read x[n − 5 … n + 6]: compute them while a hot sample is in reach.
    let hotUntil = -1;
    for (let index = 0; index < reach && index < frames; index++) if (Math.abs(data[index] as number) > hot) hotUntil = index + reach - 1;
    for (let n = 0; n < frames; n++) {
      const ahead = n + reach;
      if (ahead < frames && Math.abs(data[ahead] as number) > hot) hotUntil = ahead + reach - 1;
      if (n > hotUntil) continue;
      const point = pointsAfter(data, n);
      if (point > (envelope[n] as number)) envelope[n] = point;
      if (n + 1 < frames && point > (envelope[n + 1] as number)) envelope[n + 1] = point;
    }
  }
  return envelope;
}

/** Linear true peak (BS.1770-4, 4× oversampled, never below the sample peak); 0 for silence. */
export function measureTruePeak(audio: PcmAudio): number {
  let samplePeak = 0;
  for (const data of audio.channels) for (const value of data) samplePeak = Math.max(samplePeak, Math.abs(value));
  if (samplePeak === 0) return 0;
  let peak = 0;
  for (const value of truePeakEnvelope(audio, samplePeak)) if (value > peak) peak = value;
  return peak;
}

/** True peak in dBTP (BS.1770-4, 4× oversampled); −Infinity for silence. */
export function measureTruePeakDb(audio: PcmAudio): number {
  return 20 * Math.log10(measureTruePeak(audio));
}
