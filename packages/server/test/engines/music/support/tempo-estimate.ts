/** A simple onset-based tempo estimate for tests: energy flux + autocorrelation. */
import type { PcmAudio } from '../../../../src/audio/pcm-audio.js';

/** Estimate the tempo (BPM) of `audio` within [minimumBpm, maximumBpm]. */
export function estimateTempo(audio: PcmAudio, minimumBpm = 70, maximumBpm = 180): number {
  const hop = 128;
  const frames = Math.floor((audio.channels[0]?.length ?? 0) / hop);
  const energy = new Float64Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (const data of audio.channels) {
      for (let index = frame * hop; index < (frame + 1) * hop; index++) sum += (data[index] as number) ** 2;
    }
    energy[frame] = Math.log(1e-9 + sum);
  }
  const flux = new Float64Array(frames);
  for (let frame = 1; frame < frames; frame++) flux[frame] = Math.max(0, (energy[frame] as number) - (energy[frame - 1] as number));
  const framesPerSecond = audio.sampleRate / hop;
  const shortestLag = Math.floor((60 / maximumBpm) * framesPerSecond);
  const longestLag = Math.ceil((60 / minimumBpm) * framesPerSecond);
  const raw = new Float64Array(4 * longestLag + 8);
  for (let lag = shortestLag - 1; lag <= 4 * longestLag + 4 && lag < frames; lag++) {
    let sum = 0;
    for (let frame = lag; frame < frames; frame++) sum += (flux[frame] as number) * (flux[frame - lag] as number);
    raw[lag] = sum / (frames - lag);
  }
  const correlation = raw;
  let best = shortestLag;
  for (let lag = shortestLag; lag <= longestLag; lag++) if ((correlation[lag] as number) > (correlation[best] as number)) best = lag;
  const before = correlation[best - 1] as number;
  const at = correlation[best] as number;
  const after = correlation[best + 1] as number;
  const denominator = before - 2 * at + after;
  const offset = denominator === 0 ? 0 : (0.5 * (before - after)) / denominator;
  return (60 * framesPerSecond) / (best + offset);
}
