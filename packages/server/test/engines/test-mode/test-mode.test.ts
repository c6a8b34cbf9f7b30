/**
 * Test mode (docs/test-mode.md): every model of the `test` catalog preset driven through the real
 * HTTP API, asserting the contract answer the page documents. Waits are bounded polls on
 * conditions; the only fixed times are the models' own (2 s to fail, 5 s of retention).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp, waitForMedia } from '../../support/test-app.js';

const CAPACITY = { error: 'The model is at capacity. Please try again later.' };
const FAILED = 'Inference processing failed';

describe('test mode (OVERTURE_CATALOG=test)', () => {
  let t: TestApp;
  const received: string[] = [];
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received.push(request.url ?? '');
      response.writeHead(204).end();
    });
  });
  let hook = '';

  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    t = await startTestApp({
      // The expiry test polls retrieve every 100 ms: above the default 120 a minute on a slow machine.
      env: {
        OVERTURE_CATALOG: 'test',
        OVERTURE_WEBHOOK_ALLOW_PRIVATE: 'true',
        OVERTURE_LEASE_SECONDS: '1.5',
        OVERTURE_RATE_LIMIT_RETRIEVE: '100000',
      },
    });
  });
  after(async () => {
    await t.close();
    receiver.close();
  });

  const usd = async () => (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json().balances.usd;
  const queue = async (model: string, extra: Record<string, unknown> = {}) => {
    const response = await t.request('POST', '/api/v1/audio/queue', { model, prompt: 'a short test tone', ...extra });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().queue_id as string;
  };

  test('/models lists every test model', async () => {
    const ids = (await t.request('GET', '/api/v1/models?type=all', undefined, null)).json().data.map((row: { id: string }) => row.id);
    for (const id of ['test-ok', 'test-fails-after-2s', 'test-content-policy', 'test-at-capacity', 'test-slow-30s'])
      assert.ok(ids.includes(id), id);
    for (const id of ['test-media-expires', 'test-webhook-timeout', 'test-tts', 'test-tts-fails', 'test-tts-at-capacity'])
      assert.ok(ids.includes(id), id);
  });

  test('test-ok: the audio of the requested length, charged', async () => {
    const before = await usd();
    const id = await queue('test-ok', { duration_seconds: 3 });
    const done = await waitForMedia(t, 'test-ok', id);
    assert.equal(done.statusCode, 200);
    assert.equal(done.headers['content-type'], 'audio/wav');
    assert.equal(done.headers['x-venice-audio-duration'], '3');
    assert.equal(done.rawPayload.subarray(0, 4).toString('latin1'), 'RIFF');
    assert.ok(Math.abs(before - (await usd()) - 0.0003) < 1e-9, 'charged 3 s at $0.0001');
    assert.deepEqual((await t.request('POST', '/api/v1/audio/complete', { model: 'test-ok', queue_id: id })).json(), { success: true });
  });

  test('test-fails-after-2s: PROCESSING first, then the 500 of a failed job; nothing charged', async () => {
    const before = await usd();
    const id = await queue('test-fails-after-2s');
    const first = await t.request('POST', '/api/v1/audio/retrieve', { model: 'test-fails-after-2s', queue_id: id });
    assert.equal(first.json().status, 'PROCESSING');
    const failed = await waitForMedia(t, 'test-fails-after-2s', id);
    assert.equal(failed.statusCode, 500);
    assert.equal(failed.json().error, FAILED);
    assert.equal(await usd(), before, 'the hold is released');
  });

  test('test-content-policy: the 422 with a suggested_prompt; nothing charged', async () => {
    const before = await usd();
    const id = await queue('test-content-policy');
    const refused = await waitForMedia(t, 'test-content-policy', id);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.json().error, /content policy/);
    assert.equal(refused.json().suggested_prompt, 'a calm solo piano melody');
    assert.equal(await usd(), before);
  });

  test('test-at-capacity: queue answers 503 with Retry-After and holds nothing; quote still answers', async () => {
    const before = await usd();
    const response = await t.request('POST', '/api/v1/audio/queue', { model: 'test-at-capacity', prompt: 'a short test tone' });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), CAPACITY);
    assert.equal(response.headers['retry-after'], '5');
    assert.equal(await usd(), before);
    const quote = await t.request('POST', '/api/v1/audio/quote', { model: 'test-at-capacity' }, null);
    assert.deepEqual(quote.json(), { quote: 0.0002 });
  });

  test('test-slow-30s: steady progress while it runs; cancel releases the hold', async () => {
    const before = await usd();
    const id = await queue('test-slow-30s');
    const seen: number[] = [];
    for (let i = 0; i < 400 && seen.filter((p) => p > 0).length < 2; i++) {
      const status = (await t.request('GET', `/api/v1/audio/status/${id}`)).json();
      if (status.progress !== seen.at(-1)) seen.push(status.progress);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const moving = seen.filter((p) => p > 0);
    assert.ok(moving.length >= 2, `progress moved: ${seen.join(', ')}`);
    assert.ok(
      moving.every((p, i) => p < 0.9 && (i === 0 || p > (moving[i - 1] as number))),
      `steady: ${seen.join(', ')}`,
    );
    const retrieve = await t.request('POST', '/api/v1/audio/retrieve', { model: 'test-slow-30s', queue_id: id });
    assert.equal(retrieve.json().status, 'PROCESSING');
    const cancel = await t.request('POST', '/api/v1/audio/cancel', { model: 'test-slow-30s', queue_id: id });
    assert.equal(cancel.json().success, true, cancel.body);
    assert.equal(await usd(), before);
  });

  test('test-media-expires: the audio, then after 5 s the 404 of expired media', async () => {
    const id = await queue('test-media-expires');
    assert.equal((await waitForMedia(t, 'test-media-expires', id)).statusCode, 200);
    let response = await t.request('POST', '/api/v1/audio/retrieve', { model: 'test-media-expires', queue_id: id });
    for (let i = 0; i < 300 && response.statusCode === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await t.app.reaper.runOnce();
      response = await t.request('POST', '/api/v1/audio/retrieve', { model: 'test-media-expires', queue_id: id });
    }
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), { error: 'Media could not be found. Request may be invalid, expired, or deleted.' });
  });

  test('test-webhook-timeout: its deliveries time out and stay pending; test-ok delivers to the same receiver', async () => {
    const timedOut = await queue('test-webhook-timeout', { webhook_url: `${hook}/timeout` });
    const delivered = await queue('test-ok', { webhook_url: `${hook}/ok` });
    assert.equal((await waitForMedia(t, 'test-webhook-timeout', timedOut)).statusCode, 200);
    assert.equal((await waitForMedia(t, 'test-ok', delivered)).statusCode, 200);
    const log = async (id: string) => (await t.request('GET', `/api/v1/audio/status/${id}/webhooks`)).json().data[0];
    for (let i = 0; i < 200 && ((await log(timedOut))?.attempts ?? 0) < 1; i++) {
      await t.app.webhooks.runOnce();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    for (let i = 0; i < 200 && !received.includes('/ok'); i++) {
      await t.app.webhooks.runOnce();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const entry = await log(timedOut);
    assert.equal(entry.state, 'pending', 'retried later, as any timed-out delivery');
    assert.match(entry.last_error, /timeout/i);
    assert.equal(entry.last_status, null);
    assert.ok(received.includes('/ok'), 'the receiver works');
    assert.ok(!received.includes('/timeout'), 'the timed-out delivery never reached it');
  });

  test('test-tts: audio for any voice a client sends', async () => {
    for (const voice of ['alloy', 'af_sky']) {
      const spoken = await t.request('POST', '/api/v1/audio/speech', { model: 'test-tts', input: 'Hello.', voice, response_format: 'wav' });
      assert.equal(spoken.statusCode, 200);
      assert.equal(spoken.headers['content-type'], 'audio/wav');
      assert.equal(spoken.rawPayload.subarray(0, 4).toString('latin1'), 'RIFF');
    }
  });

  test('test-tts-fails: 500 and nothing charged; test-tts-at-capacity: 503 with Retry-After', async () => {
    const before = await usd();
    const failed = await t.request('POST', '/api/v1/audio/speech', { model: 'test-tts-fails', input: 'Hello.' });
    assert.equal(failed.statusCode, 500);
    assert.equal(failed.json().error, FAILED);
    const busy = await t.request('POST', '/api/v1/audio/speech', { model: 'test-tts-at-capacity', input: 'Hello.' });
    assert.equal(busy.statusCode, 503);
    assert.deepEqual(busy.json(), CAPACITY);
    assert.equal(busy.headers['retry-after'], '5');
    assert.equal(await usd(), before);
  });
});
