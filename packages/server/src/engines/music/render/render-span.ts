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
    signal,
    onBlock: (left, right, blockStart) => {
      for (let offset = 0; offset < left.length; offset++) {
        const frame = job.startFrame + blockStart + offset;
        if (frame < job.keepFrom) continue;
        if (frame >= job.crossfadeStart && frame < fadeEnd) {
          job.crossfadeLeft[frame - job.crossfadeStart] = left[offset] as number;
          job.crossfadeRight[frame - job.crossfadeStart] = right[offset] as number;
        } else {
          job.left[frame] = left[offset] as number;
          job.right[frame] = right[offset] as number;
        }
      }
      onProgress?.((blockStart + left.length) / total);
    },
  });
}
