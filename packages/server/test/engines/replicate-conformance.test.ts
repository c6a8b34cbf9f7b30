/**
 * The `replicate` adapter through the engine conformance suite, against the fake Replicate API
 * (fake-replicate-server.ts), whose model makes a file exactly as long as the `duration` it is sent.
 */
import { replicateAdapter } from '../../src/engines/replicate/replicate-adapter.js';
import { closing, createEngine, musicRequest, remoteSettings } from '../support/engine-harness.js';
import { startFakeReplicate, VERSION } from '../support/fake-replicate-server.js';
import { type ConformanceSubject, engineConformance } from './engine-conformance.js';

engineConformance('replicate (polled predictions), against its fake', async (): Promise<ConformanceSubject> => {
  const upstream = await startFakeReplicate({ finishAfterPolls: 2 });
  const engine = createEngine(replicateAdapter, remoteSettings('replicate', upstream.url, { apiKey: 'r8_test' }));
  const request = musicRequest({
    modelId: 'musicgen',
    options: { version: VERSION, duration_field: 'duration', seed_field: 'seed', format_field: 'output_format' },
  });
  return {
    engine,
    request,
    timing: 'duration',
    reject: { request: { ...request, durationSeconds: 90 }, kind: 'invalid_input' },
    close: closing(engine, upstream.close),
  };
});
