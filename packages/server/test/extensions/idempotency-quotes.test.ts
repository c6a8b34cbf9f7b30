import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sketch = { model: 'overture-sketch', prompt: 'a small sketch in C major', duration_seconds: 2 };

function queueWithKey(t: TestApp, body: object, key: string) {
  return t.app.http.inject({
    method: 'POST',
    url: '/api/v1/audio/queue',
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.account.inference_key}`, 'idempotency-key': key },
  });
}

const usd = async (t: TestApp) => (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json().balances.usd;

test('a retried queue request with the same Idempotency-Key is charged once', async () => {
  const t = await startTestApp({ env: { OVERTURE_ROLE: 'api' } });
  try {
    const first = await queueWithKey(t, sketch, 'retry-1');
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const concurrent = await Promise.all([1, 2, 3].map(() => queueWithKey(t, { ...sketch }, 'retry-1')));
    for (const replay of concurrent) {
      assert.deepEqual(replay.json(), first.json());
      assert.equal(replay.headers['idempotent-replayed'], 'true');
    }
    const reordered = await queueWithKey(t, { duration_seconds: 2, prompt: sketch.prompt, model: sketch.model }, 'retry-1');
    assert.deepEqual(reordered.json(), first.json(), 'key order does not matter');
    assert.equal(await usd(t), 10 - 0.0002, 'one hold only');
    assert.equal((await t.app.store.statistics.countJobs()).queued, 1);
    const different = await queueWithKey(t, { ...sketch, duration_seconds: 3 }, 'retry-1');
    assert.deepEqual(
      [different.statusCode, different.json().error],
      [422, 'This Idempotency-Key was already used with a different request'],
    );
    const racing = await Promise.all([1, 2, 3, 4].map(() => queueWithKey(t, sketch, 'race-2')));
    assert.equal(new Set(racing.map((response) => response.json().queue_id)).size, 1, 'racing first uses give one job');
    assert.equal((await queueWithKey(t, sketch, '')).statusCode, 400);
    assert.equal((await queueWithKey(t, sketch, 'x'.repeat(256))).statusCode, 400);
    const broke = await t.app.services.accounts.create({ name: 'broke', pro: false, usd: 0, diemDaily: 0 });
    const refused = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/audio/queue',
      payload: JSON.stringify(sketch),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${broke.inference_key}`, 'idempotency-key': 'k' },
    });
    assert.equal(refused.statusCode, 402, 'a refused request stores no key, so it may be retried after a top-up');
    await t.app.services.accounts.credit(broke.account_id, 1);
    const retried = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/audio/queue',
      payload: JSON.stringify(sketch),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${broke.inference_key}`, 'idempotency-key': 'k' },
    });
    assert.equal(retried.statusCode, 200);
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});

test('binding quotes lock the price for the same request until they expire', async () => {
  let offset = 0;
  const t = await startTestApp({
    env: { OVERTURE_ROLE: 'api', OVERTURE_QUOTE_TTL_SECONDS: '60' },
    parts: { now: () => Date.now() + offset },
  });
  try {
    const open = (await t.request('POST', '/api/v1/audio/quote', { model: 'overture-music', duration_seconds: 90 }, null)).json();
    assert.deepEqual(open, { quote: 0.12 }, 'without a key: the plain contract');
    const bound = (await t.request('POST', '/api/v1/audio/quote', { model: 'overture-music', duration_seconds: 90 })).json();
    assert.equal(bound.quote, 0.12);
    assert.match(bound.quote_id, /^[\w-]+\.[\w-]+$/, 'a signed token: issuing it wrote nothing');
    assert.ok(Date.parse(bound.expires_at) > Date.now());
    const body = { model: 'overture-music', prompt: 'warm indie folk with guitar', duration_seconds: 90 };
    assert.equal((await t.request('POST', '/api/v1/audio/queue', { ...body, quote_id: bound.quote_id })).statusCode, 200);
    assert.equal(await usd(t), 10 - 0.12);
    const wrong = await t.request('POST', '/api/v1/audio/queue', { ...body, duration_seconds: 60, quote_id: bound.quote_id });
    assert.deepEqual(wrong.json().details.quote_id._errors, ['Quote is for another duration']);
    const [terms, signature] = bound.quote_id.split('.');
    const cheaper = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(terms, 'base64url').toString()), price: { usd: 1, diem: 1 } }),
    ).toString('base64url');
    const forged = await t.request('POST', '/api/v1/audio/queue', { ...body, quote_id: `${cheaper}.${signature}` });
    assert.deepEqual(forged.json().details.quote_id._errors, ['Quote not found or expired'], 'a tampered quote is refused');
    const other = await t.app.services.accounts.create({ name: 'other', pro: false, usd: 1, diemDaily: 0 });
    assert.equal(
      (await t.request('POST', '/api/v1/audio/queue', { ...body, quote_id: bound.quote_id }, other.inference_key)).statusCode,
      400,
      'quotes are per account',
    );
    offset = 61_000;
    const late = await t.request('POST', '/api/v1/audio/queue', { ...body, quote_id: bound.quote_id });
    assert.deepEqual(late.json().details.quote_id._errors, ['Quote not found or expired']);
  } finally {
    await t.close();
  }
});

test('extension fields stay unknown on Venice models unless the operator enables them', async () => {
  const t = await startTestApp({ env: { OVERTURE_CATALOG: 'venice', OVERTURE_ROLE: 'api' } });
  try {
    const body = { model: 'elevenlabs-music', prompt: 'a calm piano piece', webhook_url: 'https://example.com/hook' };
    const response = await t.request('POST', '/api/v1/audio/queue', body);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json().details._errors, ['Unrecognized key: "webhook_url"']);
    const quote = (await t.request('POST', '/api/v1/audio/quote', { model: 'elevenlabs-music' })).json();
    assert.deepEqual(quote, { quote: 0.69 });
  } finally {
    await t.close();
  }
});
