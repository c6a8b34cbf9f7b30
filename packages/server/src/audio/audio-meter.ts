import type { AudioFormat } from '../ports/engine.js';
import { MalformedAudioError } from './audio-sniff.js';
import { FlacMeter } from './flac-meter.js';
import { adtsMeter, mp3Meter } from './framed-audio-meter.js';
import { OggOpusMeter } from './ogg-opus-meter.js';
import { WavReader } from './wav-reader.js';

/**
 * Measures and validates an encoded file as it streams by, keeping only a few bytes (at most
 * one frame or page). It throws MalformedAudioError as soon as the bytes cannot be the format,
 * and from `finish` when the file turned out truncated or holds no audio.
 */
export interface AudioMeter {
  /** The stream's sample rate, once its header has been read. */
  readonly sampleRate: number | undefined;
  /** The stream's channel count, once its header has been read. */
  readonly channelCount: number | undefined;
  /** Read the next bytes. */
  push(chunk: Uint8Array): void;
  /** The stream ended: check it is complete and return its duration in seconds. */
  finish(): number;
}

/** Raw s16le mono PCM: the duration is the byte count. */
class PcmMeter implements AudioMeter {
  readonly channelCount = 1;
  private bytes = 0;

  constructor(readonly sampleRate: number) {}

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
  }

  finish(): number {
    if (this.bytes % 2 !== 0) throw new MalformedAudioError('pcm ends in the middle of a sample (truncated)');
    if (this.bytes === 0) throw new MalformedAudioError('pcm holds no audio');
    return this.bytes / 2 / this.sampleRate;
  }
}

/** A meter for `format`; raw `pcm` is s16le mono at `pcmSampleRate`. */
export function createAudioMeter(format: AudioFormat, pcmSampleRate: number): AudioMeter {
  switch (format) {
    case 'wav':
      return new WavReader();
    case 'mp3':
      return mp3Meter();
    case 'aac':
      return adtsMeter();
    case 'flac':
      return new FlacMeter();
    case 'opus':
      return new OggOpusMeter();
    case 'pcm':
      return new PcmMeter(pcmSampleRate);
  }
}
