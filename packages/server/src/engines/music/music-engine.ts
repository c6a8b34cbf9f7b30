/** The built-in music engine: prompt → composition → sampled-instrument render → master → encode. */
import { abortableSink } from '../abortable-sink.js';
import type { PcmAudio } from '../../audio/pcm-audio.js';
import type { ByteSink, Engine, EngineCallOptions, EngineRequest, EngineResult } from '../../ports/engine.js';
import { composeSong } from './compose/compose-song.js';
import type { Score } from './compose/score.js';
import { renderLongToSink } from './master/long-render.js';
import { masterAndEncode } from './master/master-encode.js';
import { masterInPlace } from './master/master-mix.js';
import { fadeIn, fadeOut, foldLoopTail } from './master/shape-ends.js';
import { parsePrompt } from './prompt/parse-prompt.js';
import { closeRenderWorker } from './render/render-pool.js';
import { dropSpareMix, releaseMix, renderMix } from './render/render-mix.js';
import { lyricsFor, mixVocals, softenLeadUnderVoice } from './vocals/add-vocals.js';
import { buildVocalLine } from './vocals/vocal-line.js';

/** Output sample rate of the music engine. */
export const MUSIC_SAMPLE_RATE = 44100;
/** Shortest and longest piece, in seconds. */
export const MUSIC_DURATION_RANGE = [5, 600] as const;
const DEFAULT_DURATION_SECONDS = 30;
/** Seconds rendered past the end of a loop, folded back onto its start. */
const LOOP_TAIL_SECONDS = 3;
/** From this length on, pieces render in two passes and stream (memory stays bounded). */
const TWO_PASS_SECONDS = 150;
const MASTER_TARGETS = { targetLufs: -14, truePeakDb: -1 } as const;

/** Compose the score for a request (pure; exported for tests and previews). */
export function composeForRequest(request: Pick<EngineRequest, 'prompt' | 'durationSeconds' | 'seed' | 'loop'>): Score {
  const [shortest, longest] = MUSIC_DURATION_RANGE;
  const durationSeconds = Math.min(longest, Math.max(shortest, request.durationSeconds ?? DEFAULT_DURATION_SECONDS));
  return composeSong({ brief: parsePrompt(request.prompt), durationSeconds, seed: request.seed, loop: request.loop });
}

/** A composed request: the score (lead softened under any voice), the vocal line and its lengths. */
interface Plan {
  readonly score: Score;
  readonly vocal: ReturnType<typeof buildVocalLine>;
  /** Frames of the file. */
  readonly frames: number;
  /** Frames to render (a loop's tail is folded onto its start). */
  readonly renderFrames: number;
}

function planRequest(request: EngineRequest, options: EngineCallOptions): Plan {
  options.onProgress(0, 'compose');
  const composed = composeForRequest(request);
  const lyrics = lyricsFor(request);
  const vocal = lyrics ? buildVocalLine(composed, lyrics) : [];
  const score = softenLeadUnderVoice(composed, vocal);
  options.onProgress(0.05, 'compose');
  const frames = Math.round(score.durationSeconds * MUSIC_SAMPLE_RATE);
  const renderFrames = score.loop ? frames + LOOP_TAIL_SECONDS * MUSIC_SAMPLE_RATE : frames;
  return { score, vocal, frames, renderFrames };
}

async function renderPlan(
  { score, vocal, frames, renderFrames }: Plan,
  request: EngineRequest,
  options: EngineCallOptions,
  parallel: boolean,
): Promise<PcmAudio> {
  let audio = await renderMix(score, {
    sampleRate: MUSIC_SAMPLE_RATE,
    frames: renderFrames,
    parallel,
    signal: options.signal,
    onProgress: (fraction) => options.onProgress(0.05 + (vocal.length ? 0.55 : 0.7) * fraction, 'render'),
  });
  options.signal.throwIfAborted();
  if (vocal.length > 0) {
    options.onProgress(0.6, 'render');
    audio = await mixVocals(audio, vocal, request, options.signal);
  }
  options.onProgress(0.8, 'master');
  if (score.loop) audio = foldLoopTail(audio, frames);
  else {
    fadeIn(audio);
    if (score.fade) fadeOut(audio, score.fade[0], score.fade[1]);
  }
  return audio;
}

/** Render, mix vocals, shape the ends and master: the whole PCM result of a request. */
export async function renderRequest(request: EngineRequest, options: EngineCallOptions, parallel = true): Promise<PcmAudio> {
  const audio = await renderPlan(planRequest(request, options), request, options, parallel);
  masterInPlace(audio, MASTER_TARGETS);
  options.signal.throwIfAborted();
  return audio;
}

/** Settings of the music engine. */
export interface MusicEngineOptions {
  /**
   * From this length (seconds) on, a piece is rendered twice and streamed, holding only statistics
   * and one block at a time, instead of mixed in one buffer; default 150. Lower it in tests to take
   * short pieces through the streaming path.
   */
  readonly twoPassSeconds?: number;
}

/** Create the `music` engine. */
export function createMusicEngine(settings: MusicEngineOptions = {}): Engine {
  const twoPassFrames = (settings.twoPassSeconds ?? TWO_PASS_SECONDS) * MUSIC_SAMPLE_RATE;
  return {
    name: 'music',
    formats: ['mp3', 'wav', 'flac', 'opus', 'pcm'],
    concurrency: 1,
    async generate(request: EngineRequest, sink: ByteSink, options: EngineCallOptions): Promise<EngineResult> {
      const guarded = abortableSink(sink, options.signal);
      const plan = planRequest(request, options);
      if (plan.frames >= twoPassFrames) {
        dropSpareMix();
        await renderLongToSink(plan.score, guarded, {
          sampleRate: MUSIC_SAMPLE_RATE,
          frames: plan.frames,
          renderFrames: plan.renderFrames,
          format: request.format,
          targets: MASTER_TARGETS,
          signal: options.signal,
          vocal: { notes: plan.vocal, voice: request.voice, language: request.languageCode },
          onProgress: options.onProgress,
        });
        options.onProgress(1, 'encode');
        return { durationSeconds: plan.frames / MUSIC_SAMPLE_RATE };
      }
      const audio = await renderPlan(plan, request, options, true);
      // Mastering and encoding overlap (each thread limits its half as it encodes it).
      await masterAndEncode(audio, request.format, guarded, MASTER_TARGETS, () => options.onProgress(0.9, 'encode'));
      releaseMix(audio);
      options.onProgress(1, 'encode');
      return { durationSeconds: (audio.channels[0]?.length ?? 0) / audio.sampleRate };
    },
    close: closeRenderWorker,
  };
}
