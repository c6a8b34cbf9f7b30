import type { AudioFormat, ByteSink } from '../ports/engine.js';
import type { PcmAudio } from './pcm-audio.js';
import { createStreamingEncoder } from './streaming-encoder.js';
import { writeWav } from './wav-encoder.js';

export { PCM_SAMPLE_RATE } from './frame-codecs.js';
export { resample } from './resample.js';
export { createStreamingEncoder, type StreamingEncoder, STREAMABLE_FORMATS } from './streaming-encoder.js';

/** The exact Content-Type the contract requires for each format. */
export const CONTENT_TYPES: Readonly<Record<AudioFormat, string>> = Object.freeze({
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  opus: 'audio/opus',
  aac: 'audio/aac',
  pcm: 'audio/pcm',
});

/**
 * Formats this build can encode. `aac` is absent: no offline AAC encoder exists among the
 * npm packages available, and `encodeAudio` throws a clear error for it.
 */
export const ENCODABLE_FORMATS: readonly AudioFormat[] = ['mp3', 'wav', 'flac', 'opus', 'pcm'];

/**
 * Encode a whole PCM buffer in `format` and write it to `sink`.
 * mp3: CBR 128 kbps stereo / 64 kbps mono; flac: 16-bit with the total length in STREAMINFO;
 * opus: Ogg Opus at 48 kHz; pcm: s16le mono at PCM_SAMPLE_RATE; wav: 16-bit with exact sizes.
 */
export async function encodeAudio(audio: PcmAudio, format: AudioFormat, sink: ByteSink): Promise<void> {
  if (format === 'wav') return writeWav(audio, sink);
  if (!ENCODABLE_FORMATS.includes(format)) throw new Error(`No ${format} encoder is available in this build`);
  const frames = audio.channels[0]?.length ?? 0;
  const totalFrames = format === 'flac' ? frames : 0;
  const encoder = createStreamingEncoder(format, audio.sampleRate, audio.channels.length, sink, totalFrames);
  const block = audio.sampleRate * 10;
  for (let start = 0; start < frames; start += block) {
    const end = Math.min(frames, start + block);
    await encoder.write({ sampleRate: audio.sampleRate, channels: audio.channels.map((data) => data.subarray(start, end)) });
  }
  await encoder.end();
}
