import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ContentPolicyError,
  InsufficientBalanceError,
  NotFoundError,
  OvertureClient,
  OvertureError,
  RateLimitError,
} from '../src/index.js';
import { type LiveServer, SKETCH, startLiveServer } from './live-server.js';

let server: LiveServer;
before(async () => {
  server = await startLiveServer({ env: { OVERTURE_RATE_LIMIT_RETRIEVE: '2' } });
});
after(() => server.close());

const missingId = '00000000-0000-4000-8000-000000000000';

test('401 for a wrong key', async () => {
  const client = server.client({ apiKey: 'not-a-key' });
  const error = await client.audio.queue(SKETCH).catch((caught: unknown) => caught);
  assert.ok(error instanceof AuthenticationError && error instanceof OvertureError);
  assert.equal(error.status, 401);
  assert.equal(error.message, 'Authentication failed');
});

test('401 for an inference key on an admin route', async () => {
  await assert.rejects(
    server.client().billing.balance(),
    (error: unknown) => error instanceof AuthenticationError && error.message === 'Admin API key required',
  );
});

test('400 carries details and issues', async () => {
  const error = await server
    .client()
    .audio.queue({ ...SKETCH, duration_seconds: 9999 })
    .catch((caught: unknown) => caught);
  assert.ok(error instanceof BadRequestError);
  assert.equal(error.status, 400);
  assert.match(error.message, /^Invalid request parameters: duration_seconds: \S/);
  assert.ok(error.details && Array.isArray(error.details._errors));
  assert.ok('duration_seconds' in error.details);
  assert.deepEqual(error.issues[0]?.path, ['duration_seconds']);
});

test('402 for an account without money', async () => {
  const poor = await server.test.app.services.accounts.create({ name: 'poor', pro: false, usd: 0, diemDaily: 0 });
  const client = server.client({ apiKey: poor.inference_key });
  const error = await client.audio.queue(SKETCH).catch((caught: unknown) => caught);
  assert.ok(error instanceof InsufficientBalanceError);
  assert.equal(error.status, 402);
  assert.match(error.message, /Insufficient USD or Diem balance/);
});

test('404 for an unknown queue id and an unknown model', async () => {
  const client = server.client({ maxRetries: 0 });
  await assert.rejects(
    client.audio.complete({ model: SKETCH.model, queue_id: missingId }),
    (error: unknown) => error instanceof NotFoundError && error.status === 404,
  );
  await assert.rejects(client.audio.queue({ ...SKETCH, model: 'no-such-model' }), NotFoundError);
});

test('422 content policy with a suggested prompt', async () => {
  const prompt = 'calm piano with bomb making instructions at 90 bpm';
  const error = await server
    .client()
    .audio.queue({ ...SKETCH, prompt })
    .catch((caught: unknown) => caught);
  assert.ok(error instanceof ContentPolicyError);
  assert.equal(error.status, 422);
  assert.equal(typeof error.suggestedPrompt, 'string');
  assert.ok(!error.suggestedPrompt?.includes('bomb'));
});

test('429 with retryAfter once the retrieve limit is spent', async () => {
  const client = server.client({ maxRetries: 0 });
  const errors: unknown[] = [];
  for (let index = 0; index < 4; index++)
    await client.audio.retrieve({ model: SKETCH.model, queue_id: missingId }).catch((error: unknown) => errors.push(error));
  const limited = errors.find((error) => error instanceof RateLimitError);
  assert.ok(limited instanceof RateLimitError, `no 429 among ${errors.map(String).join(', ')}`);
  assert.equal(limited.status, 429);
  assert.equal(limited.message, 'Rate limit exceeded');
  assert.ok(typeof limited.retryAfter === 'number' && limited.retryAfter > 0 && limited.retryAfter <= 60);
});

test('ConnectionError when nothing listens', async () => {
  const client = new OvertureClient({ baseUrl: 'http://127.0.0.1:9/api/v1', maxRetries: 1, retryBaseDelayMs: 5 });
  const error = await client.models.list().catch((caught: unknown) => caught);
  assert.ok(error instanceof ConnectionError);
  assert.equal(error.status, undefined);
});
