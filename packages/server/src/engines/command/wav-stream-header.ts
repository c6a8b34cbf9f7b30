import { concatBytes } from '../../audio/byte-queue.js';

/** Most bytes held while looking for the `data` chunk (past them, the bytes go on unchanged). */
const MAX_HEADER_BYTES = 64 * 1024;
const UNKNOWN_SIZE = 0xffffffff;

/** Offset of the `data` chunk's size field; `more`: not yet found; `none`: not a RIFF/WAVE stream. */
function dataSizeOffset(bytes: Uint8Array): number | 'more' | 'none' {
  if (bytes.length < 12) return 'more';
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return 'none';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    if (tag(offset) === 'data') return offset + 4;
    const size = view.getUint32(offset + 4, true);
    offset += 8 + size + (size % 2);
  }
  return 'more';
}

/**
 * A program writing WAV to a pipe cannot seek back to fill in its sizes once it knows them:
 * espeak-ng writes 0x7FFFF000, others 0 or 0xFFFFFFFF. A `data` size larger than the largest
 * output accepted cannot be the real one: it becomes 0xFFFFFFFF ("to the end of the stream"),
 * which the WAV meter measures by counting. A WAV whose header states a possible size passes
 * unchanged, so it is still checked for truncation.
 */
export class StreamedWavHeader {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private settled = false;

  constructor(private readonly maxBytes: number) {}

  /** The next bytes; returns what may go on now. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.settled) return [chunk];
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    const bytes = concatBytes(this.held);
    const at = dataSizeOffset(bytes);
    if (at === 'more' && this.heldBytes < MAX_HEADER_BYTES) return [];
    return this.release(bytes, at);
  }

  /** The stream ended: what is still held. */
  flush(): Uint8Array[] {
    if (this.settled) return [];
    return this.release(concatBytes(this.held), 'none');
  }

  private release(bytes: Uint8Array, at: number | 'more' | 'none'): Uint8Array[] {
    this.settled = true;
    this.held = [];
    if (typeof at === 'number' && at + 4 <= bytes.length) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (view.getUint32(at, true) > this.maxBytes) {
        view.setUint32(at, UNKNOWN_SIZE, true);
        view.setUint32(4, UNKNOWN_SIZE, true);
      }
    }
    return bytes.length > 0 ? [bytes] : [];
  }
}
