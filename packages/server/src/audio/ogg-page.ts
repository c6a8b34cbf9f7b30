/** Ogg page writing (RFC 3533): framing, lacing and the page CRC. */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    table[byte] = crc >>> 0;
  }
  return table;
})();

/** The Ogg CRC-32 (polynomial 0x04C11DB7, initial 0, not reflected). */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  return crc;
}

/** Header-type flags of an Ogg page. */
export interface OggPageFlags {
  readonly beginOfStream?: boolean;
  readonly endOfStream?: boolean;
}

/** Most lacing values one page may hold. */
export const MAX_PAGE_SEGMENTS = 255;

/** Number of lacing values a packet of `size` bytes takes. */
export function segmentCount(size: number): number {
  return Math.floor(size / 255) + 1;
}

/**
 * Build one Ogg page holding whole packets (their lacing must fit in 255 segments).
 * `granulePosition` is the codec's position after the last packet that ends on this page.
 */
export function buildOggPage(
  packets: readonly Uint8Array[],
  granulePosition: bigint,
  serialNumber: number,
  sequenceNumber: number,
  flags: OggPageFlags = {},
): Uint8Array {
  const lacing: number[] = [];
  for (const packet of packets) {
    let remaining = packet.length;
    while (remaining >= 255) {
      lacing.push(255);
      remaining -= 255;
    }
    lacing.push(remaining);
  }
  if (lacing.length > MAX_PAGE_SEGMENTS) throw new Error('Too many packets for one Ogg page');
  const bodyLength = packets.reduce((sum, packet) => sum + packet.length, 0);
  const page = new Uint8Array(27 + lacing.length + bodyLength);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
  page[4] = 0;
  page[5] = (flags.beginOfStream ? 0x02 : 0) | (flags.endOfStream ? 0x04 : 0);
  view.setBigInt64(6, granulePosition, true);
  view.setUint32(14, serialNumber >>> 0, true);
  view.setUint32(18, sequenceNumber >>> 0, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  let offset = 27 + lacing.length;
  for (const packet of packets) {
    page.set(packet, offset);
    offset += packet.length;
  }
  view.setUint32(22, oggCrc(page), true);
  return page;
}
