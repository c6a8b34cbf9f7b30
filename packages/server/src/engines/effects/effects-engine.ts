import { ENCODABLE_FORMATS } from '../../audio/encode-audio.js';
import { encodeAudioWithinTruePeak } from '../../audio/verified-encode.js';
import type { AudioFormat, ByteSink, Engine, EngineCallOptions, EngineRequest } from '../../ports/engine.js';
import { abortableSink } from '../abortable-sink.js';
import { planEffect } from './effect-plan.js';
import { EFFECT_SAMPLE_RATE, renderEffect } from './render-effect.js';

/** Default length when a request gives none (the sound-effect models' default). */
const DEFAULT_SECONDS = 7;
const FORMATS: readonly AudioFormat[] = (['mp3', 'wav', 'flac'] as const).filter((format) => ENCODABLE_FORMATS.includes(format));

/**
 * The procedural sound-effects engine: recognises effect families in the prompt (see
 * EFFECT_FAMILIES), synthesises and layers them, masters and encodes the result. A prompt that
 * names none of its sounds is refused at queue time by `check` (a 400 listing what it makes),
 * and by `generate` should one reach it anyway: it never renders a guess.
 */
export function createEffectsEngine(): Engine {
  return {
    name: 'effects',
    formats: FORMATS,
    concurrency: 2,
    check(request) {
      const outcome = planEffect(request.prompt);
      return outcome.ok ? undefined : { field: 'prompt', message: outcome.message };
    },
    async generate(request: EngineRequest, sink: ByteSink, options: EngineCallOptions) {
      options.signal.throwIfAborted();
      const durationSeconds = request.durationSeconds ?? DEFAULT_SECONDS;
      options.onProgress(0, 'render');
      // Yield once so a cancellation that races the start is seen before the CPU-bound render.
      await new Promise((resolve) => setImmediate(resolve));
      const audio = renderEffect(
        { prompt: request.prompt, durationSeconds, seed: request.seed, loop: request.loop },
        (done, total) => options.onProgress((done / total) * 0.7, 'render'),
        options.signal,
      );
      options.onProgress(0.8, 'encode');
      options.signal.throwIfAborted();
      await encodeAudioWithinTruePeak(audio, request.format, abortableSink(sink, options.signal));
      options.signal.throwIfAborted();
      options.onProgress(1, 'encode');
      return { durationSeconds: (audio.channels[0]?.length ?? 0) / EFFECT_SAMPLE_RATE };
    },
  };
}
