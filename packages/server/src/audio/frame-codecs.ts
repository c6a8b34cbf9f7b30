import { encodeFlacFrame, FLAC_BLOCK_SIZE, flacStreamHeader } from './flac-encoder.js';
import { Mp3Writer, mp3RateFor } from './mp3-writer.js';
import { OggOpusWriter, OPUS_SAMPLE_RATE } from './ogg-opus-writer.js';
import { wavHeader } from './wav-encoder.js';

/**
 * Sample rate of the `pcm` format: raw signed 16-bit little-endian mono, no header,
 * 24000 samples per second (the rate OpenAI-compatible clients assume for `pcm`).
 */
export const PCM_SAMPLE_RATE = 24000;

/** A codec fed with float PCM at its own `sampleRate` and `channelCount`, returning encoded bytes. */
export interface FrameCodec {
  readonly sampleRate: number;
  readonly channelCount: number;
  start(): Uint8Array[];
  encode(channels: readonly Float32Array[]): Uint8Array[];
  finish(): Uint8Array[];
}

/** Float sample to signed 16-bit, clipping at full scale (same rounding as the WAV writer). */
export function floatToInt16(sample: number): number {
  const clipped = Math.max(-1, Math.min(1, sample));
  return clipped < 0 ? Math.round(clipped * 32768) : Math.round(clipped * 32767);
}

function interleave16(channels: readonly Float32Array[]): Uint8Array {
  const count = channels.length;
  const frames = channels[0]?.length ?? 0;
  const out = new Int16Array(frames * count);
  for (let channel = 0; channel < count; channel++) {
    const data = channels[channel] as Float32Array;
    for (let i = 0; i < frames; i++) out[i * count + channel] = floatToInt16(data[i] as number);
  }
  return new Uint8Array(out.buffer);
}

/**
 * WAV for streaming. With `totalFrames` (a file whose length is known in advance) the header
 * carries the exact sizes; without it the RIFF and data sizes are 0xFFFFFFFF ("unknown/maximum"),
 * as streaming servers write them, and players read until the end of the stream.
 */
export function streamingWavCodec(sampleRate: number, channelCount: number, totalFrames = 0): FrameCodec {
  return {
    sampleRate,
    channelCount,
    start() {
      if (totalFrames > 0) return [wavHeader(sampleRate, channelCount, totalFrames)];
      const header = wavHeader(sampleRate, channelCount, 0);
      const view = new DataView(header.buffer);
      view.setUint32(4, 0xffffffff, true);
      view.setUint32(40, 0xffffffff, true);
      return [header];
    },
    encode: (channels) => [interleave16(channels)],
    finish: () => [],
  };
}

/** Raw `pcm`: 16-bit little-endian mono at PCM_SAMPLE_RATE. */
export function pcmCodec(): FrameCodec {
  return {
    sampleRate: PCM_SAMPLE_RATE,
    channelCount: 1,
    start: () => [],
    encode: (channels) => [interleave16(channels)],
    finish: () => [],
  };
}

/** FLAC in 4096-sample frames; `totalFrames` 0 when the length is unknown (streaming). */
export function flacCodec(sampleRate: number, channelCount: number, totalFrames = 0): FrameCodec {
  let pending: Int32Array[] = Array.from({ length: channelCount }, () => new Int32Array(0));
  let frameNumber = 0;
  const drain = (final: boolean): Uint8Array[] => {
    const out: Uint8Array[] = [];
    const available = pending[0]?.length ?? 0;
    let offset = 0;
    while (available - offset >= FLAC_BLOCK_SIZE || (final && available - offset > 0)) {
      const size = Math.min(FLAC_BLOCK_SIZE, available - offset);
      out.push(
        encodeFlacFrame(
          pending.map((data) => data.subarray(offset, offset + size)),
          frameNumber++,
          sampleRate,
        ),
      );
      offset += size;
    }
    pending = pending.map((data) => data.slice(offset));
    return out;
  };
  return {
    sampleRate,
    channelCount,
    start: () => [flacStreamHeader(sampleRate, channelCount, totalFrames)],
    encode(channels) {
      pending = pending.map((old, channel) => {
        const add = channels[channel] as Float32Array;
        const joined = new Int32Array(old.length + add.length);
        joined.set(old);
        for (let i = 0; i < add.length; i++) joined[old.length + i] = floatToInt16(add[i] as number);
        return joined;
      });
      return drain(false);
    },
    finish: () => drain(true),
  };
}

/** Ogg Opus at 48 kHz. */
export function opusCodec(channelCount: number): FrameCodec {
  const writer = new OggOpusWriter(channelCount >= 2 ? 2 : 1);
  return {
    sampleRate: OPUS_SAMPLE_RATE,
    channelCount: writer.channelCount,
    start: () => writer.start(),
    encode: (channels) => writer.encode(channels),
    finish: () => writer.finish(),
  };
}

/** CBR MP3 at the input rate when LAME supports it natively, else the next supported rate. */
export async function mp3Codec(sampleRate: number, channelCount: number): Promise<FrameCodec> {
  const rate = mp3RateFor(sampleRate);
  const channels = channelCount >= 2 ? 2 : 1;
  const writer = await Mp3Writer.create(rate, channels);
  return {
    sampleRate: rate,
    channelCount: channels,
    start: () => [],
    encode: (data) => writer.encode(data),
    finish: () => writer.finish(),
  };
}
