import type { AudioFormat, ByteSink } from '../ports/engine.js';
import { flacCodec, type FrameCodec, mp3Codec, opusCodec, pcmCodec, streamingWavCodec } from './frame-codecs.js';
import type { PcmAudio } from './pcm-audio.js';
import { resample, StreamingResampler } from './resample.js';

/** Feeds audio to an encoder piece by piece; bytes reach the sink as soon as they are encoded. */
export interface StreamingEncoder {
  /** Encode one piece (e.g. one spoken sentence). Its rate should be the one given at creation. */
  write(pcm: PcmAudio): Promise<void>;
  /** Flush the encoder and write the stream's last bytes. Call once. */
  end(): Promise<void>;
}

/** Formats the streaming encoder supports. */
export const STREAMABLE_FORMATS: readonly AudioFormat[] = ['mp3', 'wav', 'flac', 'opus', 'pcm'];

/** Create the codec for `format` (throws for formats without an encoder, such as `aac`). */
export async function createFrameCodec(
  format: AudioFormat,
  sampleRate: number,
  channelCount: number,
  totalFrames = 0,
): Promise<FrameCodec> {
  switch (format) {
    case 'wav':
      return streamingWavCodec(sampleRate, channelCount, totalFrames);
    case 'pcm':
      return pcmCodec();
    case 'flac':
      return flacCodec(sampleRate, Math.min(2, channelCount), totalFrames);
    case 'opus':
      return opusCodec(channelCount);
    case 'mp3':
      return mp3Codec(sampleRate, channelCount);
    default:
      throw new Error(`No ${format} encoder is available in this build (no offline ${format} encoder package)`);
  }
}

/** Match `channels` to `count`: downmix by averaging or repeat the last channel. */
export function adaptChannels(channels: readonly Float32Array[], count: number): Float32Array[] {
  if (channels.length === count) return [...channels];
  const frames = channels[0]?.length ?? 0;
  if (count === 1) {
    const mono = new Float32Array(frames);
    for (const data of channels) for (let i = 0; i < frames; i++) mono[i] = (mono[i] as number) + (data[i] as number) / channels.length;
    return [mono];
  }
  return Array.from({ length: count }, (_, channel) => channels[Math.min(channel, channels.length - 1)] as Float32Array);
}

async function writeAll(sink: ByteSink, chunks: readonly Uint8Array[]): Promise<void> {
  for (const chunk of chunks) if (chunk.length > 0) await sink.write(chunk);
}

/**
 * A streaming encoder for `format` fed at `sampleRate` with `channelCount` channels.
 * Resamples where the codec needs it (opus → 48 kHz, pcm → 24 kHz, mp3 → nearest LAME rate).
 * Streaming WAV has 0xFFFFFFFF in its size fields (length unknown); streaming FLAC has 0 total samples.
 */
export function createStreamingEncoder(
  format: AudioFormat,
  sampleRate: number,
  channelCount: number,
  sink: ByteSink,
  totalFrames = 0,
): StreamingEncoder {
  let state: Promise<{ codec: FrameCodec; resampler?: StreamingResampler }> | undefined;
  const ready = () => {
    state ??= (async () => {
      const codec = await createFrameCodec(format, sampleRate, channelCount, totalFrames);
      await writeAll(sink, codec.start());
      const resampler =
        codec.sampleRate === sampleRate ? undefined : new StreamingResampler(sampleRate, codec.sampleRate, codec.channelCount);
      return { codec, resampler };
    })();
    return state;
  };
  return {
    async write(pcm) {
      const { codec, resampler } = await ready();
      const input = pcm.sampleRate === sampleRate ? pcm : resample(pcm, sampleRate);
      const channels = adaptChannels(input.channels, codec.channelCount);
      await writeAll(sink, codec.encode(resampler ? resampler.push(channels) : channels));
    },
    async end() {
      const { codec, resampler } = await ready();
      if (resampler) await writeAll(sink, codec.encode(resampler.flush()));
      await writeAll(sink, codec.finish());
    },
  };
}
