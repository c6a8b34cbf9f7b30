/**
 * Long pieces in bounded memory: two passes over a deterministic render instead of one buffer
 * of the whole mix (600 s of stereo float is 212 MB). Pass 1 renders and keeps only 10 ms
 * loudness statistics (and a loop's tail); the mastering gain is predicted from them; pass 2
 * renders again, shapes the ends, limits and encodes block by block straight to the sink.
 * A sung voice's distinct notes are sung first, in a thread that then ends (`voice-bank.ts`), and
 * laid out block by block in both passes (`VoiceTrack`); its gain follows the whole band's level,
 * known only after pass 1, so pass 1 keeps band and voice statistics apart (`VoicedChunkStats`)
 * and the mix's are derived from them once the gain is known.
 */
import { createStreamingEncoder } from '../../../audio/streaming-encoder.js';
import { BufferSink, encodeWithinTruePeak, writeBytes } from '../../../audio/verified-encode.js';
import type { AudioFormat, ByteSink } from '../../../ports/engine.js';
import type { Score } from '../compose/score.js';
import { renderScore } from '../render/render-score.js';
import { LevelMeter, voiceGain } from '../vocals/add-vocals.js';
import type { VocalNote } from '../vocals/vocal-line.js';
import { singVoiceBank } from '../vocals/voice-bank.js';
import { VoiceTrack } from '../vocals/voice-track.js';
import { ChunkStats } from './chunk-stats.js';
import type { MasterTargets } from './master-mix.js';
import { StreamingLimiter } from './peak-limiter.js';
import { shapeBlock } from './shape-ends.js';
import { VoicedChunkStats } from './voiced-stats.js';

/** A vocal line and how to sing it. */
export interface LongRenderVocal {
  readonly notes: readonly VocalNote[];
  readonly voice?: string;
  readonly language?: string;
}

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
  /** Lyrics sung over the band (centred, with echoes, at the one-buffer mix's level). */
  readonly vocal?: LongRenderVocal;
  readonly onProgress: (fraction: number, stage: string) => void;
}

/** Formats whose decoded output can exceed the limiter's ceiling (lossy codecs; `pcm` is resampled). */
const CHECKED_FORMATS: readonly AudioFormat[] = ['mp3', 'opus', 'pcm'];

/**
 * Render, master and encode `score` to `sink` without holding the whole mix. WAV and FLAC hold the
 * limiter's true peak as rendered; the other formats are kept in memory (at most ~30 MB for 600 s),
 * decoded and metered, and rendered again with more headroom if the codec overshot the limit.
 */
export async function renderLongToSink(score: Score, sink: ByteSink, options: LongRenderOptions): Promise<void> {
  if (!CHECKED_FORMATS.includes(options.format)) return renderLong(score, sink, options);
  let progress = 0;
  const onProgress = (fraction: number, stage: string) => {
    progress = Math.max(progress, fraction);
    options.onProgress(progress, stage);
  };
  const { truePeakDb } = options.targets;
  const bytes = await encodeWithinTruePeak(
    options.format,
    async (headroomDb) => {
      const out = new BufferSink();
      await renderLong(score, out, { ...options, onProgress, targets: { ...options.targets, truePeakDb: truePeakDb - headroomDb } });
      return out.bytes();
    },
    truePeakDb,
  );
  await writeBytes(bytes, sink);
}

async function renderLong(score: Score, sink: ByteSink, options: LongRenderOptions): Promise<void> {
  const { sampleRate, frames, renderFrames, signal } = options;
  const fade = score.loop ? undefined : score.fade;
  const notes = options.vocal?.notes ?? [];
  const bank =
    notes.length > 0
      ? await singVoiceBank(notes, { sampleRate, voice: options.vocal?.voice, language: options.vocal?.language }, signal)
      : undefined;
  const singer = () => (bank ? new VoiceTrack(notes, bank, sampleRate) : undefined);
  const plain = new ChunkStats(sampleRate, 2);
  const voiced = new VoicedChunkStats(sampleRate);
  const bandMeters = [new LevelMeter(), new LevelMeter()] as const;
  const tailFrames = Math.max(0, renderFrames - frames);
  const tail = [new Float32Array(tailFrames), new Float32Array(tailFrames)];
  const voiceTail = [new Float32Array(tailFrames), new Float32Array(tailFrames)];
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
  const firstTrack = singer();
  const gainNow = (track: VoiceTrack) => voiceGain(bandMeters[0].level, bandMeters[1].level, track.level);
  await renderScore(score, {
    sampleRate,
    frames: renderFrames,
    signal,
    onBlock: async (left, right, start) => {
      if (firstTrack) {
        bandMeters[0].push(left);
        bandMeters[1].push(right);
      }
      const voice = firstTrack ? firstTrack.contribution(start, left.length, renderFrames) : undefined;
      const keep = Math.max(0, Math.min(left.length, frames - start));
      [left, right, ...(voice ?? [])].forEach((data, stream) => {
        const target = (stream < 2 ? tail[stream] : voiceTail[stream - 2]) as Float32Array;
        for (let index = keep; index < data.length; index++) target[start + index - frames] = data[index] as number;
      });
      const block = [left.subarray(0, keep), right.subarray(0, keep)];
      const voiceBlock = voice?.map((data) => data.subarray(0, keep));
      if (!score.loop) shapeBlock(block, start, sampleRate, fade);
      if (!score.loop && voiceBlock) shapeBlock(voiceBlock, start, sampleRate, fade);
      if (firstTrack && voiceBlock) voiced.push(block, voiceBlock, gainNow(firstTrack));
      else plain.push(block);
      options.onProgress(0.05 + 0.4 * ((start + left.length) / renderFrames), 'render');
    },
  });
  signal?.throwIfAborted();
  firstTrack?.finish();
  const gain = firstTrack ? gainNow(firstTrack) : 0;
  tail.forEach((data, channel) => {
    for (let index = 0; index < data.length; index++)
      data[index] = (data[index] as number) + gain * ((voiceTail[channel] as Float32Array)[index] as number);
  });
  const stats = firstTrack ? voiced.at(gain) : plain;
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
  const secondTrack = singer();
  await renderScore(score, {
    sampleRate,
    frames,
    signal,
    onBlock: async (left, right, start) => {
      if (secondTrack) {
        const [voiceLeft, voiceRight] = secondTrack.contribution(start, left.length, renderFrames);
        for (let index = 0; index < left.length; index++) {
          left[index] = (left[index] as number) + gain * (voiceLeft[index] as number);
          right[index] = (right[index] as number) + gain * (voiceRight[index] as number);
        }
      }
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
