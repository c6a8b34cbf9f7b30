import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createEncoder, type WasmMediaEncoder } from 'wasm-media-encoders';

type Mp3Encoder = WasmMediaEncoder<'audio/mpeg'>;

/** Sample rates LAME writes natively (MPEG-1 and MPEG-2 layer III). */
export const MP3_SAMPLE_RATES: readonly number[] = [16000, 22050, 24000, 32000, 44100, 48000];

/** The MP3 rate to encode `inputRate` at: itself when native, else the nearest higher one (or 48000). */
export function mp3RateFor(inputRate: number): number {
  if (MP3_SAMPLE_RATES.includes(inputRate)) return inputRate;
  return MP3_SAMPLE_RATES.find((rate) => rate >= inputRate) ?? 48000;
}

/** Idle LAME instances kept for reuse: instantiating one (16 MB of WASM memory) costs tens of ms. */
const MAX_IDLE_ENCODERS = 4;
const idle: Mp3Encoder[] = [];
let compiled: Promise<WebAssembly.Module> | undefined;

/** LAME's WebAssembly module, read and compiled once per thread (not decoded from base64 per encoder). */
function lameModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const path = createRequire(import.meta.url).resolve('wasm-media-encoders/wasm/mp3');
    return WebAssembly.compile(await readFile(path));
  })();
  compiled.catch(() => {
    compiled = undefined;
  });
  return compiled;
}

async function takeEncoder(): Promise<Mp3Encoder> {
  return idle.pop() ?? createEncoder('audio/mpeg', await lameModule());
}

/** Frames per `encode` call into the WASM encoder (its input buffer grows to the largest call). */
const CALL_FRAMES = 1152 * 64;

/**
 * Constant-bit-rate MP3 (128 kbps stereo, 64 kbps mono) so that players compute the length
 * from the file size correctly. Input must already be at a rate from `MP3_SAMPLE_RATES`.
 */
export class Mp3Writer {
  private encoder: Mp3Encoder | undefined;

  private constructor(encoder: Mp3Encoder) {
    this.encoder = encoder;
  }

  /** Create a LAME encoder for `sampleRate` (one of MP3_SAMPLE_RATES) and `channelCount`. */
  static async create(sampleRate: number, channelCount: 1 | 2): Promise<Mp3Writer> {
    const encoder = await takeEncoder();
    encoder.configure({
      sampleRate,
      channels: channelCount,
      bitrate: channelCount === 2 ? 128 : 64,
      outputSampleRate: sampleRate as 16000,
    });
    return new Mp3Writer(encoder);
  }

  private get lame(): Mp3Encoder {
    if (!this.encoder) throw new Error('Mp3Writer used after finish()');
    return this.encoder;
  }

  /** Encode a piece of audio; returns a copy of whatever frames LAME completed. */
  encode(channels: readonly Float32Array[]): Uint8Array[] {
    const out: Uint8Array[] = [];
    const length = channels[0]?.length ?? 0;
    for (let start = 0; start < length; start += CALL_FRAMES) {
      const end = Math.min(length, start + CALL_FRAMES);
      const bytes = this.lame.encode(channels.map((data) => data.subarray(start, end)));
      if (bytes.length > 0) out.push(bytes.slice());
    }
    return out;
  }

  /** Flush the last frames; the LAME instance goes back to the pool for the next writer. */
  finish(): Uint8Array[] {
    const encoder = this.lame;
    const bytes = encoder.finalize();
    const last = bytes.length > 0 ? [bytes.slice()] : [];
    this.encoder = undefined;
    if (idle.length < MAX_IDLE_ENCODERS) idle.push(encoder);
    return last;
  }
}
