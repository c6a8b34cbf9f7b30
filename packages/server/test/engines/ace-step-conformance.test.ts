/**
 * The `ace-step` adapter through the engine conformance suite, against its fake ACE-Step API
 * server. Songs are 10 s (ACE-Step's shortest) and 11 s; a 5 s one must be refused.
 */
import { aceStepAdapter } from '../../src/engines/ace-step/ace-step-adapter.js';
import type { EngineRequest } from '../../src/ports/engine.js';
import { startFakeAceStep } from '../support/fake-ace-step-server.js';
import { type ConformanceSubject, engineConformance } from './engine-conformance.js';

engineConformance('ace-step, against its fake', async (): Promise<ConformanceSubject> => {
  const upstream = await startFakeAceStep({ apiKey: 'test-key', finishAfterPolls: 1 });
  const engine = aceStepAdapter.create(
    {
      name: 'ace',
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
    modelId: 'ace-song',
    modelType: 'music',
    requestId: 'conformance-1',
    options: {},
    seed: 7,
    prompt: 'a calm piano piece in C major',
    durationSeconds: 10,
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
    durations: [10, 11],
    reject: { request: { ...request, durationSeconds: 5 }, kind: 'invalid_input' },
    close: async () => {
      await engine.close?.();
      await upstream.close();
    },
  };
});
