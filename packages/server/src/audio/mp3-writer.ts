import { createMp3Encoder } from 'wasm-media-encoders';

type Mp3Encoder = Awaited<ReturnType<typeof createMp3Encoder>>;

/** Sample rates LAME writes natively (MPEG-1 and MPEG-2 layer III). */
export const MP3_SAMPLE_RATES: readonly number[] = [16000, 22050, 24000, 32000, 44100, 48000];

/** The MP3 rate to encode `inputRate` at: itself when native, else the nearest higher one (or 48000). */
export function mp3RateFor(inputRate: number): number {
  if (MP3_SAMPLE_RATES.includes(inputRate)) return inputRate;
  return MP3_SAMPLE_RATES.find((rate) => rate >= inputRate) ?? 48000;
}

/**
 * Constant-bit-rate MP3 (128 kbps stereo, 64 kbps mono) so that players compute the length
 * from the file size correctly. Input must already be at a rate from `MP3_SAMPLE_RATES`.
 */
export class Mp3Writer {
  private constructor(private readonly encoder: Mp3Encoder) {}

  /** Create a LAME encoder for `sampleRate` (one of MP3_SAMPLE_RATES) and `channelCount`. */
  static async create(sampleRate: number, channelCount: 1 | 2): Promise<Mp3Writer> {
    const encoder = await createMp3Encoder();
    encoder.configure({
      sampleRate,
      channels: channelCount,
      bitrate: channelCount === 2 ? 128 : 64,
      outputSampleRate: sampleRate as 16000,
    });
    return new Mp3Writer(encoder);
  }

  /** Encode a piece of audio; returns a copy of whatever frames LAME completed. */
  encode(channels: readonly Float32Array[]): Uint8Array[] {
    const out: Uint8Array[] = [];
    const block = 1152 * 64;
    const length = channels[0]?.length ?? 0;
    for (let start = 0; start < length; start += block) {
      const bytes = this.encoder.encode(channels.map((data) => data.subarray(start, Math.min(length, start + block))));
      if (bytes.length > 0) out.push(bytes.slice());
    }
    return out;
  }

  /** Flush the last frames. */
  finish(): Uint8Array[] {
    const bytes = this.encoder.finalize();
    return bytes.length > 0 ? [bytes.slice()] : [];
  }
}
