/** The composed piece as an event list, ready to render. */
import type { Texture } from '../prompt/vocabulary-texture.js';

/** A note in beats (quarter notes from the start), before tempo and swing are applied. */
export interface BeatNote {
  readonly channel: number;
  readonly pitch: number;
  readonly velocity: number;
  readonly beat: number;
  readonly beats: number;
}

/** A note in seconds. */
export interface ScoreNote {
  readonly channel: number;
  readonly pitch: number;
  readonly velocity: number;
  readonly startSeconds: number;
  readonly durationSeconds: number;
}

/** Per-channel set-up sent before the first note. */
export interface ChannelSetup {
  readonly channel: number;
  /** GM program, or drum kit number on channel 9. */
  readonly program: number;
  /** Human-readable part name ("lead", "bass"). */
  readonly part: string;
  readonly volume: number;
  readonly pan: number;
  readonly reverb: number;
  readonly chorus: number;
}

/** A melody note the singer may take over, in seconds, with its phrase number. */
export interface MelodyNote {
  readonly pitch: number;
  readonly startSeconds: number;
  readonly durationSeconds: number;
  /** Phrases are separated by rests; lyrics lines map to phrases. */
  readonly phrase: number;
}

/** Everything the renderer needs. */
export interface Score {
  readonly durationSeconds: number;
  readonly bpm: number;
  readonly channels: readonly ChannelSetup[];
  /** Sorted by start time. */
  readonly notes: readonly ScoreNote[];
  /** Fade-out window in seconds, applied after rendering. */
  readonly fade: readonly [number, number] | undefined;
  /** When true the renderer folds the tail past the end back onto the start. */
  readonly loop: boolean;
  /** The main melody, for the vocal line. */
  readonly melody: readonly MelodyNote[];
  /** Section names with start times, for descriptions and tests. */
  readonly sections: readonly { readonly kind: string; readonly startSeconds: number }[];
  /** The key the piece is in (tonic pitch class 0..11, 0 = C). */
  readonly key?: { readonly tonic: number; readonly mode: 'major' | 'minor' };
  /** Noise, roll-off and saturation the renderer applies to the mix; none when undefined. */
  readonly texture?: Texture;
}

/** Channel numbers by part. */
export const CHANNEL = { lead: 0, chords: 1, pad: 2, bass: 3, counter: 4, drums: 9 } as const;

/** Convert beats to seconds at `bpm`, moving off-beat eighths to `swing` of the beat (0.5 = straight). */
export function beatToSeconds(beat: number, bpm: number, swing: number): number {
  const whole = Math.floor(beat);
  const fraction = beat - whole;
  const swung = fraction <= 0.5 ? (fraction / 0.5) * swing : swing + ((fraction - 0.5) / 0.5) * (1 - swing);
  return ((whole + swung) * 60) / bpm;
}
