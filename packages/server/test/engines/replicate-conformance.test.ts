/**
 * The `replicate` adapter through the engine conformance suite, against the fake Replicate API
 * (fake-replicate-server.ts), whose model makes a file exactly as long as the `duration` it is sent.
 */
import { replicateAdapter } from '../../src/engines/replicate/replicate-adapter.js';
import type { EngineRequest } from '../../src/ports/engine.js';
import { startFakeReplicate, VERSION } from '../support/fake-replicate-server.js';
import { type ConformanceSubject, engineConformance } from './engine-conformance.js';

engineConformance('replicate (polled predictions), against its fake', async (): Promise<ConformanceSubject> => {
  const upstream = await startFakeReplicate({ finishAfterPolls: 2 });
  const engine = replicateAdapter.create(
    {
      name: 'replicate',
      url: upstream.url,
      apiKey: 'r8_test',
      concurrency: 2,
      requestTimeoutMs: 30_000,
      maxResponseBytes: 64 << 20,
      options: { poll_seconds: 0.02 },
    },
    { threads: false, fetch },
  );
  const request: EngineRequest = {
    modelId: 'musicgen',
    modelType: 'music',
    requestId: 'conformance-1',
    options: { version: VERSION, duration_field: 'duration', seed_field: 'seed', format_field: 'output_format' },
    seed: 7,
    prompt: 'a calm piano piece in C major',
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
    reject: { request: { ...request, durationSeconds: 90 }, kind: 'invalid_input' },
    close: () => upstream.close(),
  };
});
