/**
 * Limit and encode a range of the mixed (unlimited) audio straight into MP3, without writing the
 * limited audio back: each thread of a two-thread encode reads the same shared buffer, so neither
 * disturbs what the other still has to read.
 */
import { Mp3Writer } from '../../../audio/mp3-writer.js';
import { limitRange } from './peak-limiter.js';

/** Seconds the tail's limiter runs before its first frame, so its release state has settled. */
const LIMITER_WARM_UP_SECONDS = 1;

/** The mastering gain and ceiling (linear) to apply while encoding. */
export interface LimitSettings {
  readonly sampleRate: number;
  readonly gain: number;
  readonly ceiling: number;
}

/**
 * Frames [from, to) of `channels` (at most two), multiplied by the gain and limited as
 * `limitInPlace` would (from 0 exactly; from later on after a second of warm-up), as a stand-alone
 * MP3 stream.
 */
export async function encodeLimitedMp3(
  channels: readonly Float32Array[],
  settings: LimitSettings,
  from: number,
  to: number,
): Promise<Uint8Array> {
  const stereo = channels.slice(0, 2);
  const writer = await Mp3Writer.create(settings.sampleRate, stereo.length >= 2 ? 2 : 1);
  const parts: Uint8Array[] = [];
  const warmFrom = Math.max(0, from - Math.round(LIMITER_WARM_UP_SECONDS * settings.sampleRate));
  limitRange(stereo, settings, { warmFrom, from, to }, (limited) => {
    parts.push(...writer.encode(limited));
  });
  parts.push(...writer.finish());
  return Buffer.concat(parts);
}
