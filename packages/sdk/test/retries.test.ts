import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type FetchFunction, OvertureClient, ServerError, TimeoutError } from '../src/index.js';
import { type LiveServer, SKETCH, startLiveServer } from './live-server.js';

let server: LiveServer;
before(async () => {
  server = await startLiveServer();
});
after(() => server.close());

/** A fetch that answers 503 to the first `failures` calls of a path, then forwards. */
function flaky(path: string, failures: number, calls: string[], headers: Record<string, string> = {}): FetchFunction {
  let left = failures;
  return async (input, init) => {
    calls.push(new URL(input).pathname);
    if (input.includes(path) && left-- > 0)
      return new Response(JSON.stringify({ error: 'The model is at capacity. Please try again later.' }), {
        status: 503,
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-1', ...headers },
      });
    return fetch(input, init);
  };
}

test('quote is retried after a 503', async () => {
  const calls: string[] = [];
  const client = server.client({ fetch: flaky('/audio/quote', 1, calls) });
  assert.equal((await client.audio.quote({ model: 'overture-sketch', duration_seconds: 3 })).quote, 0.0003);
  assert.equal(calls.filter((path) => path.endsWith('/audio/quote')).length, 2);
});

test('Retry-After is honoured between attempts', async () => {
  const calls: string[] = [];
  const client = server.client({ fetch: flaky('/models', 1, calls, { 'retry-after': '1' }), retryBaseDelayMs: 1 });
  const started = Date.now();
  await client.models.list();
  assert.ok(Date.now() - started >= 950);
  assert.equal(calls.length, 2);
});

test('queue is never retried, and the error carries the request id', async () => {
  const calls: string[] = [];
  const client = server.client({ fetch: flaky('/audio/queue', 1, calls), maxRetries: 5 });
  const error = await client.audio.queue(SKETCH).catch((caught: unknown) => caught);
  assert.ok(error instanceof ServerError);
  assert.equal(error.status, 503);
  assert.equal(error.requestId, 'req-1');
  assert.equal(calls.length, 1);
});

test('speech is never retried', async () => {
  const calls: string[] = [];
  const client = server.client({ fetch: flaky('/audio/speech', 1, calls) });
  await assert.rejects(client.audio.speech({ model: 'overture-tts', input: 'Hello.' }), ServerError);
  assert.equal(calls.length, 1);
});

test('retries give up after maxRetries', async () => {
  const calls: string[] = [];
  const client = server.client({ fetch: flaky('/audio/quote', 10, calls), maxRetries: 2 });
  await assert.rejects(client.audio.quote({ model: 'overture-sketch' }), ServerError);
  assert.equal(calls.length, 3);
});

test('a hung request times out with a TimeoutError', async () => {
  const hang: FetchFunction = (_input, init) =>
    new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
  const client = new OvertureClient({ baseUrl: server.baseUrl, fetch: hang, timeoutMs: 50, maxRetries: 1, retryBaseDelayMs: 1 });
  await assert.rejects(client.models.list(), TimeoutError);
});
