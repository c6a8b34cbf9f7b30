/**
 * The `cog` adapter through the engine conformance suite, against the fake Cog container
 * (fake-cog-server.ts): synchronous mode, and webhook mode with a stand-in for the receiving
 * route. The fake model makes a file exactly as long as the `duration` it is sent.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cogAdapter } from '../../src/engines/cog/cog-adapter.js';
import { cogWebhooks } from '../../src/engines/cog/cog-webhooks.js';
import type { EngineRequest } from '../../src/ports/engine.js';
import type { InstanceSettings } from '../../src/ports/engine-adapter.js';
import { startFakeCog } from '../support/fake-cog-server.js';
import { type ConformanceSubject, engineConformance } from './engine-conformance.js';

const settings = (url: string, options: Record<string, unknown> = {}): InstanceSettings => ({
  name: 'gpu-1',
  url,
  apiKey: undefined,
  concurrency: 1,
  requestTimeoutMs: 30_000,
  maxResponseBytes: 64 << 20,
  options: { poll_seconds: 0.02, ...options },
});

let jobs = 0;
/** A queued request of a MusicGen-like row; each gets a job id of its own (a prediction id is per job). */
const request = (): EngineRequest => ({
  modelId: 'musicgen',
  modelType: 'music',
  requestId: `conformance-${++jobs}`,
  options: { duration_field: 'duration', seed_field: 'seed', format_field: 'output_format' },
  seed: 7,
  prompt: 'a calm piano piece in C major',
  durationSeconds: 2,
  forceInstrumental: false,
  lyricsOptimizer: false,
  loop: false,
  speed: 1,
  format: 'mp3',
});

engineConformance('cog (sync PUT), against its fake', async (): Promise<ConformanceSubject> => {
  const upstream = await startFakeCog();
  const engine = cogAdapter.create(settings(upstream.url), { threads: false, fetch });
  const asked = request();
  return {
    engine,
    request: asked,
    timing: 'duration',
    reject: { request: { ...asked, requestId: 'conformance-empty', prompt: ' ' }, kind: 'invalid_input' },
    close: () => upstream.close(),
  };
});

engineConformance('cog (webhook mode, files by URL), against its fake', async (): Promise<ConformanceSubject> => {
  const upstream = await startFakeCog({ uploads: true });
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const id = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
      const ok = cogWebhooks.deliver(id, url.searchParams.get('token') ?? undefined, JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(ok ? 204 : 404).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/cog/gpu-1`;
  const engine = cogAdapter.create({ ...settings(upstream.url, { webhook_url: hooks }), apiKey: 'signing-key' }, { threads: false, fetch });
  const asked = request();
  return {
    engine,
    request: asked,
    timing: 'duration',
    reject: { request: { ...asked, requestId: 'conformance-long', durationSeconds: 600 }, kind: 'invalid_input' },
    close: async () => {
      await upstream.close();
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    },
  };
});
