/**
 * Test helper: decode encoded audio back to PCM so tests can measure what was really written.
 * Uses WASM decoders (mpg123-decoder, @wasm-audio-decoders/flac, ogg-opus-decoder; all MIT,
 * devDependencies) that run offline in Node. WAV and raw PCM are parsed here.
 */
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { concatBytes } from '../../src/audio/byte-queue.js';
import { PCM_SAMPLE_RATE } from '../../src/audio/encode-audio.js';
import type { PcmAudio } from '../../src/audio/pcm-audio.js';
import type { AudioFormat } from '../../src/ports/engine.js';

/** Parse a 16-bit PCM WAV (also one streamed with 0xFFFFFFFF sizes: reads to the end). */
export function decodeWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('Not a RIFF/WAVE file');
  let offset = 12;
  let channelCount = 0;
  let sampleRate = 0;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') {
      if (view.getUint16(offset + 8, true) !== 1 || view.getUint16(offset + 22, true) !== 16) throw new Error('Only 16-bit PCM WAV');
      channelCount = view.getUint16(offset + 10, true);
      sampleRate = view.getUint32(offset + 12, true);
    } else if (id === 'data') {
      const end = Math.min(bytes.length, offset + 8 + size);
      return int16ToPcm(bytes.subarray(offset + 8, end), sampleRate, channelCount);
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('WAV has no data chunk');
}

/** Raw signed 16-bit little-endian interleaved samples to PCM. */
export function int16ToPcm(bytes: Uint8Array, sampleRate: number, channelCount: number): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = Math.floor(bytes.length / 2 / channelCount);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let frame = 0; frame < frames; frame++) {
    for (let channel = 0; channel < channelCount; channel++) {
      (channels[channel] as Float32Array)[frame] = view.getInt16((frame * channelCount + channel) * 2, true) / 32768;
    }
  }
  return { sampleRate, channels };
}

/** What the WASM decoders answer. */
type DecodedAudio = { channelData: Float32Array[]; samplesDecoded: number; sampleRate: number };

function fromDecoded(result: DecodedAudio): PcmAudio {
  if (result.samplesDecoded === 0 || result.channelData.length === 0) throw new Error('Decoder produced no audio');
  return { sampleRate: result.sampleRate, channels: result.channelData.map((data) => data.slice(0, result.samplesDecoded)) };
}

/** Wait for a WASM `decoder`, decode with it and free it, whatever happened. */
async function decodeWhole<Decoder extends { readonly ready: Promise<void>; free(): void }>(
  decoder: Decoder,
  decode: (decoder: Decoder) => DecodedAudio | Promise<DecodedAudio>,
): Promise<PcmAudio> {
  await decoder.ready;
  try {
    return fromDecoded(await decode(decoder));
  } finally {
    decoder.free();
  }
}

/**
 * Decode `bytes` written in `format` to PCM. `pcm` is taken as s16le mono at PCM_SAMPLE_RATE.
 * MP3 output keeps the encoder's delay/padding (about 1100 samples at the start plus up to one frame).
 */
export async function decodeAudio(bytes: Uint8Array, format: AudioFormat): Promise<PcmAudio> {
  switch (format) {
    case 'wav':
      return decodeWav(bytes);
    case 'pcm':
      return int16ToPcm(bytes, PCM_SAMPLE_RATE, 1);
    case 'mp3':
      return decodeWhole(new MPEGDecoder(), (decoder) => decoder.decode(bytes));
    case 'flac':
      return decodeWhole(new FLACDecoder(), (decoder) => decoder.decodeFile(bytes));
    case 'opus':
      return decodeWhole(new OggOpusDecoder(), (decoder) => decoder.decodeFile(bytes));
    default:
      throw new Error(`Cannot decode ${format} in tests`);
  }
}

/** Collects everything written to it; `bytes()` joins the chunks. */
export class MemorySink {
  readonly chunks: Uint8Array[] = [];
  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(chunk.slice());
  }
  bytes(): Uint8Array {
    return concatBytes(this.chunks);
  }
}

/** Root-mean-square level of one channel between two sample indexes. */
export function rms(data: Float32Array, start = 0, end = data.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += (data[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, end - start));
}

/** Frequency estimate of a steady tone from its upward zero crossings (Hz). */
export function zeroCrossingFrequency(data: Float32Array, sampleRate: number): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 1; i < data.length; i++) {
    if ((data[i - 1] as number) < 0 && (data[i] as number) >= 0) {
      if (first < 0) first = i;
      else count++;
      last = i;
    }
  }
  return count > 0 ? (count * sampleRate) / (last - first) : 0;
}
