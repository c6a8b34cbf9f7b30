import type { AudioFormat, ByteSink } from '../ports/engine.js';
import type { PcmAudio } from './pcm-audio.js';
import { writeWav } from './wav-encoder.js';

/** The exact Content-Type the contract requires for each format. */
export const CONTENT_TYPES: Readonly<Record<AudioFormat, string>> = Object.freeze({
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  opus: 'audio/opus',
  aac: 'audio/aac',
  pcm: 'audio/pcm',
});

/** Formats this build can encode. */
export const ENCODABLE_FORMATS: readonly AudioFormat[] = ['wav'];

/** Encode a whole PCM buffer in `format` and write it to `sink`. */
export async function encodeAudio(audio: PcmAudio, format: AudioFormat, sink: ByteSink): Promise<void> {
  switch (format) {
    case 'wav':
      return writeWav(audio, sink);
    default:
      throw new Error(`No encoder for ${format}`);
  }
}
