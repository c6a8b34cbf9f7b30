/** Render a time span of a score into shared output buffers: the unit of work of each thread. */
import type { Score } from '../compose/score.js';
import { renderScore } from './render-score.js';

/** A span of frames to render and where to put it. */
export interface SpanJob {
  readonly score: Score;
  readonly sampleRate: number;
  /** First frame the synthesizer plays from (pre-roll before `keepFrom` warms up notes and reverb). */
  readonly startFrame: number;
  /** Frames before this are discarded. */
  readonly keepFrom: number;
  /** Frames at and after this are not rendered. */
  readonly endFrame: number;
  /** Full-length output channels (shared memory when run in a worker). */
  readonly left: Float32Array;
  readonly right: Float32Array;
  /** Frames in [crossfadeStart, crossfadeStart + crossfade.length) go to these buffers instead. */
  readonly crossfadeStart: number;
  readonly crossfadeLeft: Float32Array;
  readonly crossfadeRight: Float32Array;
}

/** Notes of `score` shifted so `startSeconds` becomes zero; notes that started earlier are dropped. */
export function shiftScore(score: Score, startSeconds: number): Score {
  if (startSeconds <= 0) return score;
  const notes = score.notes
    .filter((note) => note.startSeconds >= startSeconds)
    .map((note) => ({ ...note, startSeconds: note.startSeconds - startSeconds }));
  return { ...score, notes };
}

/** Render one span; `onProgress` gets the fraction done. */
export async function renderSpan(job: SpanJob, signal?: AbortSignal, onProgress?: (fraction: number) => void): Promise<void> {
  const shifted = shiftScore(job.score, job.startFrame / job.sampleRate);
  const fadeEnd = job.crossfadeStart + job.crossfadeLeft.length;
  const total = job.endFrame - job.startFrame;
  await renderScore(shifted, {
    sampleRate: job.sampleRate,
    frames: total,
    startFrame: job.startFrame,
    signal,
    onBlock: (left, right, blockStart) => {
      const first = job.startFrame + blockStart;
      const last = first + left.length;
      const copy = (from: number, to: number, targetLeft: Float32Array, targetRight: Float32Array, targetOffset: number) => {
        if (to <= from) return;
        targetLeft.set(left.subarray(from - first, to - first), from - targetOffset);
        targetRight.set(right.subarray(from - first, to - first), from - targetOffset);
      };
      const keep = Math.max(first, job.keepFrom);
      // [keep, fadeStart) and [fadeEnd, last) go to the output, [fadeStart, fadeEnd) to the crossfade buffers.
      const fadeStart = Math.min(Math.max(job.crossfadeStart, keep), last);
      const fadeStop = Math.min(Math.max(fadeEnd, keep), last);
      copy(keep, fadeStart, job.left, job.right, 0);
      copy(fadeStart, fadeStop, job.crossfadeLeft, job.crossfadeRight, job.crossfadeStart);
      copy(Math.max(fadeStop, keep), last, job.left, job.right, 0);
      onProgress?.((blockStart + left.length) / total);
    },
  });
}
