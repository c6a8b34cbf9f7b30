/** Loudness normalisation and peak limiting of the rendered mix, in place (no copies of long buffers). */
import { measureIntegratedLoudness } from '../../../audio/loudness.js';
import type { PcmAudio } from '../../../audio/pcm-audio.js';
import { limitInPlace } from './peak-limiter.js';

/** Mastering targets. */
export interface MasterTargets {
  /** Integrated loudness, LUFS. */
  readonly targetLufs: number;
  /** Highest true peak, dBTP. */
  readonly truePeakDb: number;
}

/**
 * Bring `audio` to the target loudness with a look-ahead limiter holding peaks under the true-peak
 * limit (with 0.4 dB of margin for the inter-sample estimate). Up to four rounds make up for the
 * loudness the limiter removes. Returns the measured loudness; silence is left alone.
 */
export function masterInPlace(audio: PcmAudio, targets: MasterTargets): number {
  const ceiling = 10 ** ((targets.truePeakDb - 0.4) / 20);
  let loudness = measureIntegratedLoudness(audio);
  for (let round = 0; round < 4 && Number.isFinite(loudness); round++) {
    const deficit = targets.targetLufs - loudness;
    if (round > 0 && Math.abs(deficit) <= 0.3) break;
    // After the first round, overshoot a little: the limiter eats part of any boost.
    const stepDb = round === 0 ? deficit : deficit * 1.3;
    limitInPlace(audio.channels, audio.sampleRate, 10 ** (stepDb / 20), ceiling);
    loudness = measureIntegratedLoudness(audio);
  }
  return loudness;
}
