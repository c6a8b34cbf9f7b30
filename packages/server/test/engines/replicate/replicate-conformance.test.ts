/**
 * The `replicate` adapter through the engine conformance suite, against the fake Replicate API
 * (fake-replicate-server.ts), whose model makes a file exactly as long as the `duration` it is sent.
 */
import { replicateAdapter } from '../../../src/engines/replicate/replicate-adapter.js';
import { createEngine, musicRequest, remoteSettings } from '../../support/engine-harness.js';
import { startFakeReplicate, VERSION } from '../../support/fake-replicate-server.js';
import { subjectOf } from '../conformance-subject.js';
import { engineConformance } from '../engine-conformance.js';

engineConformance('replicate (polled predictions), against its fake', async () => {
  const upstream = await startFakeReplicate({ finishAfterPolls: 2 });
  const engine = createEngine(replicateAdapter, remoteSettings('replicate', upstream.url, { apiKey: 'r8_test' }));
  const request = musicRequest({
    modelId: 'musicgen',
    options: { version: VERSION, duration_field: 'duration', seed_field: 'seed', format_field: 'output_format' },
  });
  return subjectOf(engine, { request, timing: 'duration', refuse: { durationSeconds: 90 } }, upstream.close);
});
