/** Give the rendered buffer its exact length: fold a loop's tail onto its head, or fade out the end. Pure on buffers. */
import type { PcmAudio } from '../../../audio/pcm-audio.js';

/**
 * For loops: add everything past `frames` (note releases, reverb) onto the start, so the end flows
 * into the beginning, and return the first `frames` frames.
 */
export function foldLoopTail(audio: PcmAudio, frames: number): PcmAudio {
  const channels = audio.channels.map((data) => {
    const overflow = data.length - frames;
    for (let index = 0; index < overflow && index < frames; index++) {
      data[index] = (data[index] as number) + (data[frames + index] as number);
    }
    return data.subarray(0, frames);
  });
  return { sampleRate: audio.sampleRate, channels };
}

/** Fade the window [startSeconds, endSeconds] down to silence (raised cosine) and silence anything after. */
export function fadeOut(audio: PcmAudio, startSeconds: number, endSeconds: number): void {
  const start = Math.max(0, Math.round(startSeconds * audio.sampleRate));
  const end = Math.max(start + 1, Math.round(endSeconds * audio.sampleRate));
  for (const data of audio.channels) {
    for (let index = start; index < data.length; index++) {
      const position = Math.min(1, (index - start) / (end - start));
      data[index] = (data[index] as number) * 0.5 * (1 + Math.cos(Math.PI * position));
    }
  }
}

/** A short fade-in of the first milliseconds, so a file never starts with a click. */
export function fadeIn(audio: PcmAudio, seconds = 0.005): void {
  const length = Math.round(seconds * audio.sampleRate);
  for (const data of audio.channels) {
    for (let index = 0; index < length && index < data.length; index++) data[index] = (data[index] as number) * (index / length);
  }
}

/**
 * `fadeIn` and `fadeOut` for one block of a stream whose first frame is `firstFrame`: the same
 * gains, sample for sample, as applying them to the whole buffer.
 */
export function shapeBlock(
  channels: readonly Float32Array[],
  firstFrame: number,
  sampleRate: number,
  fade: readonly [number, number] | undefined,
): void {
  const fadeInLength = Math.round(0.005 * sampleRate);
  const fadeStart = fade ? Math.max(0, Math.round(fade[0] * sampleRate)) : Number.POSITIVE_INFINITY;
  const fadeEnd = fade ? Math.max(fadeStart + 1, Math.round(fade[1] * sampleRate)) : Number.POSITIVE_INFINITY;
  for (const data of channels) {
    for (let index = 0; index < data.length && firstFrame + index < fadeInLength; index++) {
      data[index] = (data[index] as number) * ((firstFrame + index) / fadeInLength);
    }
    for (let index = Math.max(0, fadeStart - firstFrame); index < data.length; index++) {
      const position = Math.min(1, (firstFrame + index - fadeStart) / (fadeEnd - fadeStart));
      data[index] = (data[index] as number) * 0.5 * (1 + Math.cos(Math.PI * position));
    }
  }
}
