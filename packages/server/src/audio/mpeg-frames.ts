/** Frame headers of MPEG audio (MP3 and its layers I/II) and of ADTS AAC: length, samples and rate of each frame. */

/** What one frame header says. */
export interface FrameHeader {
  /** Whole frame length in bytes, header included. */
  readonly frameBytes: number;
  /** Audio samples (per channel) the frame decodes to. */
  readonly samples: number;
  readonly sampleRate: number;
  readonly channelCount: number;
  /** Bytes from the frame start to the Xing/Info tag position (layer III only). */
  readonly sideInfoEnd?: number;
}

/** kbps by [MPEG-1?][layer 1..3][index]. */
const BITRATES = {
  mpeg1: [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  mpeg2: [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
};
const MPEG1_RATES = [44100, 48000, 32000];

/**
 * Parse the 4-byte MPEG audio frame header at `offset`; undefined when it is not one
 * (no sync, reserved version/layer/rate, free-format or bad bitrate).
 */
export function parseMpegAudioHeader(bytes: Uint8Array, offset: number): FrameHeader | undefined {
  if (bytes.length < offset + 4 || bytes[offset] !== 0xff || (bytes[offset + 1] & 0xe0) !== 0xe0) return undefined;
  const second = bytes[offset + 1];
  const third = bytes[offset + 2];
  const version = (second >> 3) & 3; // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
  const layer = 4 - ((second >> 1) & 3); // 1..3; 4 is reserved
  const bitrateIndex = third >> 4;
  const rateIndex = (third >> 2) & 3;
  if (version === 1 || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const mpeg1 = version === 3;
  const sampleRate = (MPEG1_RATES[rateIndex] as number) / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const bitrate = (mpeg1 ? BITRATES.mpeg1 : BITRATES.mpeg2)[layer - 1][bitrateIndex] * 1000;
  const padding = (third >> 1) & 1;
  const mono = bytes[offset + 3] >> 6 === 3;
  const channelCount = mono ? 1 : 2;
  if (layer === 1) return { frameBytes: (Math.floor((12 * bitrate) / sampleRate) + padding) * 4, samples: 384, sampleRate, channelCount };
  const perFrame = layer === 3 && !mpeg1 ? 576 : 1152;
  const frameBytes = Math.floor(((perFrame / 8) * bitrate) / sampleRate) + padding;
  const sideInfo = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const sideInfoEnd = layer === 3 ? 4 + (second & 1 ? 0 : 2) + sideInfo : undefined;
  return { frameBytes, samples: perFrame, sampleRate, channelCount, sideInfoEnd };
}

const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** Parse the 7-byte ADTS header at `offset`; undefined when it is not one. */
export function parseAdtsHeader(bytes: Uint8Array, offset: number): FrameHeader | undefined {
  if (bytes.length < offset + 7 || bytes[offset] !== 0xff || (bytes[offset + 1] & 0xf6) !== 0xf0) return undefined;
  const sampleRate = ADTS_RATES[(bytes[offset + 2] >> 2) & 0xf];
  const frameBytes = ((bytes[offset + 3] & 3) << 11) | (bytes[offset + 4] << 3) | (bytes[offset + 5] >> 5);
  const headerBytes = bytes[offset + 1] & 1 ? 7 : 9;
  if (sampleRate === undefined || frameBytes < headerBytes) return undefined;
  const channelCount = ((bytes[offset + 2] & 1) << 2) | (bytes[offset + 3] >> 6) || 2;
  return { frameBytes, samples: ((bytes[offset + 6] & 3) + 1) * 1024, sampleRate, channelCount };
}

/** True when an MP3's first frame is a Xing/Info/VBRI tag frame (metadata that decoders skip, not audio). */
export function isTagFrame(frame: Uint8Array, header: FrameHeader): boolean {
  const text = (offset: number) => String.fromCharCode(...frame.subarray(offset, offset + 4));
  const atSideInfo = header.sideInfoEnd === undefined ? '' : text(header.sideInfoEnd);
  return atSideInfo === 'Xing' || atSideInfo === 'Info' || text(36) === 'VBRI';
}

/** Size of the ID3v2 tag at the start of `head` (10+ bytes), or 0 when there is none. */
export function id3TagBytes(head: Uint8Array): number {
  if (head[0] !== 0x49 || head[1] !== 0x44 || head[2] !== 0x33) return 0;
  const size = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
  return 10 + size + (head[5] & 0x10 ? 10 : 0);
}

/** True when `head` starts a tag allowed after the last frame: ID3v1 `TAG`, `APETAGEX` or `LYRICSBEGIN`. */
export function isTrailingTag(head: Uint8Array): boolean {
  const text = String.fromCharCode(...head.subarray(0, 8));
  return text.startsWith('TAG') || text === 'APETAGEX' || text === 'LYRICSBE';
}
