import type { PcmAudio } from './pcm-audio.js';

/** Oversampling factor for true-peak measurement (BS.1770-4 Annex 2 asks for at least 4×). */
export const OVERSAMPLING = 4;
/** Taps of each interpolation filter (samples n − 5 … n + 6 for a point between n and n + 1). */
export const TAPS_PER_PHASE = 12;

/**
 * Windowed-sinc interpolation filters for the phases 1..3 between two samples (phase 0 is the
 * sample itself): the point between n and n + 1 is the sum of taps[k] × x[n − 5 + k].
 */
export const TRUE_PEAK_PHASES: readonly Float64Array[] = (() => {
  const half = TAPS_PER_PHASE / 2;
  const phases: Float64Array[] = [];
  for (let phase = 1; phase < OVERSAMPLING; phase++) {
    const taps = new Float64Array(TAPS_PER_PHASE);
    const fraction = phase / OVERSAMPLING;
    for (let tap = 0; tap < TAPS_PER_PHASE; tap++) {
      const x = tap - (half - 1) - fraction; // distance from the interpolated point
      const sinc = Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / half);
      taps[tap] = sinc * window;
    }
    phases.push(taps);
  }
  return phases;
})();

/**
 * For each sample index, the largest absolute value over all channels of the sample itself and the
 * 4× oversampled points on either side of it: an estimate of the true (inter-sample) peak envelope.
 * Points between two samples both below `floor` are not interpolated (an inter-sample peak more
 * than 6 dB above both neighbours does not occur in practice), which keeps long files fast.
 */
export function truePeakEnvelope(audio: PcmAudio, floor = 0): Float32Array {
  const frames = audio.channels[0]?.length ?? 0;
  const envelope = new Float32Array(frames);
  const half = TAPS_PER_PHASE / 2;
  for (const data of audio.channels) {
    for (let n = 0; n < frames; n++) {
      const value = Math.abs(data[n] as number);
      if (value > (envelope[n] as number)) envelope[n] = value;
      // Interpolated points between n and n + 1.
      if (value < floor && Math.abs((data[n + 1] ?? 0) as number) < floor) continue;
      const first = n - (half - 1);
      for (const taps of TRUE_PEAK_PHASES) {
        let sum = 0;
        for (let tap = 0; tap < TAPS_PER_PHASE; tap++) {
          const index = first + tap;
          if (index >= 0 && index < frames) sum += (data[index] as number) * (taps[tap] as number);
        }
        const peak = Math.abs(sum);
        if (peak > (envelope[n] as number)) envelope[n] = peak;
        if (n + 1 < frames && peak > (envelope[n + 1] as number)) envelope[n + 1] = peak;
      }
    }
  }
  return envelope;
}

/** True peak in dBTP (4× oversampled); −Infinity for silence. */
export function measureTruePeakDb(audio: PcmAudio): number {
  let samplePeak = 0;
  for (const data of audio.channels) for (const value of data) samplePeak = Math.max(samplePeak, Math.abs(value));
  const envelope = truePeakEnvelope(audio, samplePeak / 2);
  let peak = 0;
  for (const value of envelope) if (value > peak) peak = value;
  return 20 * Math.log10(peak);
}
