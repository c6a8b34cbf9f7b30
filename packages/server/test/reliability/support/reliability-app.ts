import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { createToneEngine } from '../../../src/engines/tone/tone-engine.js';
import type { AppParts } from '../../../src/app/create-app.js';
import { FsMediaStore } from '../../../src/media/fs-media-store.js';
import type { MediaStore } from '../../../src/ports/media-store.js';
import { assertLedgerInvariants } from '../../store/store-conformance.js';
import { boundDirectory } from '../../support/bound-catalog.js';
import { type TestApp, startTestApp, waitForMedia } from '../../support/test-app.js';
import { testEngines } from '../../support/test-engines.js';

/** The request used everywhere here: 1 s of `overture-sketch` costs 0.0001 USD (100 micro-USD). */
export const sketch = (seconds = 1) => ({ model: 'overture-sketch', prompt: 'a small sketch in C major', duration_seconds: seconds });

/** Price of `sketch(1)` in micro-USD. */
export const SKETCH_MICROS = 100;

/** A data directory whose catalog binds `overture-sketch` to `engine` (wav only). */
export function directoryWith(engine: string): { directory: string; catalog: string } {
  return boundDirectory('overture-rel-', { picks: (model) => model.id === 'overture-sketch', engine });
}

/** A real app whose `overture-sketch` runs on a test engine (`gate`, `broken`, `refusing`) or `tone`. */
export async function appOn(
  engine: string,
  options: { usd?: number; env?: Record<string, string>; parts?: AppParts; media?: (inner: MediaStore) => MediaStore } = {},
) {
  const fakes = testEngines();
  const { directory, catalog } = directoryWith(engine);
  const media = options.media?.(new FsMediaStore(join(directory, 'media')));
  const test = await startTestApp({
    directory,
    usd: options.usd,
    env: {
      OVERTURE_CATALOG: catalog,
      OVERTURE_RATE_LIMIT_QUEUE: '100000',
      OVERTURE_RATE_LIMIT_RETRIEVE: '100000',
      OVERTURE_RATE_LIMIT_OTHER: '100000',
      OVERTURE_SHUTDOWN_GRACE_SECONDS: '0',
      ...options.env,
    },
    parts: { engines: [createToneEngine(), ...fakes.engines], ...(media ? { media } : {}), ...options.parts },
  });
  return { test, fakes };
}

/** Run `work` on `appOn(engine, options)`, and close the app afterwards (also when `work` throws). */
export async function withAppOn(
  engine: string,
  options: Parameters<typeof appOn>[1],
  work: (test: TestApp, fakes: ReturnType<typeof testEngines>) => Promise<void>,
): Promise<void> {
  const { test, fakes } = await appOn(engine, options);
  try {
    await work(test, fakes);
  } finally {
    await test.close();
  }
}

/** Queue one sketch and return its id (asserting the 200). */
export async function queueOne(test: TestApp, key?: string, seconds = 1): Promise<string> {
  const response = await test.request('POST', '/api/v1/audio/queue', sketch(seconds), key);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().queue_id as string;
}

/** Queue one sketch and wait until its media is served; answers its id and that first retrieve. */
export async function queueDone(test: TestApp): Promise<{ queueId: string; media: LightMyRequestResponse }> {
  const queueId = await queueOne(test);
  return { queueId, media: await waitForMedia(test, 'overture-sketch', queueId) };
}

/** Wait (bounded) until `check` is true. */
export async function until(check: () => boolean | Promise<boolean>, limitMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Is this a JSON answer in the contract's error shape? */
export function assertErrorShape(response: LightMyRequestResponse, context = ''): void {
  assert.match(String(response.headers['content-type']), /^application\/json/, `${context}: error answers are JSON`);
  const body = response.json() as { error?: unknown };
  assert.equal(typeof body.error, 'string', `${context}: {"error": string}`);
}

/** The ledger invariants plus per-job money checks read through the Store port. */
export async function assertMoneyInvariants(test: TestApp): Promise<void> {
  await assertLedgerInvariants(test.app.store);
}

export { assertLedgerInvariants };
