import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parseServerSentEvents, verifyWebhook, WebhookVerificationError } from '../src/index.js';

const key = randomBytes(24);
const secret = `whsec_${key.toString('base64')}`;
const body = JSON.stringify({
  type: 'job.done',
  timestamp: '2026-01-01T00:00:00.000Z',
  data: { queue_id: 'q1', model: 'overture-sketch', state: 'done' },
});
const now = 1_767_225_600; // unix seconds
const sign = (content: string, signingKey = key) => `v1,${createHmac('sha256', signingKey).update(content).digest('base64')}`;
const headersFor = (signature: string, timestamp = now, id = 'msg_1') => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});
const reason = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof WebhookVerificationError ? error.reason : String(error)),
  );

test('verifyWebhook accepts a Standard Webhooks signature and returns the event', async () => {
  const signature = sign(`msg_1.${now}.${body}`);
  const event = await verifyWebhook({ secret, headers: headersFor(signature), body, now: now * 1000 });
  assert.equal(event.type, 'job.done');
  assert.equal(event.data.queue_id, 'q1');
  const headers = new Headers(headersFor(`v1,${randomBytes(32).toString('base64')} ${signature}`));
  assert.equal(
    (await verifyWebhook({ secret, headers, body: new TextEncoder().encode(body), now: new Date(now * 1000 + 299_000) })).data.state,
    'done',
    'one matching entry of several is enough; bytes body; Headers',
  );
  const upper = { 'Webhook-Id': 'msg_1', 'Webhook-Timestamp': String(now), 'Webhook-Signature': signature };
  assert.equal((await verifyWebhook({ secret, headers: upper, body, now: now * 1000 })).type, 'job.done', 'header names in any case');
});

test('verifyWebhook rejects tampering, wrong keys, stale or future timestamps and missing headers', async () => {
  const signature = sign(`msg_1.${now}.${body}`);
  assert.equal(
    await reason(verifyWebhook({ secret, headers: headersFor(signature), body: body.replace('done', 'fail'), now: now * 1000 })),
    'signature',
  );
  assert.equal(await reason(verifyWebhook({ secret, headers: headersFor(signature, now, 'msg_2'), body, now: now * 1000 })), 'signature');
  assert.equal(
    await reason(
      verifyWebhook({ secret: `whsec_${randomBytes(24).toString('base64')}`, headers: headersFor(signature), body, now: now * 1000 }),
    ),
    'signature',
  );
  assert.equal(
    await reason(verifyWebhook({ secret, headers: headersFor(`v2,${signature.slice(3)}`), body, now: now * 1000 })),
    'signature',
    'only v1 entries count',
  );
  assert.equal(await reason(verifyWebhook({ secret, headers: headersFor(signature), body, now: (now + 301) * 1000 })), 'timestamp');
  assert.equal(await reason(verifyWebhook({ secret, headers: headersFor(signature), body, now: (now - 301) * 1000 })), 'timestamp');
  assert.equal(
    await reason(verifyWebhook({ secret, headers: headersFor(signature), body, now: (now + 1000) * 1000, toleranceSeconds: 1000 })),
    'accepted',
  );
  const stale = now - 3600;
  assert.equal(
    await reason(verifyWebhook({ secret, headers: headersFor(sign(`msg_1.${stale}.${body}`), stale), body, now: now * 1000 })),
    'timestamp',
    'a valid but old signature is a replay',
  );
  assert.equal(await reason(verifyWebhook({ secret, headers: { 'webhook-id': 'msg_1' }, body, now: now * 1000 })), 'missing_headers');
  assert.equal(await reason(verifyWebhook({ secret: 'whsec_', headers: headersFor(signature), body, now: now * 1000 })), 'invalid_secret');
});

test('parseServerSentEvents: CRLF, comments, multi-line data, ids that carry over, retry', async () => {
  const text =
    '\uFEFFretry: 1500\r\n\r\n: keep-alive\n\nid: 7\nevent: status\ndata: {"a":\ndata: 1}\n\nevent: status\ndata: second\r\rdata: plain\n\n';
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let index = 0; index < bytes.length; index += 5) controller.enqueue(bytes.slice(index, index + 5));
      controller.close();
    },
  });
  const events = [];
  for await (const event of parseServerSentEvents(stream)) events.push(event);
  assert.deepEqual(events, [
    { event: 'message', data: '', id: undefined, retry: 1500 },
    { event: 'status', data: '{"a":\n1}', id: '7', retry: undefined },
    { event: 'status', data: 'second', id: '7', retry: undefined },
    { event: 'message', data: 'plain', id: '7', retry: undefined },
  ]);
});
