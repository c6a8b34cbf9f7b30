/**
 * Bytes received in arbitrary pieces, read by streaming parsers in pieces of known size.
 * Keeps references to the pushed chunks (no copies) until they are consumed.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Index in `chunks` of the first chunk not wholly consumed. */
  private head = 0;
  /** Read position inside chunks[head]. */
  private offset = 0;
  private size = 0;

  /** Bytes queued and not yet consumed. */
  get length(): number {
    return this.size;
  }

  /** Queue `chunk` after the bytes already queued. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The next `count` bytes as one array, without consuming them; undefined while fewer are queued. */
  peek(count: number): Uint8Array | undefined {
    if (count > this.size) return undefined;
    const first = this.chunks[this.head] ?? new Uint8Array(0);
    if (first.length - this.offset >= count) return first.subarray(this.offset, this.offset + count);
    const joined = new Uint8Array(count);
    let filled = 0;
    let start = this.offset;
    for (let index = this.head; filled < count; index++) {
      const part = (this.chunks[index] as Uint8Array).subarray(start, start + count - filled);
      joined.set(part, filled);
      filled += part.length;
      start = 0;
    }
    return joined;
  }

  /** Consume up to `count` bytes and return them as views of the queued chunks. */
  take(count: number): Uint8Array[] {
    const pieces: Uint8Array[] = [];
    let remaining = Math.min(count, this.size);
    while (remaining > 0) {
      const first = this.chunks[this.head] as Uint8Array;
      const piece = first.subarray(this.offset, this.offset + remaining);
      pieces.push(piece);
      this.consume(piece.length, first.length);
      remaining -= piece.length;
    }
    return pieces;
  }

  /** Consume up to `count` bytes without looking at them; returns how many were consumed. */
  skip(count: number): number {
    let skipped = 0;
    while (skipped < count && this.size > 0) {
      const first = this.chunks[this.head] as Uint8Array;
      const step = Math.min(count - skipped, first.length - this.offset);
      this.consume(step, first.length);
      skipped += step;
    }
    return skipped;
  }

  private consume(count: number, firstLength: number): void {
    this.offset += count;
    this.size -= count;
    if (this.offset < firstLength) return;
    this.offset = 0;
    this.head++;
    if (this.head === this.chunks.length || this.head >= 1024) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}

/** The first `limit` bytes of `chunks` as one array. */
export function concatBytes(chunks: readonly Uint8Array[], limit = Number.POSITIVE_INFINITY): Uint8Array {
  const total = Math.min(
    limit,
    chunks.reduce((sum, chunk) => sum + chunk.length, 0),
  );
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= total) break;
    const part = chunk.subarray(0, total - offset);
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
