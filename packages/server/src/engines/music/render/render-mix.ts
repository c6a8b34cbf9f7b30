/** Render a whole score to stereo PCM, splitting the timeline between this thread and a worker. */
import type { PcmAudio } from '../../../audio/pcm-audio.js';
import type { Score } from '../compose/score.js';
import { renderSpanInWorker } from './render-pool.js';
import { renderSpan, type SpanJob } from './render-span.js';

/** Seconds of audio the synthesizer plays before the split point to warm up reverb and releases. */
const WARM_UP_SECONDS = 3;
const CROSSFADE_FRAMES = 1024;
/** Below this length one thread is faster than paying for the warm-up. */
const MINIMUM_PARALLEL_SECONDS = 12;

/** Options of `renderMix`. */
export interface MixOptions {
  readonly sampleRate: number;
  /** Total frames to render (the file length, plus the loop tail for loops). */
  readonly frames: number;
  readonly parallel: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

/** The frame where the second thread takes over, and where it starts playing; undefined = one thread. */
export function chooseSplit(score: Score, sampleRate: number, frames: number): { split: number; warmStart: number } | undefined {
  const seconds = frames / sampleRate;
  if (seconds < MINIMUM_PARALLEL_SECONDS) return undefined;
  // The warm-up costs the second thread extra time, so it takes slightly less than half.
  const splitSeconds = (seconds + WARM_UP_SECONDS) / 2;
  let warmStartSeconds = splitSeconds - WARM_UP_SECONDS;
  for (const note of score.notes) {
    if (note.startSeconds >= splitSeconds) break;
    if (note.startSeconds + note.durationSeconds > splitSeconds) warmStartSeconds = Math.min(warmStartSeconds, note.startSeconds - 0.5);
  }
  if (warmStartSeconds < splitSeconds / 2) return undefined;
  return { split: Math.round(splitSeconds * sampleRate), warmStart: Math.max(0, Math.round(warmStartSeconds * sampleRate)) };
}

/**
 * The shared buffers of the last two-thread render, kept for the next one: the first write to a
 * fresh 10 MB buffer costs ~28 ms of page faults on this kind of machine, twice per minute of
 * stereo. At most one pair (of the longest piece so far, under the two-pass length) is kept.
 */
let spare: readonly [SharedArrayBuffer, SharedArrayBuffer] | undefined;

function sharedChannels(frames: number): [Float32Array, Float32Array] {
  const pair = spare && spare[0].byteLength >= frames * 4 ? spare : undefined;
  if (pair) spare = undefined;
  const [left, right] = pair ?? [new SharedArrayBuffer(frames * 4), new SharedArrayBuffer(frames * 4)];
  return [new Float32Array(left, 0, frames).fill(0), new Float32Array(right, 0, frames).fill(0)];
}

/**
 * Hand the buffers of a mix from `renderMix` back for the next render once nothing reads them any
 * more (audio in plain memory is ignored).
 */
export function releaseMix(audio: PcmAudio): void {
  const [left, right] = audio.channels.map((data) => data.buffer);
  if (!(left instanceof SharedArrayBuffer && right instanceof SharedArrayBuffer) || left === right) return;
  if (!spare || spare[0].byteLength < left.byteLength) spare = [left, right];
}

/** Forget the kept buffers (before a render that must stay within a memory budget). */
export function dropSpareMix(): void {
  spare = undefined;
}

/** Render `score` to a stereo buffer of `options.frames` frames. */
export async function renderMix(score: Score, options: MixOptions): Promise<PcmAudio> {
  const { frames, sampleRate } = options;
  const plan = options.parallel ? chooseSplit(score, sampleRate, frames) : undefined;
  const shared = (length: number) => new Float32Array(plan ? new SharedArrayBuffer(length * 4) : new ArrayBuffer(length * 4));
  const [left, right] = plan ? sharedChannels(frames) : [shared(frames), shared(frames)];
  const base = { score, sampleRate, left, right };
  if (!plan) {
    const none = new Float32Array(0);
    await renderSpan(
      { ...base, startFrame: 0, keepFrom: 0, endFrame: frames, crossfadeStart: frames, crossfadeLeft: none, crossfadeRight: none },
      options.signal,
      options.onProgress,
    );
    return { sampleRate, channels: [left, right] };
  }
  const fadeLength = Math.min(CROSSFADE_FRAMES, frames - plan.split);
  const head = { left: new Float32Array(fadeLength), right: new Float32Array(fadeLength) };
  const tail = { left: shared(fadeLength), right: shared(fadeLength) };
  const mainJob: SpanJob = {
    ...base,
    startFrame: 0,
    keepFrom: 0,
    endFrame: plan.split + fadeLength,
    crossfadeStart: plan.split,
    crossfadeLeft: head.left,
    crossfadeRight: head.right,
  };
  const workerJob: SpanJob = {
    ...base,
    startFrame: plan.warmStart,
    keepFrom: plan.split,
    endFrame: frames,
    crossfadeStart: plan.split,
    crossfadeLeft: tail.left,
    crossfadeRight: tail.right,
  };
  const controller = new AbortController();
  const abort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const inWorker = renderSpanInWorker(workerJob, controller.signal);
    inWorker.catch(() => controller.abort());
    const inThread = renderSpan(mainJob, controller.signal, options.onProgress);
    inThread.catch(() => controller.abort());
    await Promise.all([inThread, inWorker]);
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  options.signal?.throwIfAborted();
  for (let index = 0; index < fadeLength; index++) {
    const weight = (index + 0.5) / fadeLength;
    left[plan.split + index] = (head.left[index] as number) * (1 - weight) + (tail.left[index] as number) * weight;
    right[plan.split + index] = (head.right[index] as number) * (1 - weight) + (tail.right[index] as number) * weight;
  }
  return { sampleRate, channels: [left, right] };
}
