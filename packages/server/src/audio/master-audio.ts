import { measureIntegratedLoudness } from './loudness-meter.js';
import type { PcmAudio } from './pcm-audio.js';
import { measureTruePeakDb, truePeakEnvelope } from './true-peak.js';

/** Mastering targets. */
export interface MasterOptions {
  /** Integrated loudness to reach, LUFS (default −14). */
  readonly targetLufs?: number;
  /** Highest true peak allowed, dBTP (default −1). */
  readonly truePeakDb?: number;
}

const LOOK_AHEAD_SECONDS = 0.005;
const RELEASE_SECONDS = 0.08;
/** How far above plain normalisation the gain may go to make up for limiting. */
const MAX_EXTRA_BOOST_DB = 24;
const dbToGain = (db: number) => 10 ** (db / 20);

/** Minimum of `values` over [n, n + width) for every n (monotonic queue, O(n)). */
function forwardMinimum(values: Float32Array, width: number): Float32Array {
  const out = new Float32Array(values.length);
  const queue = new Int32Array(values.length + width);
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let n = 0; n < values.length; n++) {
    const end = Math.min(values.length, n + width);
    for (; next < end; next++) {
      while (tail > head && (values[queue[tail - 1] as number] as number) >= (values[next] as number)) tail--;
      queue[tail++] = next;
    }
    while ((queue[head] as number) < n) head++;
    out[n] = values[queue[head] as number] as number;
  }
  return out;
}

/**
 * Gain curve of a look-ahead limiter: never above the gain each sample needs to stay under
 * `ceiling`, ramping down over the look-ahead window before a peak and recovering with a release.
 */
function limiterGain(audio: PcmAudio, ceiling: number): Float32Array {
  const envelope = truePeakEnvelope(audio, ceiling);
  const needed = new Float32Array(envelope.length);
  for (let n = 0; n < envelope.length; n++) needed[n] = (envelope[n] as number) > ceiling ? ceiling / (envelope[n] as number) : 1;
  const width = Math.max(1, Math.round(audio.sampleRate * LOOK_AHEAD_SECONDS));
  const minimum = forwardMinimum(needed, width);
  const gain = new Float32Array(minimum.length);
  const release = Math.exp(-1 / (RELEASE_SECONDS * audio.sampleRate));
  // Before the start, the window holds the first minimum (a peak at sample 0 is already limited).
  const first = minimum[0] ?? 1;
  let sum = first * width;
  let previous = first;
  for (let n = 0; n < minimum.length; n++) {
    sum += (minimum[n] as number) - (n >= width ? (minimum[n - width] as number) : first);
    const smoothed = sum / width; // mean of the last `width` minima
    const released = previous * release + (1 - release);
    previous = Math.min(smoothed, released);
    gain[n] = previous;
  }
  return gain;
}

function applyGain(audio: PcmAudio, gain: number | Float32Array): PcmAudio {
  const channels = audio.channels.map((data) => {
    const out = new Float32Array(data.length);
    if (typeof gain === 'number') for (let n = 0; n < data.length; n++) out[n] = (data[n] as number) * gain;
    else for (let n = 0; n < data.length; n++) out[n] = (data[n] as number) * (gain[n] as number);
    return out;
  });
  return { sampleRate: audio.sampleRate, channels };
}

/**
 * Limit `audio` (into a copy) so its BS.1770-4 true peak is at or below `truePeakDb`, with
 * the look-ahead limiter aiming a little lower and tightening until the meter agrees. Audio
 * already under the limit comes back as it was.
 */
export function limitTruePeak(audio: PcmAudio, truePeakDb: number): PcmAudio {
  if (!(measureTruePeakDb(audio) > truePeakDb)) return audio;
  let ceilingDb = truePeakDb - 0.2;
  let limited = applyGain(audio, limiterGain(audio, dbToGain(ceilingDb)));
  for (let attempt = 0; attempt < 3 && measureTruePeakDb(limited) > truePeakDb; attempt++) {
    ceilingDb -= 0.3;
    limited = applyGain(audio, limiterGain(audio, dbToGain(ceilingDb)));
  }
  return limited;
}

/**
 * Normalise `audio` to `targetLufs` and limit it so its true peak stays at or below `truePeakDb`.
 * Loud peaky material is pushed up again after limiting (up to a few rounds) so the result lands
 * within ±1 LU of the target where the peak budget allows. Silence is returned unchanged.
 */
export function masterAudio(audio: PcmAudio, options: MasterOptions = {}): PcmAudio {
  const target = options.targetLufs ?? -14;
  const peakLimitDb = options.truePeakDb ?? -1;
  const loudness = measureIntegratedLoudness(audio);
  if (!Number.isFinite(loudness)) return applyGain(audio, 1);
  let preGainDb = target - loudness;
  let best = applyGain(audio, 1);
  let bestMiss = Number.POSITIVE_INFINITY;
  let tooQuiet = Number.NEGATIVE_INFINITY;
  let tooLoud = Number.POSITIVE_INFINITY;
  let previous: { gain: number; reached: number } | undefined;
  for (let round = 0; round < 8; round++) {
    const limited = limitTruePeak(applyGain(audio, dbToGain(preGainDb)), peakLimitDb);
    const reached = measureIntegratedLoudness(limited);
    const deficit = target - reached;
    if (Math.abs(deficit) < bestMiss) {
      best = limited;
      bestMiss = Math.abs(deficit);
    }
    if (Math.abs(deficit) <= 0.5 || (deficit > 0 && preGainDb >= target - loudness + MAX_EXTRA_BOOST_DB)) break;
    if (deficit > 0) tooQuiet = Math.max(tooQuiet, preGainDb);
    else tooLoud = Math.min(tooLoud, preGainDb);
    // Limiting eats part of any boost: step by the deficit over the observed slope (secant),
    // bounded, and bisect once the target is bracketed (gating can make the curve uneven).
    const slope = previous ? (reached - previous.reached) / (preGainDb - previous.gain) : 1;
    const step = deficit / Math.min(1, Math.max(1 / 3, Number.isFinite(slope) ? slope : 1));
    previous = { gain: preGainDb, reached };
    if (Number.isFinite(tooQuiet) && Number.isFinite(tooLoud)) {
      preGainDb = (tooQuiet + tooLoud) / 2;
      continue;
    }
    preGainDb = Math.min(preGainDb + step, target - loudness + MAX_EXTRA_BOOST_DB);
  }
  return best;
}
