import type { AudioMeter } from './audio-meter.js';
import { MalformedAudioError } from './audio-sniff.js';
import { ByteQueue } from './byte-queue.js';
import { oggCrc } from './ogg-page.js';

/** Opus granule positions count 48 kHz samples whatever the input rate was. */
const OPUS_GRANULE_RATE = 48000;
const PAGE_HEADER_BYTES = 27;

/**
 * Walks an Ogg Opus stream page by page (one page in memory at a time), checking each page's
 * CRC and serial number. The duration is the last granule position minus the pre-skip from
 * `OpusHead`. A stream that ends mid-page or without its end-of-stream page is truncated.
 */
export class OggOpusMeter implements AudioMeter {
  /** Opus always decodes at 48 kHz. */
  readonly sampleRate = OPUS_GRANULE_RATE;
  channelCount: number | undefined;
  private readonly queue = new ByteQueue();
  private serialNumber: number | undefined;
  private preSkip = 0;
  private lastGranule = -1n;
  private ended = false;

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
    while (this.readPage()) {}
  }

  finish(): number {
    if (this.queue.length > 0) throw new MalformedAudioError('Ogg ends in the middle of a page (truncated)');
    if (this.serialNumber === undefined) throw new MalformedAudioError('Ogg holds no pages');
    if (!this.ended) throw new MalformedAudioError('Ogg has no end-of-stream page (truncated)');
    const samples = Number(this.lastGranule) - this.preSkip;
    if (samples <= 0) throw new MalformedAudioError('Ogg Opus holds no audio');
    return samples / OPUS_GRANULE_RATE;
  }

  /** Read one whole page; false when more bytes are needed. */
  private readPage(): boolean {
    const header = this.queue.peek(PAGE_HEADER_BYTES);
    if (!header) return false;
    if (String.fromCharCode(...header.subarray(0, 4)) !== 'OggS' || header[4] !== 0) {
      throw new MalformedAudioError(this.serialNumber === undefined ? 'not an Ogg file (no OggS page)' : 'Ogg lost page sync (corrupt)');
    }
    const segmentCount = header[26];
    const lacing = this.queue.peek(PAGE_HEADER_BYTES + segmentCount);
    if (!lacing) return false;
    let pageBytes = PAGE_HEADER_BYTES + segmentCount;
    for (let index = PAGE_HEADER_BYTES; index < lacing.length; index++) pageBytes += lacing[index];
    const page = this.queue.peek(pageBytes);
    if (!page) return false;
    this.checkPage(page.slice(), PAGE_HEADER_BYTES + segmentCount);
    this.queue.skip(pageBytes);
    return true;
  }

  private checkPage(page: Uint8Array, bodyStart: number): void {
    const view = new DataView(page.buffer);
    const stored = view.getUint32(22, true);
    view.setUint32(22, 0, true);
    if (oggCrc(page) !== stored) throw new MalformedAudioError('Ogg page fails its CRC (corrupt)');
    const serialNumber = view.getUint32(14, true);
    if (this.serialNumber === undefined) {
      const body = page.subarray(bodyStart);
      if (String.fromCharCode(...body.subarray(0, 8)) !== 'OpusHead' || body.length < 19) {
        throw new MalformedAudioError('Ogg stream is not Opus (no OpusHead)');
      }
      this.serialNumber = serialNumber;
      this.channelCount = body[9];
      this.preSkip = view.getUint16(bodyStart + 10, true);
    } else if (serialNumber !== this.serialNumber || this.ended) {
      throw new MalformedAudioError('Ogg holds more than one stream (chained or multiplexed Ogg is not supported)');
    }
    const granule = view.getBigInt64(6, true);
    if (granule !== -1n) this.lastGranule = granule;
    if (page[5] & 0x04) this.ended = true;
  }
}
