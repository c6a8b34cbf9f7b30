import type { AudioMeter } from './audio-meter.js';
import { MalformedAudioError } from './audio-sniff.js';
import { ByteQueue } from './byte-queue.js';
import { type FrameHeader, id3TagBytes, isTagFrame, isTrailingTag, parseAdtsHeader, parseMpegAudioHeader } from './mpeg-frames.js';

/** Bytes needed to recognise anything at a frame boundary (a trailing tag's 8-byte name). */
const LOOKAHEAD = 10;

/**
 * Walks a stream of self-delimiting frames (MP3 or ADTS AAC) without keeping it: skips leading
 * ID3v2 tags, counts each frame's samples, and accepts only ID3v1/APE/Lyrics tags after the last one.
 * Anything else (no first frame, a lost sync, a last frame cut short) makes it throw MalformedAudioError.
 */
export class FramedAudioMeter implements AudioMeter {
  private readonly queue = new ByteQueue();
  private state: 'leading' | 'frames' | 'trailer' = 'leading';
  /** Bytes of the current frame or tag still to skip. */
  private remaining = 0;
  private frameCount = 0;
  private sampleCount = 0;
  private first: FrameHeader | undefined;

  constructor(
    private readonly kind: 'mp3' | 'aac',
    private readonly parse: (bytes: Uint8Array, offset: number) => FrameHeader | undefined,
  ) {}

  /** The first frame's sample rate, once it has been seen. */
  get sampleRate(): number | undefined {
    return this.first?.sampleRate;
  }

  /** The first frame's channel count, once it has been seen. */
  get channelCount(): number | undefined {
    return this.first?.channelCount;
  }

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
    this.advance(false);
  }

  finish(): number {
    this.advance(true);
    if (this.remaining > 0 || (this.state !== 'trailer' && this.queue.length > 0)) {
      throw new MalformedAudioError(`${this.kind} ends in the middle of a frame (truncated)`);
    }
    if (!this.first || this.sampleCount === 0) throw new MalformedAudioError(`${this.kind} has no audio frames`);
    return this.sampleCount / this.first.sampleRate;
  }

  private advance(final: boolean): void {
    for (;;) {
      if (this.remaining > 0) {
        this.remaining -= this.queue.skip(this.remaining);
        if (this.remaining > 0) return;
      }
      if (this.state === 'trailer') {
        this.queue.skip(this.queue.length);
        return;
      }
      const head = this.queue.peek(Math.min(LOOKAHEAD, this.queue.length));
      if (!head || head.length === 0 || (head.length < LOOKAHEAD && !final)) return;
      if (this.state === 'leading' && id3TagBytes(head) > 0) {
        this.remaining = id3TagBytes(head);
        continue;
      }
      const header = this.parse(head, 0);
      if (!header) {
        this.rejectOrTrail(head);
        continue;
      }
      if (!this.first) {
        const frame = this.queue.peek(header.frameBytes);
        if (!frame && !final) return;
        this.first = header;
        if (this.kind === 'mp3' && frame && isTagFrame(frame, header)) {
          this.remaining = header.frameBytes;
          continue;
        }
      } else if (header.sampleRate !== this.first.sampleRate) {
        throw new MalformedAudioError(`${this.kind} frames change sample rate mid-stream`);
      }
      this.state = 'frames';
      this.frameCount++;
      this.sampleCount += header.samples;
      this.remaining = header.frameBytes;
    }
  }

  private rejectOrTrail(head: Uint8Array): void {
    if (this.frameCount > 0 && isTrailingTag(head)) {
      this.state = 'trailer';
      return;
    }
    if (this.frameCount === 0) throw new MalformedAudioError(`not ${this.kind} audio: no frame header at the start`);
    throw new MalformedAudioError(`${this.kind} lost frame sync after ${this.frameCount} frames (corrupt or truncated)`);
  }
}

/** A meter for MP3 (MPEG audio layers I–III). */
export function mp3Meter(): FramedAudioMeter {
  return new FramedAudioMeter('mp3', parseMpegAudioHeader);
}

/** A meter for ADTS AAC. */
export function adtsMeter(): FramedAudioMeter {
  return new FramedAudioMeter('aac', parseAdtsHeader);
}
