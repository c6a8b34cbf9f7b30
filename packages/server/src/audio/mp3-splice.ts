/**
 * Joins two MPEG-1 layer III streams that LAME encoded from overlapping parts of the same signal,
 * so that a long file can be encoded by two threads at once and still decode as one continuous
 * stream. The head stream encodes the signal from its start; the tail stream encodes it from a
 * whole number of frames later, so both share one frame grid. At the join, frame J of the head is
 * replaced by the tail's matching frame; the tail frame's bit-reservoir bytes (main data that
 * LAME placed in the slots of earlier tail frames) are copied into the head's last slots, which
 * held only data of the head's discarded frames. A join is only made where both streams use long
 * MDCT blocks on either side of it, so the decoder's overlap-add sees matching windows.
 */

const BITRATES_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const SAMPLE_RATES = [44100, 48000, 32000];
/** Samples per MPEG-1 layer III frame. */
export const MP3_FRAME_SAMPLES = 1152;

/** One parsed frame. */
export interface Mp3Frame {
  readonly offset: number;
  readonly size: number;
  /** Offset of the main-data slot from the frame start (header, CRC and side information). */
  readonly slotStart: number;
  /** How many bytes before this frame's slot its main data begins. */
  readonly mainDataBegin: number;
  /** Whether each granule uses plain long blocks in every channel (no window switching). */
  readonly longGranules: readonly [boolean, boolean];
}

function bitsAt(bytes: Uint8Array, bitOffset: number, count: number): number {
  let value = 0;
  for (let bit = bitOffset; bit < bitOffset + count; bit++) value = (value << 1) | (((bytes[bit >> 3] as number) >> (7 - (bit & 7))) & 1);
  return value;
}

/** Parse the MPEG-1 layer III frames of `bytes`; undefined when it holds anything else. */
export function parseMp3Frames(bytes: Uint8Array): Mp3Frame[] | undefined {
  const frames: Mp3Frame[] = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const header =
      (((bytes[offset] as number) << 24) |
        ((bytes[offset + 1] as number) << 16) |
        ((bytes[offset + 2] as number) << 8) |
        (bytes[offset + 3] as number)) >>>
      0;
    const mpeg1Layer3 = header >>> 21 === 0x7ff && ((header >>> 19) & 3) === 3 && ((header >>> 17) & 3) === 1;
    const bitrate = BITRATES_KBPS[(header >>> 12) & 15] ?? 0;
    const sampleRate = SAMPLE_RATES[(header >>> 10) & 3];
    if (!mpeg1Layer3 || bitrate === 0 || sampleRate === undefined) return undefined;
    const size = Math.floor((144000 * bitrate) / sampleRate) + ((header >>> 9) & 1);
    const channels = ((header >>> 6) & 3) === 3 ? 1 : 2;
    const sideStart = offset + 4 + (((header >>> 16) & 1) === 0 ? 2 : 0);
    const slotStart = sideStart - offset + (channels === 1 ? 17 : 32);
    if (offset + size > bytes.length) return undefined;
    const bit = sideStart * 8;
    const granuleBits = bit + 9 + (channels === 1 ? 5 : 3) + 4 * channels;
    const long = (granule: number) => {
      for (let channel = 0; channel < channels; channel++) {
        if (bitsAt(bytes, granuleBits + (granule * channels + channel) * 59 + 33, 1) !== 0) return false;
      }
      return true;
    };
    frames.push({ offset, size, slotStart, mainDataBegin: bitsAt(bytes, bit, 9), longGranules: [long(0), long(1)] });
    offset += size;
  }
  return frames;
}

/** Byte positions, in stream order, of the last `count` main-data bytes before frame `index`'s slot. */
function reservoirPositions(frames: readonly Mp3Frame[], index: number, count: number): number[] | undefined {
  const positions: number[] = [];
  for (let frame = index - 1; frame >= 0 && positions.length < count; frame--) {
    const { offset, size, slotStart } = frames[frame] as Mp3Frame;
    for (let byte = offset + size - 1; byte >= offset + slotStart && positions.length < count; byte--) positions.push(byte);
  }
  return positions.length === count ? positions.reverse() : undefined;
}

/** Reservoir bytes before tail frame `index` that it or a later frame still reads. */
function reservoirNeeded(frames: readonly Mp3Frame[], index: number): number {
  let needed = 0;
  let slotsBetween = 0;
  for (let frame = index; frame < frames.length && slotsBetween < 512; frame++) {
    const current = frames[frame] as Mp3Frame;
    needed = Math.max(needed, current.mainDataBegin - slotsBetween);
    slotsBetween += current.size - current.slotStart;
  }
  return needed;
}

/**
 * Join `head` (frames from 0) and `tail` (frames from `tailFirstFrame` on the same grid) at the
 * first head frame index in `candidates` where that is clean. Returns undefined when none is.
 */
export function spliceMp3(
  head: Uint8Array,
  tail: Uint8Array,
  tailFirstFrame: number,
  candidates: readonly number[],
): Uint8Array | undefined {
  const headFrames = parseMp3Frames(head);
  const tailFrames = parseMp3Frames(tail);
  if (!headFrames || !tailFrames) return undefined;
  for (const join of candidates) {
    const inTail = join - tailFirstFrame;
    const before = headFrames[join - 1];
    const replaced = headFrames[join];
    const first = tailFrames[inTail];
    if (inTail < 1 || !before || !replaced || !first) continue;
    if (!before.longGranules[1] || !first.longGranules[0]) continue;
    const needed = reservoirNeeded(tailFrames, inTail);
    // The head's last `replaced.mainDataBegin` bytes belong to frames that are dropped.
    if (needed > replaced.mainDataBegin) continue;
    const target = reservoirPositions(headFrames, join, needed);
    const source = reservoirPositions(tailFrames, inTail, needed);
    if (!target || !source) continue;
    const out = new Uint8Array(replaced.offset + tail.length - first.offset);
    out.set(head.subarray(0, replaced.offset));
    out.set(tail.subarray(first.offset), replaced.offset);
    for (let index = 0; index < needed; index++) out[target[index] as number] = tail[source[index] as number] as number;
    return out;
  }
  return undefined;
}
