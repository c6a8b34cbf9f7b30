/**
 * The `cog` adapter through the engine conformance suite, against the fake Cog container
 * (fake-cog-server.ts): synchronous mode, and webhook mode with a stand-in for the receiving
 * route. The fake model makes a file exactly as long as the `duration` it is sent.
 */
import { cogAdapter } from '../../../src/engines/cog/cog-adapter.js';
import type { EngineRequest } from '../../../src/ports/engine.js';
import type { InstanceSettings } from '../../../src/ports/engine-adapter.js';
import { startCogWebhookReceiver } from '../../support/cog-webhook-receiver.js';
import { createEngine, musicRequest, remoteSettings } from '../../support/engine-harness.js';
import { startFakeCog } from '../../support/fake-cog-server.js';
import { subjectOf } from '../conformance-subject.js';
import { engineConformance } from '../engine-conformance.js';

const settings = (url: string, overrides: Partial<InstanceSettings> = {}): InstanceSettings =>
  remoteSettings('gpu-1', url, { concurrency: 1, ...overrides });

let jobs = 0;
/** A queued request of a MusicGen-like row; each gets a job id of its own (a prediction id is per job). */
const request = (): EngineRequest =>
  musicRequest({
    modelId: 'musicgen',
    requestId: `conformance-${++jobs}`,
    options: { duration_field: 'duration', seed_field: 'seed', format_field: 'output_format' },
  });

engineConformance('cog (sync PUT), against its fake', async () => {
  const upstream = await startFakeCog();
  const engine = createEngine(cogAdapter, settings(upstream.url));
  const refuse = { requestId: 'conformance-empty', prompt: ' ' };
  return subjectOf(engine, { request: request(), timing: 'duration', refuse }, upstream.close);
});

engineConformance('cog (webhook mode, files by URL), against its fake', async () => {
  const upstream = await startFakeCog({ uploads: true });
  const receiver = await startCogWebhookReceiver();
  const engine = createEngine(cogAdapter, settings(upstream.url, { apiKey: 'signing-key', options: { webhook_url: receiver.url } }));
  const refuse = { requestId: 'conformance-long', durationSeconds: 600 };
  return subjectOf(engine, { request: request(), timing: 'duration', refuse }, upstream.close, receiver.close);
});
