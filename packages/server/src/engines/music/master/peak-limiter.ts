/**
 * A look-ahead peak limiter for long stereo buffers, processed in blocks so memory stays bounded:
 * in place on a whole buffer (`limitInPlace`) or on a stream (`StreamingLimiter`), with the same
 * output for the same input. Peaks include inter-sample estimates (cubic interpolation at 1/4,
 * 1/2, 3/4) near the ceiling.
 */

const LOOK_AHEAD_SECONDS = 0.003;
const RELEASE_SECONDS = 0.09;
/** Frames per block. */
export const LIMITER_BLOCK = 65536;

/** Largest of |x1| and the cubic estimates at 1/4, 1/2 and 3/4 of the way to the next sample. */
function interSamplePeak(data: Float32Array, index: number): number {
  const x1 = data[index] as number;
  const x2 = data[index + 1] ?? x1;
  const x0 = data[index - 1] ?? x1;
  const x3 = data[index + 2] ?? x2;
  // The same expression as x1 + 0.5 t (x2 − x0 + t (2 x0 − 5 x1 + 4 x2 − x3 + t (3 (x1 − x2) + x3 − x0))).
  const c1 = x2 - x0;
  const c2 = 2 * x0 - 5 * x1 + 4 * x2 - x3;
  const c3 = 3 * (x1 - x2) + x3 - x0;
  let peak = Math.abs(x1);
  peak = Math.max(peak, Math.abs(x1 + 0.5 * 0.25 * (c1 + 0.25 * (c2 + 0.25 * c3))));
  peak = Math.max(peak, Math.abs(x1 + 0.5 * 0.5 * (c1 + 0.5 * (c2 + 0.5 * c3))));
  return Math.max(peak, Math.abs(x1 + 0.5 * 0.75 * (c1 + 0.75 * (c2 + 0.75 * c3))));
}

/** Estimated true peak of one channel at `index`, computed exactly only near the ceiling. */
function peakAt(data: Float32Array, index: number, quiet: number): number {
  const sample = Math.abs(data[index] as number);
  return sample > quiet || Math.abs(data[index + 1] ?? 0) > quiet ? interSamplePeak(data, index) : sample;
}

/** Settings and running state shared by both forms. */
interface LimiterState {
  readonly gain: number;
  readonly ceiling: number;
  readonly window: number;
  readonly release: number;
  readonly quiet: number;
  readonly needed: Float32Array;
  level: number;
}

function createState(sampleRate: number, gain: number, ceiling: number): LimiterState {
  const window = Math.max(1, Math.round(LOOK_AHEAD_SECONDS * sampleRate));
  return {
    gain,
    ceiling,
    window,
    level: 1,
    quiet: ceiling / (2 * gain),
    release: Math.exp(-1 / (RELEASE_SECONDS * sampleRate)),
    needed: new Float32Array(LIMITER_BLOCK + window),
  };
}

/**
 * Limit frames [start, end) of `channels`, looking ahead to `lookEnd`: in place, or into `out`
 * (one array per channel, frame `start` at index `outOffset`) leaving `channels` untouched.
 */
function limitBlock(
  channels: readonly Float32Array[],
  start: number,
  end: number,
  lookEnd: number,
  state: LimiterState,
  out: readonly Float32Array[] = channels,
  outOffset = start,
): void {
  const { gain, ceiling, window, release, quiet, needed } = state;
  const left = channels[0] as Float32Array;
  const right = channels.length === 2 ? (channels[1] as Float32Array) : undefined;
  const outLeft = out[0] as Float32Array;
  const outRight = out.length === 2 ? (out[1] as Float32Array) : undefined;
  const shift = outOffset - start;
  for (let index = start; index < lookEnd; index++) {
    let peak = peakAt(left, index, quiet);
    for (let channel = 1; channel < channels.length; channel++) {
      const other = peakAt(channels[channel] as Float32Array, index, quiet);
      if (other > peak) peak = other;
    }
    peak *= gain;
    needed[index - start] = peak > ceiling ? ceiling / peak : 1;
  }
  // Backward pass: ramp down linearly over the look-ahead window before each peak.
  let ramp = 1;
  for (let index = lookEnd - 1; index >= start; index--) {
    ramp = Math.min(needed[index - start] as number, ramp + 1 / window);
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
  const state = createState(sampleRate, gain, ceiling);
  for (let start = 0; start < frames; start += LIMITER_BLOCK) {
    const end = Math.min(frames, start + LIMITER_BLOCK);
    limitBlock(channels, start, end, Math.min(frames, end + state.window), state);
  }
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
    limitBlock(channels, start, end, Math.min(frames, end + state.window), state, scratch, 0);
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
  /** Unprocessed input, plus the one frame before it once a block has been output. */
  private pending: Float32Array[];
  private hasHistory = false;

  constructor(sampleRate: number, channelCount: number, gain: number, ceiling: number) {
    this.state = createState(sampleRate, gain, ceiling);
    this.pending = Array.from({ length: channelCount }, () => new Float32Array(0));
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
    const first = this.hasHistory ? 1 : 0;
    const available = (this.pending[0]?.length ?? 0) - first;
    // Beyond the look-ahead, the peak estimate reads two more frames; wait for them unless final.
    const needed = final ? 1 : LIMITER_BLOCK + window + 2;
    let start = first;
    const out: Float32Array[][] = [];
    while (available - (start - first) >= needed || (final && start < first + available)) {
      const frames = this.pending[0]?.length ?? 0;
      const end = Math.min(frames, start + LIMITER_BLOCK);
      limitBlock(this.pending, start, end, Math.min(frames, end + window), this.state);
      out.push(this.pending.map((data) => data.slice(start, end)));
      start = end;
      if (final && start >= frames) break;
    }
    if (start > first) {
      this.pending = this.pending.map((data) => data.slice(start - 1));
      this.hasHistory = true;
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
