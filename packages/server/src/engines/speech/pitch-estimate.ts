/** Fundamental frequency estimation by normalised autocorrelation. Pure. */

/** Search range for `estimatePitch`. */
export interface PitchRange {
  readonly minHz: number;
  readonly maxHz: number;
}

/**
 * Estimate the fundamental frequency of a (mostly) periodic stretch of audio, in Hz, or 0 when
 * it is not periodic. Takes the first normalised-autocorrelation peak within 90 % of the best
 * (which avoids octave errors) and refines the lag by parabolic interpolation (~0.05 % accuracy).
 */
export function estimatePitch(samples: Float32Array, sampleRate: number, range: PitchRange = { minHz: 50, maxHz: 1200 }): number {
  const minLag = Math.max(2, Math.floor(sampleRate / range.maxHz));
  const maxLag = Math.ceil(sampleRate / range.minHz);
  const length = samples.length - maxLag - 1;
  if (length <= minLag) return 0;
  const correlation = new Float64Array(maxLag + 2);
  let energyHead = 0;
  for (let index = 0; index < length; index++) energyHead += (samples[index] as number) ** 2;
  if (energyHead < 1e-9) return 0;
  let best = 0;
  for (let lag = minLag - 1; lag <= maxLag + 1; lag++) {
    let sum = 0;
    let energyLagged = 0;
    for (let index = 0; index < length; index++) {
      const lagged = samples[index + lag] as number;
      sum += (samples[index] as number) * lagged;
      energyLagged += lagged * lagged;
    }
    correlation[lag] = sum / Math.sqrt(energyHead * energyLagged + 1e-12);
    if (lag >= minLag && lag <= maxLag) best = Math.max(best, correlation[lag] as number);
  }
  if (best < 0.5) return 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    const value = correlation[lag] as number;
    if (value >= 0.9 * best && value >= (correlation[lag - 1] as number) && value >= (correlation[lag + 1] as number)) {
      const before = correlation[lag - 1] as number;
      const after = correlation[lag + 1] as number;
      const curvature = before - 2 * value + after;
      const shift = curvature === 0 ? 0 : (0.5 * (before - after)) / curvature;
      return sampleRate / (lag + shift);
    }
  }
  return 0;
}

/** Median pitch over 40 ms frames (hop 20 ms) that are periodic; 0 when none is. */
export function medianPitch(samples: Float32Array, sampleRate: number, range?: PitchRange): number {
  const frame = Math.round(0.04 * sampleRate);
  const hop = Math.round(0.02 * sampleRate);
  const pitches: number[] = [];
  for (let start = 0; start + frame * 2 <= samples.length; start += hop) {
    const pitch = estimatePitch(samples.subarray(start, start + frame * 2), sampleRate, range);
    if (pitch > 0) pitches.push(pitch);
  }
  if (pitches.length === 0) return 0;
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)] as number;
}
