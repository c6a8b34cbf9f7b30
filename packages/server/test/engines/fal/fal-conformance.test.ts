/**
 * The `fal` adapter through the engine conformance suite, against its fake fal queue and CDN,
 * on the `fal-ai/stable-audio` app (0..47 s: a 60 s request is refused by the app with a 422).
 */
import { falAdapter } from '../../../src/engines/fal/fal-adapter.js';
import { createEngine, musicRequest, remoteSettings } from '../../support/engine-harness.js';
import { startFakeFal } from '../../support/fake-fal-server.js';
import { subjectOf } from '../conformance-subject.js';
import { engineConformance } from '../engine-conformance.js';

engineConformance('fal (fal-ai/stable-audio), against its fake', async () => {
  const upstream = await startFakeFal({ apiKey: 'test-key', queuedPolls: 1, runningPolls: 1 });
  const engine = createEngine(falAdapter, remoteSettings('fal', upstream.url, { apiKey: 'test-key' }));
  const request = musicRequest({ modelId: 'fal-stable-audio', options: { model: 'fal-ai/stable-audio' }, prompt: 'rain on a tin roof' });
  return subjectOf(engine, { request, timing: 'duration', refuse: { durationSeconds: 60 } }, upstream.close);
});
