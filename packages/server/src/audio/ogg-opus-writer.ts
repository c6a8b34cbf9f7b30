import { Encoder } from '@evan/opus';
import { buildOggPage, MAX_PAGE_SEGMENTS, segmentCount } from './ogg-page.js';
import { appendChannels } from './pcm-audio.js';

/** Opus always runs at 48 kHz here. */
export const OPUS_SAMPLE_RATE = 48000;
/** 20 ms frames. */
const FRAME_SIZE = 960;
const OPUS_GET_LOOKAHEAD = 4027;

function opusHead(channelCount: number, preSkip: number, inputRate: number): Uint8Array {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode('OpusHead'), 0);
  head[8] = 1; // version
  head[9] = channelCount;
  view.setUint16(10, preSkip, true);
  view.setUint32(12, inputRate, true);
  view.setInt16(16, 0, true); // output gain
  head[18] = 0; // mapping family 0 (mono/stereo)
  return head;
}

function opusTags(): Uint8Array {
  const vendor = new TextEncoder().encode('overture');
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  const view = new DataView(tags.buffer);
  tags.set(new TextEncoder().encode('OpusTags'), 0);
  view.setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  view.setUint32(12 + vendor.length, 0, true);
  return tags;
}

/**
 * Encodes 48 kHz float PCM into an Ogg Opus stream piece by piece: `start` gives the header pages,
 * each `encode` the pages of all complete 20 ms frames, `finish` pads the last frame and closes
 * the stream with a granule position that trims the padding.
 */
export class OggOpusWriter {
  private readonly encoder: Encoder;
  private readonly serial: number;
  private readonly preSkip: number;
  private sequence = 0;
  private pending: Float32Array[];
  private inputFrames = 0;
  private encodedFrames = 0;

  constructor(
    readonly channelCount: 1 | 2,
    serial = 0x4f565254,
  ) {
    this.encoder = new Encoder({ channels: channelCount, sample_rate: OPUS_SAMPLE_RATE, application: 'audio' });
    this.encoder.bitrate = channelCount === 2 ? 128000 : 64000;
    this.preSkip = this.encoder.ctl(OPUS_GET_LOOKAHEAD);
    this.serial = serial;
    this.pending = Array.from({ length: channelCount }, () => new Float32Array(0));
  }

  /** The identification and comment header pages. */
  start(): Uint8Array[] {
    return [
      buildOggPage([opusHead(this.channelCount, this.preSkip, OPUS_SAMPLE_RATE)], 0n, this.serial, this.sequence++, {
        beginOfStream: true,
      }),
      buildOggPage([opusTags()], 0n, this.serial, this.sequence++),
    ];
  }

  /** Encode the complete frames available after adding `channels` (48 kHz). */
  encode(channels: readonly Float32Array[]): Uint8Array[] {
    this.pending = appendChannels(this.pending, channels);
    this.inputFrames += channels[0]?.length ?? 0;
    return this.drain(false);
  }

  /** Encode what is left (padded with silence to whole frames) and end the stream. */
  finish(): Uint8Array[] {
    const available = this.pending[0]?.length ?? 0;
    // Pad so that the encoder's lookahead is flushed too.
    const padded = Math.ceil((available + this.preSkip) / FRAME_SIZE) * FRAME_SIZE || FRAME_SIZE;
    this.pending = this.pending.map((data) => {
      const out = new Float32Array(padded);
      out.set(data);
      return out;
    });
    return this.drain(true);
  }

  private drain(final: boolean): Uint8Array[] {
    const pages: Uint8Array[] = [];
    let packets: Uint8Array[] = [];
    let segments = 0;
    const available = this.pending[0]?.length ?? 0;
    const frames = Math.floor(available / FRAME_SIZE);
    for (let frame = 0; frame < frames; frame++) {
      const packet = this.encodeFrame(frame * FRAME_SIZE);
      if (segments + segmentCount(packet.length) > MAX_PAGE_SEGMENTS) {
        pages.push(this.page(packets, BigInt(this.encodedFrames - FRAME_SIZE), false));
        packets = [];
        segments = 0;
      }
      packets.push(packet);
      segments += segmentCount(packet.length);
    }
    this.pending = this.pending.map((data) => data.slice(frames * FRAME_SIZE));
    if (packets.length > 0 || final) pages.push(this.page(packets, this.granule(final), final));
    return pages;
  }

  private granule(final: boolean): bigint {
    const position = final ? this.inputFrames + this.preSkip : this.encodedFrames;
    return BigInt(Math.min(position, this.encodedFrames));
  }

  private page(packets: Uint8Array[], granule: bigint, last: boolean): Uint8Array {
    return buildOggPage(packets, granule, this.serial, this.sequence++, { endOfStream: last });
  }

  private encodeFrame(offset: number): Uint8Array {
    const interleaved = new Int16Array(FRAME_SIZE * this.channelCount);
    for (let channel = 0; channel < this.channelCount; channel++) {
      const data = this.pending[channel] as Float32Array;
      for (let i = 0; i < FRAME_SIZE; i++) {
        const sample = Math.max(-1, Math.min(1, data[offset + i] as number));
        interleaved[i * this.channelCount + channel] = Math.round(sample * 32767);
      }
    }
    this.encodedFrames += FRAME_SIZE;
    return this.encoder.encode(interleaved).slice();
  }
}
