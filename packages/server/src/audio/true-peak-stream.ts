/**
 * The BS.1770-4 true-peak meter of `true-peak.ts` for a stream fed in pieces: each piece is read
 * with the last samples of the one before, so the result is the same as metering the whole signal
 * at once (the stream counts as silent before its start and, after `finish`, past its end).
 */
import type { PcmAudio } from './pcm-audio.js';
import { FILTER_BOUND, pointsAfter, TAPS_PER_PHASE } from './true-peak.js';

/** Samples kept between pieces: the points between n and n + 1 read x[n − 5 … n + 6]. */
const HISTORY = TAPS_PER_PHASE - 1;
const REACH = TAPS_PER_PHASE / 2;

export class TruePeakStream {
  private history: Float32Array[] = [];
  private peakValue = 0;
  private framesSeen = 0;
  private firstOverFrame = -1;
  private readonly hot: number;

  /**
   * `threshold` (linear): oversampled points are computed only where they could exceed it, so
   * `peak` is exact whenever it is above `threshold` and otherwise at most `threshold`.
   */
  constructor(private readonly threshold = 0) {
    this.hot = threshold / FILTER_BOUND;
  }

  /** The largest true peak so far (linear). */
  get peak(): number {
    return this.peakValue;
  }

  /** Frames metered so far. */
  get frames(): number {
    return this.framesSeen;
  }

  /** The first frame (counted from the stream's start) whose true-peak envelope exceeded `threshold`; −1 if none yet. */
  get firstFrameOver(): number {
    return this.firstOverFrame;
  }

  /** Add the next piece (its channel count must not change). */
  push(audio: PcmAudio): void {
    const length = audio.channels[0]?.length ?? 0;
    if (length === 0) return;
    if (this.history.length === 0) this.history = audio.channels.map(() => new Float32Array(HISTORY));
    audio.channels.forEach((data, channel) => {
      const joined = new Float32Array(HISTORY + length);
      joined.set(this.history[channel] as Float32Array);
      joined.set(data, HISTORY);
      this.meter(joined);
      this.history[channel] = joined.slice(length);
    });
    this.framesSeen += length;
  }

  /** The stream ended: meter the points after its last samples. */
  finish(): void {
    if (this.history.length === 0) return;
    this.push({ sampleRate: 0, channels: this.history.map(() => new Float32Array(HISTORY)) });
  }

  /** Sample peaks of the new samples and the points between n and n + 1 whose window is complete. */
  private meter(joined: Float32Array): void {
    // Index i of `joined` is stream frame framesSeen − HISTORY + i.
    const origin = this.framesSeen - HISTORY;
    for (let index = HISTORY; index < joined.length; index++) this.note(Math.abs(joined[index] as number), origin + index);
    let hotUntil = -1;
    for (let index = 0; index < TAPS_PER_PHASE - 1; index++) if (Math.abs(joined[index] as number) > this.hot) hotUntil = index + REACH - 1;
    // Points between n and n + 1 for n in [REACH − 1, length − REACH − 1]: their window lies inside `joined`.
    for (let n = REACH - 1; n + REACH < joined.length; n++) {
      if (Math.abs(joined[n + REACH] as number) > this.hot) hotUntil = n + REACH + REACH - 1;
      if (n > hotUntil) continue;
      this.note(pointsAfter(joined, n), origin + n);
    }
  }

  private note(value: number, frame: number): void {
    if (value > this.peakValue) this.peakValue = value;
    if (this.firstOverFrame < 0 && value > this.threshold && frame >= 0) this.firstOverFrame = frame;
  }
}
