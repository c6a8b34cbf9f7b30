/** Loudness normalisation and peak limiting of the rendered mix, in place (no copies of long buffers). */
import type { PcmAudio } from '../../../audio/pcm-audio.js';
import { ChunkStats } from './chunk-stats.js';
import { limitInPlace } from './peak-limiter.js';

/** Mastering targets. */
export interface MasterTargets {
  /** Integrated loudness, LUFS. */
  readonly targetLufs: number;
  /** Highest true peak, dBTP. */
  readonly truePeakDb: number;
}

/** The limiter's ceiling (linear): the true-peak limit less 0.4 dB of margin for the inter-sample estimate. */
export function limiterCeiling(targets: MasterTargets): number {
  return 10 ** ((targets.truePeakDb - 0.4) / 20);
}

/** The gain (linear) that brings audio with these statistics to the target loudness once limited. */
export function masteringGain(stats: ChunkStats, targets: MasterTargets): number {
  return stats.gainFor(targets.targetLufs, limiterCeiling(targets));
}

/**
 * Bring `audio` to the target loudness with a look-ahead limiter holding peaks under the true-peak
 * limit, in one pass: the gain is predicted from 10 ms loudness statistics with the limiter
 * modelled (`ChunkStats.gainFor`, within 0.1 LU of the target on the engine's genres). Returns the
 * gain applied; silence is left alone.
 */
export function masterInPlace(audio: PcmAudio, targets: MasterTargets): number {
  const stats = new ChunkStats(audio.sampleRate, audio.channels.length);
  stats.push(audio.channels);
  const gain = masteringGain(stats, targets);
  limitInPlace(audio.channels, audio.sampleRate, gain, limiterCeiling(targets));
  return gain;
}
