import { ENCODABLE_FORMATS, encodeAudio } from '../../audio/encode-audio.js';
import type { PcmAudio } from '../../audio/pcm-audio.js';
import { type ByteSink, type Engine, type EngineCallOptions, EngineRejection, type EngineRequest } from '../../ports/engine.js';
import type { EngineAdapter } from '../../ports/engine-adapter.js';
import { abortableSink } from '../abortable-sink.js';
import { parseTestModeOptions, type TestModeOptions } from './test-mode-options.js';
import { sleep } from '../remote/upstream-client.js';

const SAMPLE_RATE = 22050;
/** Progress reports per second while a row waits out its `seconds`. */
const TICKS_PER_SECOND = 4;
/** Share of the progress the wait takes; rendering the tone takes the rest. */
const WAIT_SHARE = 0.9;

/**
 * The test-mode engine: what Stripe's test cards are to payments. Each catalog row names a
 * behaviour in `engine_options` (test-mode-options.ts) — succeed, fail, refuse on content policy,
 * be at capacity — reached after a fixed time with steady progress, so a client's error handling
 * can be tested against the real contract, deterministically. It writes a plain sine tone (its
 * pitch from the request's seed): real audio in every format, no randomness, little CPU.
 */
export function createTestModeEngine(name = 'test', concurrency = 16): Engine {
  return {
    name,
    formats: ENCODABLE_FORMATS,
    concurrency,
    capabilities: { types: ['music', 'tts'], features: ['duration', 'loop', 'speed'] },
    async generate(request: EngineRequest, sink: ByteSink, options: EngineCallOptions) {
      options.signal.throwIfAborted();
      let behaviour: TestModeOptions;
      try {
        behaviour = parseTestModeOptions(request.options);
      } catch (error) {
        throw new EngineRejection('refused', (error as Error).message);
      }
      await waitWithProgress(behaviour.seconds, options);
      const outcome = `${request.modelId} (test mode)`;
      if (behaviour.behaviour === 'fail') throw new EngineRejection('refused', `${outcome} always fails after ${behaviour.seconds} s`);
      if (behaviour.behaviour === 'content_policy')
        throw new EngineRejection('content_policy', `${outcome} refuses every prompt`, behaviour.suggested_prompt);
      if (behaviour.behaviour === 'capacity') throw new EngineRejection('capacity', `${outcome} is always at capacity`);
      const seconds = request.modelType === 'tts' ? behaviour.speech_seconds : (request.durationSeconds ?? 1);
      options.onProgress(WAIT_SHARE, 'render');
      options.signal.throwIfAborted();
      await encodeAudio(tone(seconds, request.seed), request.format, abortableSink(sink, options.signal));
      options.signal.throwIfAborted();
      options.onProgress(1, 'encode');
      return { durationSeconds: Math.round(seconds * SAMPLE_RATE) / SAMPLE_RATE };
    },
  };
}

/** Wait `seconds` in steps of a quarter second, reporting progress at each; stops at an abort with its reason. */
async function waitWithProgress(seconds: number, options: EngineCallOptions): Promise<void> {
  const steps = Math.ceil(seconds * TICKS_PER_SECOND);
  const stepMs = steps === 0 ? 0 : (seconds * 1000) / steps;
  for (let step = 1; step <= steps; step++) {
    await sleep(stepMs, options.signal);
    options.onProgress((step / steps) * WAIT_SHARE, 'wait');
    options.signal.throwIfAborted();
  }
}

/** A mono sine between A3 and A5 (chosen by the seed) with 10 ms fades, at a quarter of full scale. */
function tone(seconds: number, seed: number): PcmAudio {
  const frames = Math.round(seconds * SAMPLE_RATE);
  const hertz = 220 * 2 ** ((seed % 25) / 12);
  const fade = Math.min(frames >> 1, Math.round(SAMPLE_RATE / 100));
  const samples = new Float32Array(frames);
  for (let index = 0; index < frames; index++) {
    const edge = Math.min(1, index / fade, (frames - 1 - index) / fade);
    samples[index] = Math.sin((2 * Math.PI * hertz * index) / SAMPLE_RATE) * 0.25 * edge;
  }
  return { sampleRate: SAMPLE_RATE, channels: [samples] };
}

/** The `test` adapter: always built in (no thread: it waits more than it computes). */
export const testModeAdapter: EngineAdapter = {
  remote: false,
  defaultConcurrency: 16,
  create: (settings) => createTestModeEngine(settings.name, settings.concurrency),
};
