/**
 * The `ace-step` adapter through the engine conformance suite, against its fake ACE-Step API
 * server. Songs are 10 s (ACE-Step's shortest) and 11 s; a 5 s one must be refused.
 */
import { aceStepAdapter } from '../../../src/engines/ace-step/ace-step-adapter.js';
import { createEngine, musicRequest, remoteSettings } from '../../support/engine-harness.js';
import { startFakeAceStep } from '../../support/fake-ace-step-server.js';
import { subjectOf } from '../conformance-subject.js';
import { engineConformance } from '../engine-conformance.js';

engineConformance('ace-step, against its fake', async () => {
  const upstream = await startFakeAceStep({ apiKey: 'test-key', finishAfterPolls: 1 });
  const engine = createEngine(aceStepAdapter, remoteSettings('ace', upstream.url, { apiKey: 'test-key' }));
  const request = musicRequest({ modelId: 'ace-song', durationSeconds: 10 });
  return subjectOf(engine, { request, timing: 'duration', durations: [10, 11], refuse: { durationSeconds: 5 } }, upstream.close);
});
