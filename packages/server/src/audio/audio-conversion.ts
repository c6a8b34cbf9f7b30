import type { AudioFormat, ByteSink } from '../ports/engine.js';
import { MalformedAudioError } from './audio-sniff.js';
import type { PcmAudio } from './pcm-audio.js';
import { createPcmDecoder, type PcmDecoder } from './pcm-decoders.js';
import { StreamingResampler } from './resample.js';
import { adaptChannels, createStreamingEncoder, type StreamingEncoder } from './streaming-encoder.js';

/** Largest input piece handed to a decoder at once, so decoded PCM per step stays small. */
const DECODE_PIECE_BYTES = 1 << 16;

/** What a conversion needs to know besides the bytes. */
export interface ConversionOptions {
  readonly source: AudioFormat;
  readonly target: AudioFormat;
  readonly sink: ByteSink;
  readonly pcmSampleRate: number;
  /** The rate to encode at, given the decoded rate (the encoder may still convert, e.g. opus → 48 kHz). */
  readonly encodeRate: (decodedRate: number) => number;
  /** The channel count the container declares (mp3 decodes mono as two equal channels), if known. */
  readonly declaredChannels: () => number | undefined;
}

/**
 * Decodes a stream piece by piece and re-encodes it with `createStreamingEncoder`, resampling on
 * the way when asked: memory stays bounded whatever the input length. Counts the decoded frames.
 */
export class AudioConversion {
  private encoder: StreamingEncoder | undefined;
  private resampler: StreamingResampler | undefined;
  private decodedRate = 0;
  private channelCount = 0;
  private encodeRate = 0;
  private frames = 0;
  private freed = false;

  private constructor(
    private readonly decoder: PcmDecoder,
    private readonly options: ConversionOptions,
  ) {}

  /** Create the decoder for `options.source` (throws for `aac`, which has no decoder here). */
  static async create(options: ConversionOptions): Promise<AudioConversion> {
    return new AudioConversion(await createPcmDecoder(options.source, options.pcmSampleRate), options);
  }

  /** Decode `chunk` and encode what it completed; resolves once the sink took the bytes. */
  async write(chunk: Uint8Array): Promise<void> {
    for (let start = 0; start < chunk.length; start += DECODE_PIECE_BYTES) {
      await this.feed(await this.decoder.decode(chunk.subarray(start, start + DECODE_PIECE_BYTES)));
    }
  }

  /** Flush decoder, resampler and encoder; returns the decoded duration in seconds. Frees the decoder. */
  async end(): Promise<number> {
    try {
      await this.feed(await this.decoder.flush());
    } finally {
      this.free();
    }
    const encoder = this.encoder;
    if (!encoder || this.frames === 0) throw new MalformedAudioError(`${this.options.source} decoded to no audio`);
    if (this.resampler) await encoder.write({ sampleRate: this.encodeRate, channels: this.resampler.flush() });
    await encoder.end();
    return this.frames / this.decodedRate;
  }

  /** Release the decoder (idempotent). */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.decoder.free();
  }

  private async feed(audio: PcmAudio): Promise<void> {
    const length = audio.channels[0]?.length ?? 0;
    if (length === 0) return;
    if (!this.encoder) this.start(audio);
    else if (audio.sampleRate !== this.decodedRate) {
      throw new MalformedAudioError(`${this.options.source} changes sample rate mid-stream`);
    }
    this.frames += length;
    const channels = adaptChannels(audio.channels, this.channelCount);
    const output = this.resampler ? this.resampler.push(channels) : channels;
    if ((output[0]?.length ?? 0) > 0) await this.encoder?.write({ sampleRate: this.encodeRate, channels: output });
  }

  private start(audio: PcmAudio): void {
    const { target, sink, encodeRate, declaredChannels } = this.options;
    this.decodedRate = audio.sampleRate;
    this.channelCount = Math.min(audio.channels.length, declaredChannels() ?? audio.channels.length);
    this.encodeRate = encodeRate(audio.sampleRate);
    if (this.encodeRate !== audio.sampleRate) {
      this.resampler = new StreamingResampler(audio.sampleRate, this.encodeRate, this.channelCount);
    }
    this.encoder = createStreamingEncoder(target, this.encodeRate, this.channelCount, sink);
  }
}
