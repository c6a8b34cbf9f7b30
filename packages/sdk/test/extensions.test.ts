import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FetchFunction, IdempotencyError, NotFoundError, type StatusEvent } from '../src/index.js';
import { FAST_POLLING, GATED, gatedServerForFile, SKETCH } from './live-server.js';

const gated = gatedServerForFile();

const usd = async () => (await gated.server.admin().billing.balance()).balances.usd ?? 0;

/** Forwards every call, but answers the first queue call with a 503 after the server handled it (a lost answer). */
function lostFirstAnswer(sent: Headers[]): FetchFunction {
  let lost = false;
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!input.endsWith('/audio/queue')) return response;
    sent.push(new Headers(init.headers as Record<string, string>));
    if (lost) return response;
    lost = true;
    return new Response(JSON.stringify({ error: 'Bad gateway' }), { status: 502, headers: { 'content-type': 'application/json' } });
  };
}

test('queue with an idempotency key is retried after a lost answer and charges once', async () => {
  const sent: Headers[] = [];
  const client = gated.server.client({ fetch: lostFirstAnswer(sent) });
  const before = await usd();
  const queued = await client.audio.queue(SKETCH, { idempotencyKey: 'order-1' });
  assert.equal(queued.replayed, true, 'the retry got the first answer back');
  assert.equal(sent.length, 2);
  assert.ok(sent.every((headers) => headers.get('idempotency-key') === 'order-1'));
  assert.ok(Math.abs(before - (await usd()) - 0.0002) < 1e-9, 'charged once');
  const again = await gated.server.client().audio.queue(SKETCH, { idempotencyKey: 'order-1' });
  assert.deepEqual(again, { ...queued, replayed: true });
  const fresh = await gated.server.client().audio.queue(SKETCH, { idempotencyKey: 'order-2' });
  assert.equal(fresh.replayed, false);
  const mismatch = await gated.server
    .client()
    .audio.queue({ ...SKETCH, duration_seconds: 3 }, { idempotencyKey: 'order-1' })
    .catch((error: unknown) => error);
  assert.ok(mismatch instanceof IdempotencyError);
  assert.equal(mismatch.status, 422);
});

test('generate sends an idempotency key and a binding quote id on its own', async () => {
  const bodies: Record<string, unknown>[] = [];
  const keys: (string | null)[] = [];
  const client = gated.server.client({
    fetch: async (input, init) => {
      if (input.endsWith('/audio/queue')) {
        bodies.push(JSON.parse(String(init.body)));
        keys.push(new Headers(init.headers as Record<string, string>).get('idempotency-key'));
      }
      return fetch(input, init);
    },
  });
  const result = await client.generate(SKETCH, { polling: FAST_POLLING });
  assert.ok(result.bytes.length > 44);
  assert.match(keys[0] ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(typeof bodies[0]?.quote_id, 'string');
  const quote = await gated.server.client().audio.quote({ model: 'overture-sketch', duration_seconds: 2 });
  assert.equal(typeof quote.quote_id, 'string');
  assert.ok(Date.parse(quote.expires_at ?? '') > Date.now());
  assert.equal(
    (await gated.server.client({ apiKey: '' }).audio.quote({ model: 'overture-sketch' })).quote_id,
    undefined,
    'no key, no binding quote',
  );
});

test('speech with an idempotency key replays the same audio', async () => {
  const body = { model: 'overture-tts', input: 'Once, and only once.', response_format: 'wav' } as const;
  const first = await gated.server.client().audio.speech(body, { idempotencyKey: 'speech-1' });
  const before = await usd();
  const second = await gated.server.client().audio.speech(body, { idempotencyKey: 'speech-1' });
  assert.deepEqual(second.bytes, first.bytes);
  assert.equal(await usd(), before, 'the replay is free');
});

test('status, watch and cancel a job that is waiting in the engine', async () => {
  const client = gated.server.client();
  const queued = await client.audio.queue(GATED);
  for (let i = 0; i < 3000 && gated.fakes.waitingCount() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const status = await client.audio.status(queued.queue_id);
  assert.equal(status.state, 'running');
  assert.equal(status.model, GATED.model);
  assert.ok(status.price_held_usd > 0);
  const seen: StatusEvent[] = [];
  const watching = (async () => {
    for await (const event of client.audio.watch(queued.queue_id)) seen.push(event);
  })();
  for (let i = 0; i < 3000 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const cancelled = await client.audio.cancel({ model: GATED.model, queue_id: queued.queue_id });
  assert.deepEqual(cancelled, { success: true, queue_id: queued.queue_id, state: 'cancelled', was: 'running' });
  await watching;
  assert.equal(seen[0]?.status.state, 'running');
  assert.equal(seen.at(-1)?.status.state, 'cancelled');
  assert.ok(seen.every((event) => typeof event.id === 'string'));
  const again = await client.audio.cancel({ model: GATED.model, queue_id: queued.queue_id });
  assert.equal(again.success, false);
  assert.equal(again.state, 'cancelled');
  const unknown = '00000000-0000-4000-8000-000000000000';
  await assert.rejects(client.audio.status(unknown), NotFoundError);
  await assert.rejects(client.audio.cancel({ model: GATED.model, queue_id: unknown }), NotFoundError);
});

test('watch reconnects with Last-Event-ID when the stream drops before a final state', async () => {
  const lastEventIds: (string | null)[] = [];
  let cut = false;
  const client = gated.server.client({
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!input.endsWith('/events')) return response;
      lastEventIds.push(new Headers(init.headers as Record<string, string>).get('last-event-id'));
      if (cut || !response.body) return response;
      cut = true;
      const reader = response.body.getReader();
      let text = '';
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          text += new TextDecoder().decode(value);
          controller.enqueue(value);
          if (text.includes('event: status')) {
            await reader.cancel();
            controller.error(new TypeError('terminated'));
          }
        },
      });
      return new Response(stream, { headers: response.headers });
    },
  });
  const queued = await gated.server.client().audio.queue(GATED);
  const states: string[] = [];
  const watching = (async () => {
    for await (const event of client.audio.watch(queued.queue_id)) states.push(event.status.state);
  })();
  for (let i = 0; i < 300 && lastEventIds.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  gated.fakes.release();
  await watching;
  assert.equal(lastEventIds[0], null);
  assert.match(lastEventIds[1] ?? '', /\S/, 'the reconnection names the last event seen');
  assert.equal(states.at(-1), 'done');
  assert.equal(new Set(states).size, states.length, 'no status is delivered twice');
});

test('webhook secret (admin key) and keys with a webhook URL', async () => {
  const { secret } = await gated.server.admin().webhooks.secret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  assert.equal((await gated.server.admin().webhooks.secret()).secret, secret, 'stable');
  const created = await gated.server
    .admin()
    .apiKeys.create({ apiKeyType: 'INFERENCE', description: 'hooks', webhookUrl: 'https://example.com/hooks' });
  assert.equal(created.success, true);
});

test("voices: a model's voices as the server lists them; unknown models are NotFoundError", async () => {
  const client = gated.server.client();
  const list = await client.audio.voices('overture-tts');
  assert.equal(list.object, 'list');
  assert.equal(list.model, 'overture-tts');
  assert.deepEqual(list.data[0], { id: 'ava', name: 'ava', language: null });
  await assert.rejects(client.audio.voices('no-such-model'), NotFoundError);
});
