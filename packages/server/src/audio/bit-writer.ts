/** Big-endian bit writer used by the FLAC encoder; grows its buffer as needed. */
export class BitWriter {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  private accumulator = 0;
  private pending = 0;

  /** Number of whole bytes written so far (call after `alignToByte` for an exact count). */
  get byteLength(): number {
    return this.length;
  }

  /** Write the low `count` bits of `value` (count ≤ 32), most significant first. */
  write(value: number, count: number): void {
    if (count > 24) {
      this.write(Math.floor(value / 65536), count - 16);
      this.write(value & 0xffff, 16);
      return;
    }
    const mask = count === 32 ? 0xffffffff : (1 << count) - 1;
    this.accumulator = ((this.accumulator << count) | (value & mask)) >>> 0;
    this.pending += count;
    while (this.pending >= 8) {
      this.pending -= 8;
      this.pushByte((this.accumulator >>> this.pending) & 0xff);
    }
    this.accumulator &= (1 << this.pending) - 1;
  }

  /** Write `count` zero bits followed by a one bit (unary code). */
  writeUnary(count: number): void {
    let remaining = count;
    while (remaining >= 24) {
      this.write(0, 24);
      remaining -= 24;
    }
    this.write(1, remaining + 1);
  }

  /** Pad with zero bits up to the next byte boundary. */
  alignToByte(): void {
    if (this.pending > 0) this.write(0, 8 - this.pending);
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(start = 0, end = this.length): Uint8Array {
    return this.bytes.subarray(start, end);
  }

  /** A copy of all bytes written; the writer is reset. */
  take(): Uint8Array {
    const out = this.bytes.slice(0, this.length);
    this.length = 0;
    return out;
  }

  private pushByte(byte: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = byte;
  }
}

function makeTable(polynomial: number, width: number): Uint16Array {
  const table = new Uint16Array(256);
  const top = 1 << (width - 1);
  const mask = (1 << width) - 1;
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << (width - 8);
    for (let bit = 0; bit < 8; bit++) crc = crc & top ? ((crc << 1) ^ polynomial) & mask : (crc << 1) & mask;
    table[byte] = crc;
  }
  return table;
}

const CRC8_TABLE = makeTable(0x07, 8);
const CRC16_TABLE = makeTable(0x8005, 16);

/** FLAC's CRC-8 (polynomial x^8 + x^2 + x + 1, initial 0). */
export function crc8(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = CRC8_TABLE[crc ^ byte] as number;
  return crc;
}

/** FLAC's CRC-16 (polynomial x^16 + x^15 + x^2 + 1, initial 0). */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (CRC16_TABLE[(crc >>> 8) ^ byte] as number)) & 0xffff;
  return crc;
}
