import type { AudioMeter } from './audio-meter.js';
import { MalformedAudioError } from './audio-sniff.js';
import { ByteQueue } from './byte-queue.js';

/** The `fmt ` chunk of a WAV file. */
export interface WavFormat {
  /** 1: integer PCM, 3: IEEE float (WAVE_FORMAT_EXTENSIBLE resolved to its sub-format); others are kept as is. */
  readonly encoding: number;
  readonly channelCount: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  /** Bytes per sample frame (all channels). */
  readonly blockAlign: number;
}

/** The data-size value streaming writers use for "unknown length: read to the end". */
const UNKNOWN_SIZE = 0xffffffff;
const MAX_FMT_BYTES = 4096;

function tag(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

function parseFormat(chunk: Uint8Array): WavFormat {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const tagValue = view.getUint16(0, true);
  const encoding = tagValue === 0xfffe && chunk.length >= 26 ? view.getUint16(24, true) : tagValue;
  const format = {
    encoding,
    channelCount: view.getUint16(2, true),
    sampleRate: view.getUint32(4, true),
    blockAlign: view.getUint16(12, true),
    bitsPerSample: view.getUint16(14, true),
  };
  if (format.channelCount === 0 || format.sampleRate === 0 || format.blockAlign === 0) {
    throw new MalformedAudioError('WAV fmt chunk has zero channels, rate or block size');
  }
  return format;
}

/**
 * Reads a WAV file as it streams by: parses the header (skipping chunks other than `fmt ` and
 * `data`), hands back the sample bytes, and checks at the end that the data is as long as the
 * header says. A data size of 0xFFFFFFFF or 0 (streaming WAV) means "count to the end".
 */
export class WavReader implements AudioMeter {
  /** The `fmt ` chunk, once read. */
  format: WavFormat | undefined;
  private readonly queue = new ByteQueue();
  private state: 'riff' | 'chunk' | 'fmt' | 'skip' | 'data' | 'trailer' = 'riff';
  /** Bytes of the current chunk still to read (Infinity: data to the end). */
  private remaining = 0;
  private declaredDataBytes: number | undefined;
  private dataBytes = 0;

  get sampleRate(): number | undefined {
    return this.format?.sampleRate;
  }

  get channelCount(): number | undefined {
    return this.format?.channelCount;
  }

  /** Read the next bytes; returns the sample bytes among them (views of `chunk`, any alignment). */
  push(chunk: Uint8Array): Uint8Array[] {
    this.queue.push(chunk);
    const samples: Uint8Array[] = [];
    while (this.step(samples)) {}
    return samples;
  }

  finish(): number {
    if (this.state !== 'data' && this.state !== 'trailer') throw new MalformedAudioError('WAV ends before its audio data');
    const format = this.format as WavFormat;
    if (this.declaredDataBytes !== undefined && this.dataBytes < this.declaredDataBytes) {
      throw new MalformedAudioError(`WAV data is ${this.dataBytes} bytes where its header says ${this.declaredDataBytes} (truncated)`);
    }
    if (this.dataBytes % format.blockAlign !== 0) throw new MalformedAudioError('WAV ends in the middle of a sample (truncated)');
    if (this.dataBytes === 0) throw new MalformedAudioError('WAV holds no audio');
    return this.dataBytes / format.blockAlign / format.sampleRate;
  }

  /** Make one step of progress; false when more bytes are needed. */
  private step(samples: Uint8Array[]): boolean {
    switch (this.state) {
      case 'riff': {
        const head = this.queue.peek(12);
        if (!head) return false;
        if (tag(head, 0) !== 'RIFF' || tag(head, 8) !== 'WAVE') throw new MalformedAudioError('not a WAV file (no RIFF/WAVE header)');
        this.queue.skip(12);
        this.state = 'chunk';
        return true;
      }
      case 'chunk':
        return this.readChunkHeader();
      case 'fmt': {
        const body = this.queue.peek(this.remaining);
        if (!body) return false;
        this.format = parseFormat(body);
        this.queue.skip(this.remaining);
        this.state = 'chunk';
        return true;
      }
      case 'skip':
        this.remaining -= this.queue.skip(this.remaining);
        if (this.remaining > 0) return false;
        this.state = 'chunk';
        return true;
      case 'data': {
        const pieces = this.queue.take(this.remaining);
        for (const piece of pieces) this.dataBytes += piece.length;
        samples.push(...pieces);
        this.remaining -= pieces.reduce((sum, piece) => sum + piece.length, 0);
        if (this.remaining === 0) this.state = 'trailer';
        return this.state === 'trailer';
      }
      case 'trailer':
        this.queue.skip(this.queue.length);
        return false;
    }
  }

  private readChunkHeader(): boolean {
    const head = this.queue.peek(8);
    if (!head) return false;
    const id = tag(head, 0);
    const size = new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true);
    this.queue.skip(8);
    if (id === 'data') {
      if (!this.format) throw new MalformedAudioError('WAV data chunk comes before its fmt chunk');
      this.declaredDataBytes = size === UNKNOWN_SIZE || size === 0 ? undefined : size;
      this.remaining = this.declaredDataBytes ?? Number.POSITIVE_INFINITY;
      this.state = 'data';
    } else if (id === 'fmt ') {
      if (size < 16 || size > MAX_FMT_BYTES) throw new MalformedAudioError(`WAV fmt chunk of ${size} bytes`);
      this.remaining = size + (size % 2);
      this.state = 'fmt';
    } else {
      this.remaining = size + (size % 2);
      this.state = 'skip';
    }
    return true;
  }
}
