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
 * Encode `audio` (at 32, 44.1 or 48 kHz; at most two channels) in two halves at once and write
 * the joined stream to `sink`. Falls back to one thread when no clean join exists (rare).
 */
export async function encodeMp3InParallel(audio: PcmAudio, sink: ByteSink, encodeTail: EncodeTail): Promise<void> {
  const channels = audio.channels.slice(0, 2);
  const frames = channels[0]?.length ?? 0;
  const middle = Math.round(frames / MP3_FRAME_SAMPLES / 2);
  const tailFirstFrame = middle - SEARCH_FRAMES - PRE_ROLL_FRAMES;
  const headEnd = (middle + SEARCH_FRAMES + POST_ROLL_FRAMES) * MP3_FRAME_SAMPLES;
  if (tailFirstFrame < 1 || headEnd >= frames) return encodeMp3Sequentially(audio, sink);
  const tail = encodeTail(channels, audio.sampleRate, tailFirstFrame * MP3_FRAME_SAMPLES);
  tail.catch(() => {});
  const head = await encodeRange(channels, audio.sampleRate, headEnd);
  const candidates = [middle];
  for (let step = 1; step <= SEARCH_FRAMES; step++) candidates.push(middle + step, middle - step);
  const joined = spliceMp3(head, await tail, tailFirstFrame, candidates);
  if (!joined) return encodeMp3Sequentially(audio, sink);
  for (let start = 0; start < joined.length; start += WRITE_BYTES) await sink.write(joined.subarray(start, start + WRITE_BYTES));
}

/** Encode a tail for `encodeMp3InParallel` on this thread (what the worker side runs). */
export function encodeTailHere(channels: readonly Float32Array[], sampleRate: number, startFrame: number): Promise<Uint8Array> {
  return encodeRange(
    channels.map((data) => data.subarray(startFrame)),
    sampleRate,
    (channels[0]?.length ?? 0) - startFrame,
  );
}
