import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FetchFunction, type GenerateProgress, JobEndedError } from '../src/index.js';
import { FAST_POLLING, GATED, gatedServerForFile, SKETCH } from './live-server.js';

const gated = gatedServerForFile();

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

/**
 * The real server without its status stream, as a Venice-contract server looks: `instead` answers
 * `GET …/events` (the contract has no such route; Fastify's and Venice's unknown routes are 404).
 */
function withoutStream(instead: () => Response | Promise<Response>, paths: string[]): FetchFunction {
  return async (input, init) => {
    const path = new URL(input).pathname.replace(/^\/api\/v1/, '');
    paths.push(path.replace(/[0-9a-f-]{36}/, 'ID'));
    return path.endsWith('/events') ? instead() : fetch(input, init);
  };
}

const cases: [string, () => Response | Promise<Response>][] = [
  ['a 404 (no such route)', () => json(404, { error: 'Not found' })],
  ['a 405', () => json(405, { error: 'Method not allowed' })],
  ['an answer that is not an event stream', () => json(200, { status: 'ok' }, 'text/html')],
  ['no connection', () => Promise.reject(new TypeError('fetch failed'))],
];

for (const [what, instead] of cases)
  test(`generate falls back to polling retrieve on ${what}`, async () => {
    const paths: string[] = [];
    const progress: GenerateProgress[] = [];
    const client = gated.server.client({ fetch: withoutStream(instead, paths) });
    const result = await client.generate(SKETCH, { polling: FAST_POLLING, onProgress: (update) => progress.push(update) });
    assert.equal(new TextDecoder().decode(result.bytes.subarray(0, 4)), 'RIFF');
    const afterStream = paths.slice(paths.lastIndexOf('/audio/status/ID/events') + 1);
    assert.ok(afterStream.length >= 2 && afterStream.at(-1) === '/audio/complete', afterStream.join(' '));
    assert.ok(
      afterStream.slice(0, -1).every((path) => path === '/audio/retrieve'),
      'only retrieves',
    );
    assert.equal(progress.at(-1)?.fraction, 1);
    assert.ok(progress.slice(0, -1).every((update) => update.source === 'poll' && update.fraction < 1));
  });

test('a stream that drops for good mid-job is resumed by polling without losing the job', async () => {
  const paths: string[] = [];
  let streams = 0;
  const client = gated.server.client({
    fetch: async (input, init) => {
      paths.push(new URL(input).pathname.replace(/[0-9a-f-]{36}/, 'ID'));
      if (!input.endsWith('/events')) return fetch(input, init);
      // The first connection sends one status event and dies; every later one dies at once.
      streams++;
      const body = streams > 1 ? '' : 'retry: 10\n\nid: 1\nevent: status\ndata: {"queue_id":"x","state":"queued","progress":0}\n\n';
      let sent = streams > 1;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) return controller.error(new TypeError('terminated'));
          sent = true;
          controller.enqueue(new TextEncoder().encode(body));
        },
      });
      return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
    },
  });
  const running = client.generate(GATED, { polling: FAST_POLLING });
  for (let i = 0; i < 3000 && (streams < 4 || gated.fakes.waitingCount() === 0); i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(streams, 4, 'the first connection and three reconnections');
  gated.fakes.release();
  const result = await running;
  assert.ok(result.bytes.byteLength > 44);
  assert.ok(paths.includes('/api/v1/audio/retrieve'));
});

test('follow ends with a JobEndedError when the job is cancelled meanwhile', async () => {
  const client = gated.server.client();
  const queued = await client.audio.queue(GATED);
  const following = client.audio.follow(queued, { polling: FAST_POLLING }).catch((error: unknown) => error);
  for (let i = 0; i < 3000 && gated.fakes.waitingCount() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await client.audio.cancel({ queue_id: queued.queue_id });
  const error = await following;
  assert.ok(error instanceof JobEndedError, String(error));
  assert.equal(error.state, 'cancelled');
  assert.equal(error.queueId, queued.queue_id);
});

test('follow gives up after maxWaitMs with a TimeoutError and the job keeps running', async () => {
  const client = gated.server.client();
  const queued = await client.audio.queue(GATED);
  await assert.rejects(client.audio.follow(queued, { maxWaitMs: 200 }), { name: 'TimeoutError' });
  await assert.rejects(client.audio.follow(queued, { maxWaitMs: 200, stream: false, polling: FAST_POLLING }), { name: 'TimeoutError' });
  assert.notEqual((await client.audio.status(queued.queue_id)).state, 'cancelled');
  await client.audio.cancel({ queue_id: queued.queue_id });
});
