import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import type { AudioFormat } from '../ports/engine.js';
import { MalformedAudioError } from './audio-sniff.js';
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
    const total = pieces.reduce((sum, piece) => sum + piece.length, this.rest.length);
    const joined = new Uint8Array(total);
    joined.set(this.rest);
    let offset = this.rest.length;
    for (const piece of pieces) {
      joined.set(piece, offset);
      offset += piece.length;
    }
    const whole = total - (total % this.frameBytes);
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

/** A decoder for `format` (raw `pcm`: s16le mono at `pcmSampleRate`); `aac` cannot be decoded in this build. */
export async function createPcmDecoder(format: AudioFormat, pcmSampleRate: number): Promise<PcmDecoder> {
  switch (format) {
    case 'wav':
      return wavDecoder();
    case 'pcm':
      return rawPcmDecoder(pcmSampleRate);
    case 'mp3': {
      const decoder = new MPEGDecoder();
      await decoder.ready;
      return { decode: async (chunk) => fromDecoded(decoder.decode(chunk)), flush: async () => NO_AUDIO, free: () => decoder.free() };
    }
    case 'flac': {
      const decoder = new FLACDecoder();
      await decoder.ready;
      return {
        decode: async (chunk) => fromDecoded(await decoder.decode(chunk)),
        flush: async () => fromDecoded(await decoder.flush()),
        free: () => decoder.free(),
      };
    }
    case 'opus': {
      const decoder = new OggOpusDecoder();
      await decoder.ready;
      return {
        decode: async (chunk) => fromDecoded(await decoder.decode(chunk)),
        flush: async () => fromDecoded(await decoder.flush()),
        free: () => decoder.free(),
      };
    }
    case 'aac':
      throw new MalformedAudioError('aac input cannot be decoded in this build (no offline AAC decoder)');
  }
}
