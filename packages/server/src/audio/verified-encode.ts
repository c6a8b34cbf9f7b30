/**
 * Encoding that holds a true-peak limit in the file as served: the encoded bytes are decoded
 * again and metered (BS.1770-4); when a codec's output overshoots (MP3 and Opus ring around
 * transients; resampling for `pcm` moves inter-sample peaks), the audio is limited with that much
 * more headroom and encoded again. Nothing reaches the sink before a version passes.
 */
import type { AudioFormat, ByteSink } from '../ports/engine.js';
import { encodeAudio } from './encode-audio.js';
import { PCM_SAMPLE_RATE } from './frame-codecs.js';
import { limitTruePeak } from './master-audio.js';
import type { PcmAudio } from './pcm-audio.js';
import { createPcmDecoder } from './pcm-decoders.js';
import { TruePeakStream } from './true-peak-stream.js';

/** The true peak every built-in engine's files stay at or under, dBTP. */
export const SERVED_TRUE_PEAK_DB = -1;
/** Tries before giving up (each adds the last overshoot and a growing margin to the headroom). */
const MAX_ATTEMPTS = 6;
const DECODE_CHUNK = 65536;
const WRITE_CHUNK = 65536;

/** A sink that keeps everything written to it. */
export class BufferSink implements ByteSink {
  private readonly chunks: Uint8Array[] = [];

  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(chunk.slice());
  }

  /** Everything written, joined. */
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

/** The file's true peak in dBTP once decoded as a player would (exact above `thresholdDb`; −Infinity for silence). */
export async function measureEncodedTruePeakDb(bytes: Uint8Array, format: AudioFormat, thresholdDb = -Infinity): Promise<number> {
  const decoder = await createPcmDecoder(format, PCM_SAMPLE_RATE);
  const meter = new TruePeakStream(10 ** (thresholdDb / 20));
  try {
    for (let start = 0; start < bytes.length; start += DECODE_CHUNK)
      meter.push(await decoder.decode(bytes.subarray(start, start + DECODE_CHUNK)));
    meter.push(await decoder.flush());
    meter.finish();
  } finally {
    decoder.free();
  }
  return 20 * Math.log10(meter.peak);
}

/** Write `bytes` to `sink` in pieces. */
export async function writeBytes(bytes: Uint8Array, sink: ByteSink): Promise<void> {
  for (let start = 0; start < bytes.length; start += WRITE_CHUNK) await sink.write(bytes.subarray(start, start + WRITE_CHUNK));
}

/**
 * Encode with `encode(headroomDb)` — which must hold peaks `headroomDb` below where it would
 * otherwise — until the decoded file measures at or under `truePeakDb`; returns those bytes.
 * Throws when no attempt passes (the audio is then not served).
 */
export async function encodeWithinTruePeak(
  format: AudioFormat,
  encode: (headroomDb: number) => Promise<Uint8Array>,
  truePeakDb = SERVED_TRUE_PEAK_DB,
): Promise<Uint8Array> {
  let headroomDb = 0;
  let measured = Number.NaN;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const bytes = await encode(headroomDb);
    measured = await measureEncodedTruePeakDb(bytes, format, truePeakDb);
    if (!(measured > truePeakDb)) return bytes;
    headroomDb += measured - truePeakDb + 0.1 * (attempt + 1);
  }
  throw new Error(`The ${format} encoding still measured ${measured.toFixed(2)} dBTP after ${MAX_ATTEMPTS} attempts`);
}

/**
 * `encodeAudio` that holds `truePeakDb` in the decoded file: the audio is true-peak limited
 * (only where it exceeds the limit), encoded and measured, and limited harder while the codec
 * overshoots. Audio already under the limit with a codec that keeps it there is encoded once, as is.
 */
export async function encodeAudioWithinTruePeak(
  audio: PcmAudio,
  format: AudioFormat,
  sink: ByteSink,
  truePeakDb = SERVED_TRUE_PEAK_DB,
): Promise<void> {
  const bytes = await encodeWithinTruePeak(
    format,
    async (headroomDb) => {
      const out = new BufferSink();
      await encodeAudio(limitTruePeak(audio, truePeakDb - headroomDb), format, out);
      return out.bytes();
    },
    truePeakDb,
  );
  await writeBytes(bytes, sink);
}
