/**
 * A look-ahead peak limiter for long stereo buffers, processed in blocks so memory stays bounded:
 * in place on a whole buffer (`limitInPlace`), on a range into other buffers (`limitRange`) or on
 * a stream (`StreamingLimiter`), with the same output for the same input. Peaks include the
 * 4× oversampled inter-sample points of the true-peak meter wherever they could reach the ceiling.
 */
import { REACH, truePeaks } from './limiter-peaks.js';

const LOOK_AHEAD_SECONDS = 0.003;
const RELEASE_SECONDS = 0.09;
/** Frames per block. */
export const LIMITER_BLOCK = 65536;

/** Settings and running state shared by both forms. */
interface LimiterState {
  readonly gain: number;
  readonly ceiling: number;
  readonly window: number;
  readonly release: number;
  readonly needed: Float32Array;
  /** Frames near which inter-sample points are computed (scratch of `truePeaks`). */
  readonly hot: Int32Array;
  level: number;
}

function createState(sampleRate: number, gain: number, ceiling: number): LimiterState {
  const window = Math.max(1, Math.round(LOOK_AHEAD_SECONDS * sampleRate));
  return {
    gain,
    ceiling,
    window,
    level: 1,
    release: Math.exp(-1 / (RELEASE_SECONDS * sampleRate)),
    needed: new Float32Array(LIMITER_BLOCK + window),
    hot: new Int32Array(LIMITER_BLOCK + window + 2 * REACH),
  };
}

/**
 * Limit frames [start, end) of `channels` into `out` (one array per channel, frame `start` at
 * index 0), looking ahead to `lookEnd`. Reads `channels` from REACH frames before `start` to REACH
 * frames past `lookEnd`, which must hold the unlimited input there.
 */
function limitBlock(
  channels: readonly Float32Array[],
  start: number,
  end: number,
  lookEnd: number,
  state: LimiterState,
  out: readonly Float32Array[],
): void {
  const { gain, ceiling, window, release, needed } = state;
  const left = channels[0] as Float32Array;
  const right = channels.length === 2 ? (channels[1] as Float32Array) : undefined;
  const outLeft = out[0] as Float32Array;
  const outRight = out.length === 2 ? (out[1] as Float32Array) : undefined;
  const shift = -start;
  truePeaks(channels, start, lookEnd, ceiling / gain, needed, state.hot);
  // Backward pass: the gain each peak needs, ramped down linearly over the look-ahead window before it.
  let ramp = 1;
  for (let index = lookEnd - 1; index >= start; index--) {
    const peak = (needed[index - start] as number) * gain;
    ramp = Math.min(peak > ceiling ? ceiling / peak : 1, ramp + 1 / window);
    needed[index - start] = ramp;
  }
  let level = state.level;
  for (let index = start; index < end; index++) {
    const target = needed[index - start] as number;
    level = Math.min(target, level * release + (1 - release));
    const factor = gain * level;
    outLeft[index + shift] = (left[index] as number) * factor;
    if (right && outRight) outRight[index + shift] = (right[index] as number) * factor;
    else
      for (let channel = 1; channel < channels.length; channel++) {
        const data = channels[channel] as Float32Array;
        (out[channel] as Float32Array)[index + shift] = (data[index] as number) * factor;
      }
  }
  state.level = level;
}

/** Multiply by `gain`, then limit so (estimated) true peaks stay at or below `ceiling` (linear). */
export function limitInPlace(channels: readonly Float32Array[], sampleRate: number, gain: number, ceiling: number): void {
  const frames = channels[0]?.length ?? 0;
  // Each block is written back only after the next one has read its input (the peak estimate
  // looks a few frames back), so every block sees the unlimited signal, as the other forms do.
  const held = channels.map(() => new Float32Array(LIMITER_BLOCK));
  let waiting: { first: number; length: number } | undefined;
  const writeBack = () => {
    if (!waiting) return;
    const { first, length } = waiting;
    channels.forEach((data, channel) => {
      data.set((held[channel] as Float32Array).subarray(0, length), first);
    });
  };
  limitRange(channels, { sampleRate, gain, ceiling }, { warmFrom: 0, from: 0, to: frames }, (limited, first) => {
    writeBack();
    limited.forEach((data, channel) => {
      (held[channel] as Float32Array).set(data);
    });
    waiting = { first, length: limited[0]?.length ?? 0 };
  });
  writeBack();
}

