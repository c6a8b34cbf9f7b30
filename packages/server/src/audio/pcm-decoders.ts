import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import type { AudioFormat } from '../ports/engine.js';
import { MalformedAudioError } from './audio-sniff.js';
import { concatBytes } from './byte-queue.js';
import type { PcmAudio } from './pcm-audio.js';
import { type WavFormat, WavReader } from './wav-reader.js';

/** Decodes an encoded stream fed in pieces to PCM pieces. Call `free` once, whatever happened. */
export interface PcmDecoder {
  /** Decode the next bytes; returns the audio they completed (empty channels when none). */
  decode(chunk: Uint8Array): Promise<PcmAudio>;
  /** The input ended: return whatever audio is left. */
  flush(): Promise<PcmAudio>;
  /** Release the decoder's memory (WASM decoders hold theirs until freed). */
  free(): void;
}

interface DecodedAudio {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
}

const NO_AUDIO: PcmAudio = { sampleRate: 0, channels: [] };

function fromDecoded(result: DecodedAudio): PcmAudio {
  if (result.samplesDecoded === 0) return NO_AUDIO;
  return { sampleRate: result.sampleRate, channels: result.channelData.map((data) => data.subarray(0, result.samplesDecoded)) };
}

/** Integer or float little-endian samples of whole frames to float channels. */
export function samplesToPcm(bytes: Uint8Array, format: WavFormat): PcmAudio {
  const { channelCount, sampleRate, blockAlign, encoding } = format;
  const width = format.bitsPerSample / 8;
  const read = sampleReader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding, width);
  const frames = Math.floor(bytes.length / blockAlign);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let frame = 0; frame < frames; frame++) {
    for (let channel = 0; channel < channelCount; channel++) channels[channel][frame] = read(frame * blockAlign + channel * width);
  }
  return { sampleRate, channels };
}

function sampleReader(view: DataView, encoding: number, width: number): (offset: number) => number {
  if (encoding === 3 && width === 4) return (offset) => view.getFloat32(offset, true);
  if (encoding === 3 && width === 8) return (offset) => view.getFloat64(offset, true);
  if (encoding !== 1) throw new MalformedAudioError(`WAV encoding ${encoding} cannot be decoded (only integer or float PCM)`);
  if (width === 1) return (offset) => (view.getUint8(offset) - 128) / 128;
  if (width === 2) return (offset) => view.getInt16(offset, true) / 32768;
  if (width === 3) return (offset) => ((view.getUint8(offset + 2) << 24) | (view.getUint16(offset, true) << 8)) / 2147483648;
  if (width === 4) return (offset) => view.getInt32(offset, true) / 2147483648;
  throw new MalformedAudioError(`WAV with ${width * 8}-bit samples cannot be decoded`);
}

/** Keeps the bytes of a partial sample frame between pieces. */
class FrameAligner {
  private rest = new Uint8Array(0);

  constructor(private readonly frameBytes: number) {}

  /** The whole frames now available. */
  align(pieces: readonly Uint8Array[]): Uint8Array {
    const joined = concatBytes([this.rest, ...pieces]);
    const whole = joined.length - (joined.length % this.frameBytes);
    this.rest = joined.slice(whole);
    return joined.subarray(0, whole);
  }
}

function wavDecoder(): PcmDecoder {
  const reader = new WavReader();
  let aligner: FrameAligner | undefined;
  return {
    async decode(chunk) {
      const pieces = reader.push(chunk);
      if (!reader.format) return NO_AUDIO;
      aligner ??= new FrameAligner(reader.format.blockAlign);
      return samplesToPcm(aligner.align(pieces), reader.format);
    },
    flush: async () => NO_AUDIO,
    free() {},
  };
}

function rawPcmDecoder(sampleRate: number): PcmDecoder {
  const aligner = new FrameAligner(2);
  const format: WavFormat = { encoding: 1, channelCount: 1, sampleRate, bitsPerSample: 16, blockAlign: 2 };
  return {
    decode: async (chunk) => samplesToPcm(aligner.align([chunk]), format),
    flush: async () => NO_AUDIO,
    free() {},
  };
}

/** What the WASM decoders share; `flush` only where the format holds audio back (not MP3). */
interface WasmDecoder {
  readonly ready: Promise<void>;
  decode(chunk: Uint8Array): DecodedAudio | Promise<DecodedAudio>;
  flush?(): Promise<DecodedAudio>;
  free(): void;
}

async function wasmDecoder(decoder: WasmDecoder): Promise<PcmDecoder> {
  await decoder.ready;
  return {
    decode: async (chunk) => fromDecoded(await decoder.decode(chunk)),
    flush: async () => (decoder.flush ? fromDecoded(await decoder.flush()) : NO_AUDIO),
    free: () => decoder.free(),
  };
}

/** A decoder for `format` (raw `pcm`: s16le mono at `pcmSampleRate`); `aac` cannot be decoded in this build. */
export async function createPcmDecoder(format: AudioFormat, pcmSampleRate: number): Promise<PcmDecoder> {
  switch (format) {
    case 'wav':
      return wavDecoder();
    case 'pcm':
      return rawPcmDecoder(pcmSampleRate);
    case 'mp3':
      return wasmDecoder(new MPEGDecoder());
    case 'flac':
      return wasmDecoder(new FLACDecoder());
    case 'opus':
      return wasmDecoder(new OggOpusDecoder());
    case 'aac':
      throw new MalformedAudioError('aac input cannot be decoded in this build (no offline AAC decoder)');
  }
}
