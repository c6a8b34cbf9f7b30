/**
 * An in-place look-ahead peak limiter for long stereo buffers, processed in blocks so memory stays
 * bounded. Peaks include inter-sample estimates (cubic interpolation at 1/4, 1/2, 3/4) near the ceiling.
 */

const LOOK_AHEAD_SECONDS = 0.003;
const RELEASE_SECONDS = 0.09;
const BLOCK = 65536;

/** Largest of |x1| and the cubic estimates at 1/4, 1/2 and 3/4 of the way to the next sample. */
function interSamplePeak(data: Float32Array, index: number): number {
  const x1 = data[index] as number;
  const x2 = data[index + 1] ?? x1;
  const x0 = data[index - 1] ?? x1;
  const x3 = data[index + 2] ?? x2;
  // The same expression as x1 + 0.5 t (x2 − x0 + t (2 x0 − 5 x1 + 4 x2 − x3 + t (3 (x1 − x2) + x3 − x0))).
  const c1 = x2 - x0;
  const c2 = 2 * x0 - 5 * x1 + 4 * x2 - x3;
  const c3 = 3 * (x1 - x2) + x3 - x0;
  let peak = Math.abs(x1);
  peak = Math.max(peak, Math.abs(x1 + 0.5 * 0.25 * (c1 + 0.25 * (c2 + 0.25 * c3))));
  peak = Math.max(peak, Math.abs(x1 + 0.5 * 0.5 * (c1 + 0.5 * (c2 + 0.5 * c3))));
  return Math.max(peak, Math.abs(x1 + 0.5 * 0.75 * (c1 + 0.75 * (c2 + 0.75 * c3))));
}

/** Estimated true peak of one channel at `index`, computed exactly only near the ceiling. */
function peakAt(data: Float32Array, index: number, quiet: number): number {
  const sample = Math.abs(data[index] as number);
  return sample > quiet || Math.abs(data[index + 1] ?? 0) > quiet ? interSamplePeak(data, index) : sample;
}

/** Multiply by `gain`, then limit so (estimated) true peaks stay at or below `ceiling` (linear). */
export function limitInPlace(channels: readonly Float32Array[], sampleRate: number, gain: number, ceiling: number): void {
  const frames = channels[0]?.length ?? 0;
  const window = Math.max(1, Math.round(LOOK_AHEAD_SECONDS * sampleRate));
  const release = Math.exp(-1 / (RELEASE_SECONDS * sampleRate));
  const quiet = ceiling / (2 * gain);
  const needed = new Float32Array(BLOCK + window);
  const left = channels[0] as Float32Array;
  const right = channels.length === 2 ? (channels[1] as Float32Array) : undefined;
  let level = 1;
  for (let start = 0; start < frames; start += BLOCK) {
    const end = Math.min(frames, start + BLOCK);
    const lookEnd = Math.min(frames, end + window);
    for (let index = start; index < lookEnd; index++) {
      let peak = 0;
      if (right) {
        peak = peakAt(left, index, quiet);
        const other = peakAt(right, index, quiet);
        if (other > peak) peak = other;
      } else {
        for (const data of channels) {
          const estimate = peakAt(data, index, quiet);
          if (estimate > peak) peak = estimate;
        }
      }
      peak *= gain;
      needed[index - start] = peak > ceiling ? ceiling / peak : 1;
    }
    // Backward pass: ramp down linearly over the look-ahead window before each peak.
    let ramp = 1;
    for (let index = lookEnd - 1; index >= start; index--) {
      ramp = Math.min(needed[index - start] as number, ramp + 1 / window);
      needed[index - start] = ramp;
    }
    for (let index = start; index < end; index++) {
      const target = needed[index - start] as number;
      level = Math.min(target, level * release + (1 - release));
      const factor = gain * level;
      left[index] = (left[index] as number) * factor;
      if (right) right[index] = (right[index] as number) * factor;
      else for (let channel = 1; channel < channels.length; channel++) {
        const data = channels[channel] as Float32Array;
        data[index] = (data[index] as number) * factor;
      }
    }
  }
}
