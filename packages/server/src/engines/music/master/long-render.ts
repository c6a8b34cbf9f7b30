/**
 * Long pieces in bounded memory: two passes over a deterministic render instead of one buffer
 * of the whole mix (600 s of stereo float is 212 MB). Pass 1 renders and keeps only 10 ms
 * loudness statistics (and a loop's tail); the mastering gain is predicted from them; pass 2
 * renders again, shapes the ends, limits and encodes block by block straight to the sink.
 */
import { createStreamingEncoder } from '../../../audio/streaming-encoder.js';
import type { AudioFormat, ByteSink } from '../../../ports/engine.js';
import type { Score } from '../compose/score.js';
import { renderScore } from '../render/render-score.js';
import { ChunkStats } from './chunk-stats.js';
import type { MasterTargets } from './master-mix.js';
import { StreamingLimiter } from './peak-limiter.js';
import { shapeBlock } from './shape-ends.js';

/** What to render and where the encoded bytes go. */
export interface LongRenderOptions {
  readonly sampleRate: number;
  /** Length of the file in frames. */
  readonly frames: number;
  /** Frames to render (more than `frames` for a loop, whose tail is folded onto the start). */
  readonly renderFrames: number;
  readonly format: AudioFormat;
  readonly targets: MasterTargets;
  readonly signal?: AbortSignal;
  readonly onProgress: (fraction: number, stage: string) => void;
}

/** Render, master and encode `score` to `sink` without holding the whole mix. */
export async function renderLongToSink(score: Score, sink: ByteSink, options: LongRenderOptions): Promise<void> {
  const { sampleRate, frames, renderFrames, signal } = options;
  const fade = score.loop ? undefined : score.fade;
  const stats = new ChunkStats(sampleRate, 2);
  const tail = [new Float32Array(Math.max(0, renderFrames - frames)), new Float32Array(Math.max(0, renderFrames - frames))];
  // Adds the loop tail onto the start, or fades the ends; `block` is the renderer's scratch space.
  const shape = (block: Float32Array[], start: number) => {
    if (!score.loop) return shapeBlock(block, start, sampleRate, fade);
    block.forEach((data, channel) => {
      const folded = tail[channel] as Float32Array;
      for (let index = 0; index < data.length && start + index < folded.length; index++) {
        data[index] = (data[index] as number) + (folded[start + index] as number);
      }
    });
  };
  await renderScore(score, {
    sampleRate,
    frames: renderFrames,
    signal,
    onBlock: (left, right, start) => {
      const keep = Math.max(0, Math.min(left.length, frames - start));
      for (let index = keep; index < left.length; index++) {
        (tail[0] as Float32Array)[start + index - frames] = left[index] as number;
        (tail[1] as Float32Array)[start + index - frames] = right[index] as number;
      }
      const block = [left.subarray(0, keep), right.subarray(0, keep)];
      if (!score.loop) shapeBlock(block, start, sampleRate, fade);
      stats.push(block);
      options.onProgress(0.05 + 0.4 * ((start + left.length) / renderFrames), 'render');
    },
  });
  signal?.throwIfAborted();
  const ceiling = 10 ** ((options.targets.truePeakDb - 0.4) / 20);
  const limiter = new StreamingLimiter(sampleRate, 2, stats.gainFor(options.targets.targetLufs, ceiling), ceiling);
  const encoder = createStreamingEncoder(
    options.format,
    sampleRate,
    2,
    sink,
    options.format === 'flac' || options.format === 'wav' ? frames : 0,
  );
  options.onProgress(0.45, 'master');
  await renderScore(score, {
    sampleRate,
    frames,
    signal,
    onBlock: async (left, right, start) => {
      const block = [left, right];
      shape(block, start);
      const limited = limiter.push(block);
      if ((limited[0]?.length ?? 0) > 0) await encoder.write({ sampleRate, channels: limited });
      options.onProgress(0.45 + 0.5 * ((start + left.length) / frames), 'encode');
    },
  });
  await encoder.write({ sampleRate, channels: limiter.flush() });
  await encoder.end();
}
