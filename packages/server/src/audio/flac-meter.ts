import type { AudioMeter } from './audio-meter.js';
import { MalformedAudioError } from './audio-sniff.js';
import { ByteQueue, concatBytes } from './byte-queue.js';
import { parseFlacFrameHeader } from './flac-frame-header.js';

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x8005 : crc << 1;
    table[byte] = crc & 0xffff;
  }
  return table;
})();

/** Longest FLAC frame header: sync, 2 bytes, 7-byte number, 2-byte block size, 2-byte rate, CRC-8. */
const MAX_HEADER_BYTES = 16;

/**
 * Walks a native FLAC stream without keeping it: reads STREAMINFO, then finds each frame by its
 * sync code and header CRC-8 where the previous frame's CRC-16 checks out, summing block sizes.
 * A stream whose last frame fails its CRC-16 (cut short), whose frames hold fewer samples than
 * STREAMINFO announces, or that has no frame is malformed.
 */
export class FlacMeter implements AudioMeter {
  sampleRate: number | undefined;
  channelCount: number | undefined;
  private readonly queue = new ByteQueue();
  private state: 'magic' | 'metadata' | 'frames' = 'magic';
  private announcedSamples = 0;
  /** Bytes of frame data not scanned yet (fewer than a header's length past a possible sync). */
  private carry = new Uint8Array(0);
  /** CRC-16 of the current frame's bytes so far; 0 exactly where a complete frame could end. */
  private crc = 0;
  private bytesInFrame = 0;
  /** Shortest possible length of the current frame: its header, a subframe byte per channel and the CRC-16. */
  private minimumFrameBytes = 0;
  private frameCount = 0;
  private sampleCount = 0;

  push(chunk: Uint8Array): void {
    if (this.state === 'frames') {
      this.scan([chunk], false);
      return;
    }
    this.queue.push(chunk);
    while (this.readHeader()) {}
  }

  finish(): number {
    if (this.state !== 'frames') throw new MalformedAudioError('FLAC ends inside its metadata (truncated)');
    this.scan([], true);
    if (this.frameCount === 0) throw new MalformedAudioError('FLAC holds no audio frames');
    if (this.crc !== 0 || this.bytesInFrame < this.minimumFrameBytes)
      throw new MalformedAudioError('FLAC ends in the middle of a frame (truncated)');
    if (this.sampleCount < this.announcedSamples) {
      throw new MalformedAudioError(`FLAC holds ${this.sampleCount} samples where STREAMINFO says ${this.announcedSamples} (truncated)`);
    }
    return this.sampleCount / (this.sampleRate as number);
  }

  /** Read the magic or one metadata block; false when more bytes are needed. */
  private readHeader(): boolean {
    if (this.state === 'magic') {
      const magic = this.queue.peek(4);
      if (!magic) return false;
      if (String.fromCharCode(...magic) !== 'fLaC') throw new MalformedAudioError('not a FLAC file (no fLaC marker)');
      this.queue.skip(4);
      this.state = 'metadata';
      return true;
    }
    const head = this.queue.peek(4);
    if (!head) return false;
    const type = head[0] & 0x7f;
    const length = (head[1] << 16) | (head[2] << 8) | head[3];
    if (this.sampleRate === undefined) {
      if (type !== 0 || length < 34) throw new MalformedAudioError('FLAC does not start with STREAMINFO');
      const block = this.queue.peek(4 + 34);
      if (!block) return false;
      this.readStreamInfo(block.subarray(4));
    }
    if (type === 127) throw new MalformedAudioError('FLAC has an invalid metadata block');
    if (this.queue.length < 4 + length) return false;
    this.queue.skip(4 + length);
    if (!(head[0] & 0x80)) return true;
    this.state = 'frames';
    this.scan(this.queue.take(this.queue.length), false);
    return false;
  }

  private readStreamInfo(info: Uint8Array): void {
    this.sampleRate = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4);
    this.channelCount = ((info[12] >> 1) & 7) + 1;
    this.announcedSamples = (info[13] & 0xf) * 2 ** 32 + new DataView(info.buffer, info.byteOffset).getUint32(14);
    if (this.sampleRate === 0) throw new MalformedAudioError('FLAC STREAMINFO has a zero sample rate');
  }

  /** Scan frame bytes: `pieces` follow the carry; at `final` the stream has ended. */
  private scan(pieces: readonly Uint8Array[], final: boolean): void {
    const bytes = concatBytes([this.carry, ...pieces]);
    let index = 0;
    for (; index < bytes.length; index++) {
      const atBoundary = this.frameCount === 0 ? this.bytesInFrame === 0 : this.crc === 0 && this.bytesInFrame >= this.minimumFrameBytes;
      if (atBoundary && (this.frameCount === 0 || bytes[index] === 0xff)) {
        if (!final && index + MAX_HEADER_BYTES > bytes.length) break;
        const header = parseFlacFrameHeader(bytes, index);
        if (header) {
          this.frameCount++;
          this.sampleCount += header.samples;
          this.bytesInFrame = 0;
          this.minimumFrameBytes = header.headerBytes + (this.channelCount as number) + 2;
        } else if (this.frameCount === 0) {
          throw new MalformedAudioError('FLAC has no valid frame after its metadata');
        }
      }
      this.crc = ((this.crc << 8) ^ CRC16_TABLE[((this.crc >> 8) ^ bytes[index]) & 0xff]) & 0xffff;
      this.bytesInFrame++;
    }
    this.carry = bytes.slice(index);
  }
}
