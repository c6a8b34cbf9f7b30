// Started by the crash test: runs a real app on the given directory with the `gate` engine,
// queues one job and prints its id once the engine is running; the parent then SIGKILLs us.
import { createToneEngine } from '../../src/engines/tone/tone-engine.js';
import { startTestApp } from './test-app.js';
import { testEngines } from './test-engines.js';

const [directory, catalog] = process.argv.slice(2) as [string, string];
const fakes = testEngines();
const t = await startTestApp({
  directory,
  keepDirectory: true,
  env: { OVERTURE_CATALOG: catalog, OVERTURE_LEASE_SECONDS: '0.3' },
  parts: { engines: [createToneEngine(), ...fakes.engines] },
});
const queued = (
  await t.request('POST', '/api/v1/audio/queue', { model: 'overture-sketch', prompt: 'a small sketch in C major', duration_seconds: 1 })
).json();
for (let i = 0; i < 500 && fakes.waitingCount() === 0; i++) await new Promise((r) => setTimeout(r, 10));
process.stdout.write(`${JSON.stringify({ queue_id: queued.queue_id, key: t.account.inference_key, running: fakes.waitingCount() })}\n`);
await new Promise(() => undefined);
