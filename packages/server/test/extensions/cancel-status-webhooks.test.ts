import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { gatedAppOptions } from '../support/bound-catalog.js';
import { startTestApp, waitForMedia } from '../support/test-app.js';

const sketch = { model: 'overture-sketch', prompt: 'a small sketch in C major', duration_seconds: 1 };

/**
 * Wait until `done()` holds, checking every few milliseconds. The limit is generous on purpose: on
 * a loaded machine a job takes seconds to reach its engine, and a test may not depend on speed.
 */
async function until(done: () => boolean | Promise<boolean>, limitMs = 60_000) {
  const deadline = Date.now() + limitMs;
  while (!(await done()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

async function gatedApp(env: Record<string, string> = {}) {
  const { fakes, options } = gatedAppOptions('overture-ext-', (model) => model.id === 'overture-sketch', { wavDefault: false });
  const t = await startTestApp({ ...options, env: { ...options.env, ...env } });
  const untilRunning = async (count = 1) => {
    await until(() => fakes.waitingCount() >= count);
    assert.equal(fakes.waitingCount(), count);
  };
  return { t, fakes, untilRunning };
}

test('cancel: a waiting job never runs, a running one is stopped; both are refunded in full', async () => {
  const { t, fakes, untilRunning } = await gatedApp();
  try {
    const usd = async () => (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json().balances.usd;
    const running = (await t.request('POST', '/api/v1/audio/queue', sketch)).json().queue_id;
    await untilRunning();
    const status = (await t.request('GET', `/api/v1/audio/status/${running}`)).json();
    assert.equal(status.state, 'running');
    assert.equal(status.price_held_usd, 0.0001);
    const stopped = (await t.request('POST', '/api/v1/audio/cancel', { model: 'overture-sketch', queue_id: running })).json();
    assert.deepEqual(stopped, { success: true, queue_id: running, state: 'cancelled', was: 'running' });
    assert.equal(await usd(), 10);
    fakes.release();
    const again = (await t.request('POST', '/api/v1/audio/cancel', { model: 'overture-sketch', queue_id: running })).json();
    assert.equal(again.success, false);
    assert.equal(again.state, 'cancelled');
    assert.equal((await t.request('POST', '/api/v1/audio/retrieve', { model: 'overture-sketch', queue_id: running })).statusCode, 404);
    assert.equal((await t.request('POST', '/api/v1/audio/cancel', { model: 'overture-sketch', queue_id: 'nope' })).statusCode, 404);
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
  const api = await startTestApp({ env: { OVERTURE_ROLE: 'api' } });
  try {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await api.request('POST', '/api/v1/audio/queue', sketch)).json().queue_id);
    const third = (await api.request('GET', `/api/v1/audio/status/${ids[2]}`)).json();
    assert.equal(third.state, 'queued');
    assert.equal(third.queue_position, 2);
    assert.ok(third.eta_ms > 0);
    const cancelled = (await api.request('POST', '/api/v1/audio/cancel', { model: 'overture-sketch', queue_id: ids[0] })).json();
    assert.equal(cancelled.was, 'queued');
    assert.equal((await api.request('GET', `/api/v1/audio/status/${ids[2]}`)).json().queue_position, 1);
    await assertLedgerInvariants(api.app.store);
  } finally {
    await api.close();
  }
});

/** Read Server-Sent Events from a live server until `stopAfter` events or the stream ends. */
async function readEvents(url: string, key: string, lastEventId?: string, stopAfter = Number.POSITIVE_INFINITY) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${key}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const events: { id: string; data: { state: string } }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body!.getReader();
  const deadline = Date.now() + 15_000;
  while (events.length < stopAfter && Date.now() < deadline) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let split: number;
    while ((split = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, split);
      buffer = buffer.slice(split + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id && data) events.push({ id, data: JSON.parse(data) });
    }
  }
  controller.abort();
  return events;
}

test('status over Server-Sent Events: a client that reconnects mid-job resumes without repeats', async () => {
  const { t, fakes, untilRunning } = await gatedApp();
  try {
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.http.server.address() as AddressInfo).port}`;
    const id = (await t.request('POST', '/api/v1/audio/queue', sketch)).json().queue_id;
    await untilRunning();
    const url = `${base}/api/v1/audio/status/${id}/events`;
    const first = await readEvents(url, t.account.inference_key, undefined, 1);
    assert.equal(first[0]?.data.state, 'running');
    setTimeout(() => fakes.release(), 300);
    const resumed = await readEvents(url, t.account.inference_key, first[0]!.id);
    assert.ok(
      resumed.every((event) => event.id !== first[0]!.id),
      'the event seen before the drop is not sent again',
    );
    assert.equal(resumed.at(-1)?.data.state, 'done', 'the stream ends with the final state');
  } finally {
    await t.close();
  }
});

test('webhooks: signed, retried until the receiver accepts, logged per job', async () => {
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  let failuresLeft = 2;
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.statusCode = failuresLeft-- > 0 ? 503 : 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const refusing = await startTestApp({ env: { OVERTURE_ROLE: 'api' } });
  try {
    const refused = await refusing.request('POST', '/api/v1/audio/queue', { ...sketch, webhook_url: hook });
    assert.deepEqual(refused.json().details.webhook_url._errors, ['Private and loopback targets are not allowed']);
  } finally {
    await refusing.close();
  }
  const t = await startTestApp({ env: { OVERTURE_WEBHOOK_ALLOW_PRIVATE: 'true', OVERTURE_WEBHOOK_RETRY_BASE_SECONDS: '0.05' } });
  try {
    const id = (await t.request('POST', '/api/v1/audio/queue', { ...sketch, webhook_url: hook })).json().queue_id;
    assert.equal((await waitForMedia(t, 'overture-sketch', id)).statusCode, 200);
    await until(async () => {
      await t.app.webhooks.runOnce();
      return received.length >= 3;
    });
    assert.equal(received.length, 3, 'two failures, then accepted');
    const last = received[2]!;
    assert.equal(last.headers['webhook-id'], received[0]!.headers['webhook-id'], 'the same event id on every retry');
    const { secret } = (await t.request('GET', '/api/v1/webhooks/secret', undefined, t.account.admin_key)).json();
    const signed = `${last.headers['webhook-id']}.${last.headers['webhook-timestamp']}.${last.body}`;
    const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(signed)
      .digest('base64');
    assert.equal(last.headers['webhook-signature'], `v1,${expected}`);
    const payload = JSON.parse(last.body);
    assert.equal(payload.type, 'job.done');
    assert.equal(payload.data.queue_id, id);
    const log = (await t.request('GET', `/api/v1/audio/status/${id}/webhooks`)).json();
    assert.equal(log.data.length, 1);
    assert.deepEqual([log.data[0].state, log.data[0].attempts, log.data[0].last_status], ['delivered', 3, 204]);
  } finally {
    await t.close();
    receiver.close();
  }
});

test('speech with an Idempotency-Key replays the same audio and charges once; in flight is a 409', async () => {
  const { fakes, options } = gatedAppOptions('overture-speech-gate-', (model) => model.type === 'tts');
  const untilRunning = async () => {
    await until(() => fakes.waitingCount() >= 1);
  };
  const s = await startTestApp(options);
  try {
    const speak = () =>
      s.app.http.inject({
        method: 'POST',
        url: '/api/v1/audio/speech',
        payload: JSON.stringify({ model: 'overture-tts', input: 'Hello there.' }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.account.inference_key}`, 'idempotency-key': 'speech-1' },
      });
    const first = speak();
    await untilRunning();
    const during = await speak();
    assert.equal(during.statusCode, 409);
    fakes.release();
    const done = await first;
    assert.equal(done.statusCode, 200);
    const replay = await speak();
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.rawPayload, done.rawPayload);
    const balance = (await s.request('GET', '/api/v1/billing/balance', undefined, s.account.admin_key)).json().balances.usd;
    assert.equal(balance, 10 - 0.000024, '12 characters at 2 USD per million, once');
    await assertLedgerInvariants(s.app.store);
  } finally {
    await s.close();
  }
});
