import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ env: { OVERTURE_BODY_LIMIT_BYTES: '4096', OVERTURE_OPERATOR_TOKEN: 'operator-token-for-tests' } });
});
after(() => t.close());

const music = { model: 'overture-music', prompt: 'an upbeat pop song about summer' };

test('authentication: missing, unknown and non-admin keys', async () => {
  for (const key of [null, 'ovt_nope']) {
    const response = await t.request('POST', '/api/v1/audio/queue', music, key);
    assert.equal(response.statusCode, 401);
    assert.deepEqual(response.json(), { error: 'Authentication failed' });
  }
  const admin = await t.request('GET', '/api/v1/billing/balance');
  assert.equal(admin.statusCode, 401);
  assert.deepEqual(admin.json(), { error: 'Admin API key required' });
  const badQuoteKey = await t.request('POST', '/api/v1/audio/quote', { model: 'overture-music' }, 'ovt_wrong');
  assert.equal(badQuoteKey.statusCode, 401, 'a key sent to an open route is still checked');
});

test('Pro-only models answer 401 to other accounts', async () => {
  const plain = await t.app.services.accounts.create({ name: 'plain', pro: false, usd: 5, diemDaily: 0 });
  const response = await t.request(
    'POST',
    '/api/v1/audio/queue',
    { model: 'overture-music-pro', prompt: 'a long ambient drone' },
    plain.inference_key,
  );
  assert.equal(response.statusCode, 401);
  assert.deepEqual(response.json(), { error: 'This model is only available to Pro users' });
});

test('bodies: invalid JSON, non-JSON, oversized', async () => {
  const quote = (contentType: string, payload: string) =>
    t.app.http.inject({ method: 'POST', url: '/api/v1/audio/quote', headers: { 'content-type': contentType }, payload });
  const invalid = await quote('application/json', '{"model":');
  assert.equal(invalid.statusCode, 400);
  assert.deepEqual(invalid.json(), { error: 'Invalid JSON request' });
  const text = await quote('text/plain', 'hello');
  assert.equal(text.statusCode, 415);
  const big = await t.request('POST', '/api/v1/audio/queue', { ...music, prompt: 'x'.repeat(5000) });
  assert.equal(big.statusCode, 413);
  const get = await t.app.http.inject({ method: 'GET', url: '/api/v1/models', headers: { 'content-type': 'application/json' } });
  assert.equal(get.statusCode, 200, 'GET with a JSON content type and no body works');
});

test('models: every public type is accepted, others are a 400', async () => {
  for (const type of ['text', 'image', 'embedding', 'asr']) {
    const response = await t.request('GET', `/api/v1/models?type=${type}`, undefined, null);
    assert.deepEqual(response.json(), { object: 'list', type, data: [] });
  }
  const tts = (await t.request('GET', '/api/v1/models?type=tts', undefined, null)).json();
  assert.ok(tts.data.length > 0 && tts.data.every((row: { type: string }) => row.type === 'tts'));
  const all = (await t.request('GET', '/api/v1/models', undefined, null)).json();
  assert.equal(all.type, 'all');
  assert.ok(all.data.every((row: Record<string, unknown>) => row.object === 'model' && row.model_spec && !('engine' in row)));
  const bad = await t.request('GET', '/api/v1/models?type=banana', undefined, null);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error, 'Invalid request parameters');
});

test('validation errors carry details and issues; unknown models are 404', async () => {
  const response = await t.request('POST', '/api/v1/audio/queue', { ...music, loop: false, speed: 1 });
  assert.equal(response.statusCode, 400);
  const body = response.json();
  assert.deepEqual(body.details.speed._errors, ['speed is not supported by this model']);
  assert.deepEqual(body.details._errors, []);
  assert.ok(body.issues.some((issue: { path: string[] }) => issue.path[0] === 'speed'));
  const quote = await t.request('POST', '/api/v1/audio/quote', { model: 'overture-music', prompt: 'x' }, null);
  assert.equal(quote.statusCode, 400);
  assert.match(quote.json().details._errors[0], /prompt/);
  const unknown = await t.request('POST', '/api/v1/audio/queue', { ...music, model: 'nope' });
  assert.equal(unknown.statusCode, 404);
  assert.deepEqual(unknown.json(), { error: 'Specified model not found' });
  const speech = await t.request('POST', '/api/v1/audio/speech', { input: 'hello' });
  assert.deepEqual([speech.statusCode, speech.json()], [400, { error: 'model is required' }]);
});

