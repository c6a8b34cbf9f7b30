/**
 * The `ace-step` adapter through the engine conformance suite, against its fake ACE-Step API
 * server. Songs are 10 s (ACE-Step's shortest) and 11 s; a 5 s one must be refused.
 */
import { aceStepAdapter } from '../../src/engines/ace-step/ace-step-adapter.js';
import { closing, createEngine, musicRequest, remoteSettings } from '../support/engine-harness.js';
import { startFakeAceStep } from '../support/fake-ace-step-server.js';
import { type ConformanceSubject, engineConformance } from './engine-conformance.js';

engineConformance('ace-step, against its fake', async (): Promise<ConformanceSubject> => {
  const upstream = await startFakeAceStep({ apiKey: 'test-key', finishAfterPolls: 1 });
  const engine = createEngine(aceStepAdapter, remoteSettings('ace', upstream.url, { apiKey: 'test-key' }));
  const request = musicRequest({ modelId: 'ace-song', durationSeconds: 10 });
  return {
    engine,
    request,
    timing: 'duration',
    durations: [10, 11],
    reject: { request: { ...request, durationSeconds: 5 }, kind: 'invalid_input' },
    close: closing(engine, upstream.close),
  };
});
