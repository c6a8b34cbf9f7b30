/** FLAC frame headers (RFC 9639 §9.1): recognised by their sync code, fields and CRC-8. */

const CRC8_TABLE = (() => {
  const table = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? (crc << 1) ^ 0x07 : crc << 1;
    table[byte] = crc & 0xff;
  }
  return table;
})();

/** Length of the UTF-8-like coded frame/sample number starting with `first`; 0 when invalid. */
function codedNumberLength(first: number): number {
  if (first < 0x80) return 1;
  for (let length = 2; length <= 7; length++) {
    const mask = (0xff << (7 - length)) & 0xff;
    const value = (0xff << (8 - length)) & 0xff;
    if ((first & mask) === value) return length;
  }
  return 0;
}

/** What a frame header says. */
export interface FlacFrameHeader {
  /** Samples per channel in the frame. */
  readonly samples: number;
  /** Length of the header, CRC-8 included. */
  readonly headerBytes: number;
}

/** Parse the frame header starting at `offset`; undefined when it is not a valid one. */
export function parseFlacFrameHeader(bytes: Uint8Array, offset: number): FlacFrameHeader | undefined {
  const end = bytes.length;
  if (offset + 6 > end || bytes[offset] !== 0xff || (bytes[offset + 1] & 0xfe) !== 0xf8) return undefined;
  const blockCode = bytes[offset + 2] >> 4;
  const rateCode = bytes[offset + 2] & 0xf;
  const channelCode = bytes[offset + 3] >> 4;
  if (blockCode === 0 || rateCode === 15 || channelCode > 10 || (bytes[offset + 3] & 1) !== 0) return undefined;
  const numberLength = codedNumberLength(bytes[offset + 4]);
  if (numberLength === 0) return undefined;
  let position = offset + 4 + numberLength;
  if (position > end) return undefined;
  for (let index = offset + 5; index < position; index++) if ((bytes[index] & 0xc0) !== 0x80) return undefined;
  let samples: number;
  if (blockCode === 1) samples = 192;
  else if (blockCode <= 5) samples = 576 << (blockCode - 2);
  else if (blockCode === 6) samples = bytes[position++] + 1;
  else if (blockCode === 7) {
    samples = ((bytes[position] << 8) | bytes[position + 1]) + 1;
    position += 2;
  } else samples = 256 << (blockCode - 8);
  position += rateCode === 12 ? 1 : rateCode === 13 || rateCode === 14 ? 2 : 0;
  if (position >= end) return undefined;
  let crc = 0;
  for (let index = offset; index < position; index++) crc = CRC8_TABLE[crc ^ bytes[index]];
  return crc === bytes[position] ? { samples, headerBytes: position + 1 - offset } : undefined;
}
