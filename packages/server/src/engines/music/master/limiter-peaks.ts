/**
 * The peaks a look-ahead limiter must hold: sample peaks, and the 4× oversampled points between
 * samples computed with the true-peak meter's own filters wherever a bound says they could reach
 * the ceiling (near loud samples only, so long files stay fast).
 */
import { FILTER_BOUND, pointsAfter, TAPS_PER_PHASE } from '../../../audio/true-peak.js';

/** Frames the peak estimate of one frame reads on either side of it. */
export const REACH = TAPS_PER_PHASE / 2;
/** Largest |x| over the channels at `index`; 0 outside the arrays. */
function samplePeak(channels: readonly Float32Array[], index: number): number {
  let peak = 0;
  for (const data of channels) {
    const value = Math.abs(data[index] ?? 0);
    if (value > peak) peak = value;
  }
  return peak;
}

/**
 * Into `peaks[i − start]` for i in [start, lookEnd): the largest of |x[i]| over the channels and of
 * the 4× oversampled points on either side of i, with the true-peak meter's own filters (so the
 * limiter holds what `measureTruePeakDb` measures). Frames outside the arrays count as silence.
 * The points between n and n + 1 are only interpolated near a sample above threshold / bound
 * (within the filters' reach): elsewhere they cannot exceed `threshold`, and the sample peaks
 * alone decide the limiter's gain exactly as the points would.
 */
export function truePeaks(
  channels: readonly Float32Array[],
  start: number,
  lookEnd: number,
  threshold: number,
  peaks: Float32Array,
  hot: Int32Array,
): void {
  const hotLevel = threshold / FILTER_BOUND;
  let hotCount = 0;
  const left = channels[0] as Float32Array;
  const right = channels.length === 2 ? (channels[1] as Float32Array) : undefined;
  for (let index = start - REACH; index < start; index++) if (samplePeak(channels, index) > hotLevel) hot[hotCount++] = index;
  for (let index = start; index < lookEnd; index++) {
    let peak = Math.abs(left[index] as number);
    if (right) {
      const other = Math.abs(right[index] as number);
      if (other > peak) peak = other;
    } else if (channels.length > 2) peak = samplePeak(channels, index);
    peaks[index - start] = peak;
    if (peak > hotLevel) hot[hotCount++] = index;
  }
  for (let index = lookEnd; index < lookEnd + REACH; index++) if (samplePeak(channels, index) > hotLevel) hot[hotCount++] = index;
  // A sample at h enters the points between n and n + 1 for n in [h − REACH, h + REACH − 1].
  let done = start - 1;
  for (let entry = 0; entry < hotCount; entry++) {
    const h = hot[entry] as number;
    const last = Math.min(lookEnd - 1, h + REACH - 1);
    for (let n = Math.max(done, h - REACH); n <= last; n++) {
      let point = 0;
      for (const data of channels) {
        const value = pointsAfter(data, n);
        if (value > point) point = value;
      }
      if (n >= start && point > (peaks[n - start] as number)) peaks[n - start] = point;
      if (n + 1 < lookEnd && point > (peaks[n + 1 - start] as number)) peaks[n + 1 - start] = point;
    }
    done = Math.max(done, last + 1);
  }
}