/**
 * `limitInPlace` of frames [from, to) without touching `channels`: the limited audio is handed to
 * `onBlock` in blocks (views valid only during the call). The limiter starts at `warmFrom` (≤ from)
 * with no gain reduction; from 0 the output equals `limitInPlace`'s exactly, and from a second or
 * more before `from` it differs only by the release still pending at `warmFrom` (under 2e-5 of the
 * level after one second). Two threads can so limit the two halves of one shared buffer at once.
 */
export function limitRange(
  channels: readonly Float32Array[],
  settings: { readonly sampleRate: number; readonly gain: number; readonly ceiling: number },
  range: { readonly warmFrom: number; readonly from: number; readonly to: number },
  onBlock: (limited: readonly Float32Array[], firstFrame: number) => void,
): void {
  const frames = channels[0]?.length ?? 0;
  const state = createState(settings.sampleRate, settings.gain, settings.ceiling);
  const scratch = channels.map(() => new Float32Array(LIMITER_BLOCK));
  for (let start = range.warmFrom; start < range.to; start += LIMITER_BLOCK) {
    const end = Math.min(range.to, start + LIMITER_BLOCK);
    limitBlock(channels, start, end, Math.min(frames, end + state.window), state, scratch);
    const first = Math.max(start, range.from);
    if (first < end)
      onBlock(
        scratch.map((data) => data.subarray(first - start, end - start)),
        first,
      );
  }
}

/**
 * `limitInPlace` for a stream: `push` pieces of any length and get the limited audio back, about
 * one block later; `flush` returns the rest. Keeps one block plus the look-ahead in memory.
 */
export class StreamingLimiter {
  private readonly state: LimiterState;
  /** Unlimited input not yet output, after `history` frames already output (the estimate reads back). */
  private pending: Float32Array[];
  private history = 0;
  private readonly scratch: Float32Array[];

  constructor(sampleRate: number, channelCount: number, gain: number, ceiling: number) {
    this.state = createState(sampleRate, gain, ceiling);
    this.pending = Array.from({ length: channelCount }, () => new Float32Array(0));
    this.scratch = Array.from({ length: channelCount }, () => new Float32Array(LIMITER_BLOCK));
  }

  /** Add input; returns the output that is complete. */
  push(channels: readonly Float32Array[]): Float32Array[] {
    this.pending = this.pending.map((old, channel) => {
      const add = channels[channel] as Float32Array;
      const joined = new Float32Array(old.length + add.length);
      joined.set(old);
      joined.set(add, old.length);
      return joined;
    });
    return this.drain(false);
  }

  /** Return the remaining output. */
  flush(): Float32Array[] {
    return this.drain(true);
  }

  private drain(final: boolean): Float32Array[] {
    const { window } = this.state;
    const first = this.history;
    const available = (this.pending[0]?.length ?? 0) - first;
    // Beyond the look-ahead, the peak estimate reads REACH more frames; wait for them unless final.
    const needed = final ? 1 : LIMITER_BLOCK + window + REACH;
    let start = first;
    const out: Float32Array[][] = [];
    while (available - (start - first) >= needed || (final && start < first + available)) {
      const frames = this.pending[0]?.length ?? 0;
      const end = Math.min(frames, start + LIMITER_BLOCK);
      limitBlock(this.pending, start, end, Math.min(frames, end + window), this.state, this.scratch);
      out.push(this.scratch.map((data) => data.slice(0, end - start)));
      start = end;
      if (final && start >= frames) break;
    }
    if (start > first) {
      const keep = Math.min(start, REACH);
      this.pending = this.pending.map((data) => data.slice(start - keep));
      this.history = keep;
    }
    return this.pending.map((_, channel) => {
      const parts = out.map((block) => block[channel] as Float32Array);
      const joined = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of parts) {
        joined.set(part, offset);
        offset += part.length;
      }
      return joined;
    });
  }
}
