/**
 * The `fal` adapter through the engine conformance suite, against its fake fal queue and CDN,
 * on the `fal-ai/stable-audio` app (0..47 s: a 60 s request is refused by the app with a 422).
 */
import { falAdapter } from '../../src/engines/fal/fal-adapter.js';
import type { EngineRequest } from '../../src/ports/engine.js';
import { startFakeFal } from '../support/fake-fal-server.js';
import { type ConformanceSubject, engineConformance } from './engine-conformance.js';

engineConformance('fal (fal-ai/stable-audio), against its fake', async (): Promise<ConformanceSubject> => {
  const upstream = await startFakeFal({ apiKey: 'test-key', queuedPolls: 1, runningPolls: 1 });
  const engine = falAdapter.create(
    {
      name: 'fal',
      url: upstream.url,
      apiKey: 'test-key',
      concurrency: 2,
      requestTimeoutMs: 30_000,
      maxResponseBytes: 64 << 20,
      options: { poll_seconds: 0.02 },
    },
    { threads: false, fetch },
  );
  const request: EngineRequest = {
    modelId: 'fal-stable-audio',
    modelType: 'music',
    requestId: 'conformance-1',
    options: { model: 'fal-ai/stable-audio' },
    seed: 7,
    prompt: 'rain on a tin roof',
    durationSeconds: 2,
    forceInstrumental: false,
    lyricsOptimizer: false,
    loop: false,
    speed: 1,
    format: 'mp3',
  };
  return {
    engine,
    request,
    timing: 'duration',
    reject: { request: { ...request, durationSeconds: 60 }, kind: 'invalid_input' },
    close: async () => {
      await engine.close?.();
      await upstream.close();
    },
  };
});
