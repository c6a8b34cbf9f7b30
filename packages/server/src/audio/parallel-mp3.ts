/**
 * MP3 encoding of a long buffer on two threads: this thread encodes the first half, another
 * (through `EncodeTail`) the second half from a few frames earlier, and `spliceMp3` joins the two
 * streams at a clean frame boundary near the middle. LAME itself is sequential (bit reservoir,
 * psychoacoustic state), so this is the only way to use a second core for one file.
 */
import type { ByteSink } from '../ports/engine.js';
import { Mp3Writer } from './mp3-writer.js';
import { MP3_FRAME_SAMPLES, spliceMp3 } from './mp3-splice.js';
import type { PcmAudio } from './pcm-audio.js';

/** Encodes `channels` from frame `startFrame` to the end as a stand-alone MP3 stream elsewhere. */
export type EncodeTail = (channels: readonly Float32Array[], sampleRate: number, startFrame: number) => Promise<Uint8Array>;

/** Join candidates on either side of the middle, in MP3 frames. */
const SEARCH_FRAMES = 24;
/** Frames the tail encoder runs before the earliest join, so its analysis has settled. */
const PRE_ROLL_FRAMES = 8;
/** Frames the head encoder runs past the latest join. */
const POST_ROLL_FRAMES = 6;
const WRITE_BYTES = 65536;

/** Encode a whole stereo or mono buffer (at a native MPEG-1 rate: 32, 44.1 or 48 kHz) to the sink. */
export async function encodeMp3Sequentially(audio: PcmAudio, sink: ByteSink): Promise<void> {
  const writer = await Mp3Writer.create(audio.sampleRate, audio.channels.length >= 2 ? 2 : 1);
  for (const chunk of [...writer.encode(audio.channels.slice(0, 2)), ...writer.finish()]) await sink.write(chunk);
}

async function encodeRange(channels: readonly Float32Array[], sampleRate: number, end: number): Promise<Uint8Array> {
  const writer = await Mp3Writer.create(sampleRate, channels.length >= 2 ? 2 : 1);
  const parts = [...writer.encode(channels.map((data) => data.subarray(0, end))), ...writer.finish()];
  return Buffer.concat(parts);
}

/**
 * The two halves of one signal, each encoded as a stand-alone MP3 stream from its own thread:
 * `head(end)` encodes frames [0, end), `tail(start)` frames [start, frames). `head(frames)` must
 * be the whole stream (the fallback when no clean join exists).
 */
export interface Mp3Halves {
  /** Length of the signal in frames. */
  readonly frames: number;
  readonly head: (endFrame: number) => Promise<Uint8Array>;
  readonly tail: (startFrame: number) => Promise<Uint8Array>;
}

/**
 * Encode the signal of `halves` in two halves at once (the tail is started first, so it can run
 * on another thread while this one encodes the head) and write the joined stream to `sink`.
 * Falls back to `head(frames)` when the signal is too short or no clean join exists (rare).
 */
export async function encodeMp3Halves(halves: Mp3Halves, sink: ByteSink): Promise<void> {
  const { frames } = halves;
  const middle = Math.round(frames / MP3_FRAME_SAMPLES / 2);
  const tailFirstFrame = middle - SEARCH_FRAMES - PRE_ROLL_FRAMES;
  const headEnd = (middle + SEARCH_FRAMES + POST_ROLL_FRAMES) * MP3_FRAME_SAMPLES;
  let joined: Uint8Array | undefined;
  if (tailFirstFrame >= 1 && headEnd < frames) {
    const tail = halves.tail(tailFirstFrame * MP3_FRAME_SAMPLES);
    tail.catch(() => {});
    const head = await halves.head(headEnd);
    const candidates = [middle];
    for (let step = 1; step <= SEARCH_FRAMES; step++) candidates.push(middle + step, middle - step);
    joined = spliceMp3(head, await tail, tailFirstFrame, candidates);
  }
  joined ??= await halves.head(frames);
  for (let start = 0; start < joined.length; start += WRITE_BYTES) await sink.write(joined.subarray(start, start + WRITE_BYTES));
}

/**
 * Encode `audio` (at 32, 44.1 or 48 kHz; at most two channels) in two halves at once and write
 * the joined stream to `sink`. Falls back to one thread when no clean join exists (rare).
 */
export async function encodeMp3InParallel(audio: PcmAudio, sink: ByteSink, encodeTail: EncodeTail): Promise<void> {
  const channels = audio.channels.slice(0, 2);
  await encodeMp3Halves(
    {
      frames: channels[0]?.length ?? 0,
      head: (end) => encodeRange(channels, audio.sampleRate, end),
      tail: (start) => encodeTail(channels, audio.sampleRate, start),
    },
    sink,
  );
}

/** Encode a tail for `encodeMp3InParallel` on this thread (what the worker side runs). */
export function encodeTailHere(channels: readonly Float32Array[], sampleRate: number, startFrame: number): Promise<Uint8Array> {
  return encodeRange(
    channels.map((data) => data.subarray(startFrame)),
    sampleRate,
    (channels[0]?.length ?? 0) - startFrame,
  );
}