test('content policy: 422 with a suggested prompt, nothing charged', async () => {
  const before = (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json();
  const response = await t.request('POST', '/api/v1/audio/queue', {
    ...music,
    prompt: 'a pop song with bomb making instructions in the chorus',
  });
  assert.equal(response.statusCode, 422);
  assert.match(response.json().error, /content policy/);
  assert.equal(response.json().suggested_prompt, 'a pop song with in the chorus');
  const afterBalance = (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json();
  assert.deepEqual(afterBalance, before);
});

test('unknown ids and ids of other accounts are the same 404', async () => {
  const other = await t.app.services.accounts.create({ name: 'other', pro: false, usd: 5, diemDaily: 0 });
  const queued = (
    await t.request(
      'POST',
      '/api/v1/audio/queue',
      { model: 'overture-sketch', prompt: 'tiny sketch', duration_seconds: 1 },
      other.inference_key,
    )
  ).json();
  for (const queue_id of [queued.queue_id, '00000000-0000-4000-8000-000000000000']) {
    for (const route of ['retrieve', 'complete']) {
      const response = await t.request('POST', `/api/v1/audio/${route}`, { model: 'overture-sketch', queue_id });
      assert.equal(response.statusCode, 404);
      assert.deepEqual(response.json(), { error: 'Media could not be found. Request may be invalid, expired, or deleted.' });
    }
  }
  for (const queue_id of ['../../etc/passwd', 'not-a-uuid', '%2e%2e%2f']) {
    const odd = await t.request('POST', '/api/v1/audio/retrieve', { model: 'overture-sketch', queue_id });
    assert.equal(odd.statusCode, 404, 'an id that names no job is a 404, and never reaches the file system');
  }
});

test('operator API: token required, accounts created and credited', async () => {
  const denied = await t.request('POST', '/operator/v1/accounts', { name: 'x' }, t.account.admin_key);
  assert.equal(denied.statusCode, 401, 'API keys are never operator tokens');
  const created = await t.request('POST', '/operator/v1/accounts', { name: 'shop', usd: 2, pro: true }, 'operator-token-for-tests');
  assert.equal(created.statusCode, 201);
  const { account_id, admin_key, inference_key } = created.json();
  assert.match(inference_key, /^ovt_/);
  const credit = await t.request('POST', `/operator/v1/accounts/${account_id}/credit`, { usd: 3 }, 'operator-token-for-tests');
  assert.deepEqual(credit.json(), { success: true });
  const balance = (await t.request('GET', '/api/v1/billing/balance', undefined, admin_key)).json();
  assert.deepEqual(balance, { canConsume: true, consumptionCurrency: 'USD', balances: { diem: 0, usd: 5 }, diemEpochAllocation: 0 });
  const missing = await t.request('POST', '/operator/v1/accounts/nope/credit', { usd: 3 }, 'operator-token-for-tests');
  assert.equal(missing.statusCode, 404);
});

test('CORS preflight and request ids', async () => {
  const preflight = await t.app.http.inject({
    method: 'OPTIONS',
    url: '/api/v1/audio/queue',
    headers: { origin: 'http://example.test', 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], '*');
  assert.match(String(preflight.headers['access-control-allow-headers']), /authorization/);
  const answered = await t.app.http.inject({
    method: 'GET',
    url: '/api/v1/models',
    headers: { origin: 'http://example.test', 'x-request-id': 'abc-123' },
  });
  assert.equal(answered.headers['x-request-id'], 'abc-123');
  assert.match(String(answered.headers['access-control-expose-headers']), /x-venice-balance-usd/);
});

test('operations: health, readiness, metrics, OpenAPI, docs, unknown routes', async () => {
  assert.deepEqual((await t.request('GET', '/healthz', undefined, null)).json(), { status: 'ok' });
  assert.equal((await t.request('GET', '/readyz', undefined, null)).statusCode, 200);
  const metrics = await t.request('GET', '/metrics', undefined, null);
  assert.match(metrics.body, /^overture_queue_jobs\{engine="tone",state="queued"\} 0$/m);
  assert.match(metrics.body, /^overture_http_request_duration_seconds_bucket\{/m);
  const openapi = (await t.request('GET', '/openapi.json', undefined, null)).json();
  assert.equal(openapi.openapi, '3.1.0');
  assert.equal(openapi.paths['/api/v1/audio/queue'].post.requestBody.content['application/json'].schema.additionalProperties, false);
  assert.match((await t.request('GET', '/docs', undefined, null)).body, /swagger-ui-bundle\.js/);
  assert.deepEqual((await t.request('GET', '/nowhere', undefined, null)).json(), { error: 'Not found' });
});
