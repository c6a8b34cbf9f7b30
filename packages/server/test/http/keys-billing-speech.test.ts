import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSpeechEngine } from '../../src/engines/speech/speech-engine.js';
import { createToneEngine } from '../../src/engines/tone/tone-engine.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { boundDirectory } from '../support/bound-catalog.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
before(async () => {
  const { directory, catalog } = boundDirectory('overture-speech-', {
    picks: (model) => model.type === 'tts',
    engine: 'speech',
    keepFormats: true,
  });
  t = await startTestApp({ directory, env: { OVERTURE_CATALOG: catalog }, parts: { engines: [createToneEngine(), createSpeechEngine()] } });
});
after(() => t.close());

const admin = () => t.account.admin_key;

test('keys: create with a limit, list without secrets, delete; inference keys cannot manage keys', async () => {
  const created = await t.request(
    'POST',
    '/api/v1/api_keys',
    { apiKeyType: 'INFERENCE', description: 'ci', consumptionLimit: { usd: 0.0002 } },
    admin(),
  );
  assert.equal(created.statusCode, 200, created.body);
  const { data } = created.json();
  assert.match(data.apiKey, /^ovt_/);
  assert.deepEqual(data.consumptionLimit, { usd: 0.0002, diem: null, vcu: null });
  const list = (await t.request('GET', '/api/v1/api_keys', undefined, admin())).json();
  assert.equal(list.object, 'list');
  const listed = list.data.find((key: { id: string }) => key.id === data.id);
  assert.equal(listed.last6Chars, data.apiKey.slice(-6));
  assert.ok(!JSON.stringify(list).includes(data.apiKey), 'secrets are never listed');
  const sketch = { model: 'overture-sketch', prompt: 'tiny', duration_seconds: 1 };
  assert.equal((await t.request('POST', '/api/v1/audio/queue', sketch, data.apiKey)).statusCode, 200);
  assert.equal((await t.request('POST', '/api/v1/audio/queue', sketch, data.apiKey)).statusCode, 200);
  const limited = await t.request('POST', '/api/v1/audio/queue', sketch, data.apiKey);
  assert.equal(limited.statusCode, 402, 'the key reached its per-epoch limit');
  assert.equal((await t.request('GET', '/api/v1/api_keys', undefined, t.account.inference_key)).statusCode, 401);
  const bad = await t.request('POST', '/api/v1/api_keys', { apiKeyType: 'ROOT', description: 'x' }, admin());
  assert.equal(bad.statusCode, 400);
  assert.deepEqual((await t.request('DELETE', `/api/v1/api_keys?id=${data.id}`, undefined, admin())).json(), { success: true });
  assert.equal((await t.request('DELETE', `/api/v1/api_keys?id=${data.id}`, undefined, admin())).statusCode, 404);
  assert.equal((await t.request('POST', '/api/v1/audio/queue', sketch, data.apiKey)).statusCode, 401, 'a deleted key stops working');
});

test('rate_limits shape for any key', async () => {
  const body = (await t.request('GET', '/api/v1/api_keys/rate_limits')).json();
  assert.equal(body.data.accessPermitted, true);
  assert.equal(typeof body.data.balances.USD, 'number');
  assert.equal(body.data.keyExpiration, null);
  assert.match(body.data.nextEpochBegins, /T00:00:00.000Z$/);
  assert.ok(body.data.rateLimits.some((row: { apiModelId: string }) => row.apiModelId === 'overture-music'));
});

test('speech: audio bytes in the asked format, charged per character', async () => {
  const before = (await t.request('GET', '/api/v1/billing/balance', undefined, admin())).json().balances.usd;
  const input = 'Hello from Overture. This is a test of the speech endpoint.';
  const response = await t.request('POST', '/api/v1/audio/speech', {
    model: 'overture-tts',
    input,
    voice: 'oscar',
    response_format: 'wav',
  });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.headers['content-type'], 'audio/wav');
  assert.equal(response.rawPayload.subarray(0, 4).toString(), 'RIFF');
  assert.ok(response.rawPayload.length > 20_000);
  const afterBalance = (await t.request('GET', '/api/v1/billing/balance', undefined, admin())).json().balances.usd;
  assert.equal(Math.round((before - afterBalance) * 1e6), Math.round(input.length * 2), '2 USD per million characters');
  const mp3 = await t.request('POST', '/api/v1/audio/speech', { model: 'overture-tts', input: 'Short one.', extra_field: 'ignored' });
  assert.equal(mp3.headers['content-type'], 'audio/mpeg');
  await assertLedgerInvariants(t.app.store);
});

test('speech: streaming sends chunked audio; errors before audio are in the contract shape', async () => {
  const streamed = await t.request('POST', '/api/v1/audio/speech', {
    model: 'overture-tts',
    input: 'First sentence here. Second sentence follows. A third one ends it.',
    streaming: true,
    response_format: 'pcm',
  });
  assert.equal(streamed.statusCode, 200);
  assert.equal(streamed.headers['content-type'], 'audio/pcm');
  assert.equal(streamed.headers['content-length'], undefined);
  assert.deepEqual(
    [streamed.headers['x-audio-sample-rate'], streamed.headers['x-audio-channels'], streamed.headers['x-audio-encoding']],
    ['24000', '1', 's16le'],
  );
  assert.ok(streamed.rawPayload.length > 10_000);
  const nothing = await t.request('POST', '/api/v1/audio/speech', { model: 'overture-tts', input: '!!! ...' });
  assert.deepEqual([nothing.statusCode, nothing.json()], [400, { error: 'Input must contain speakable text' }]);
  const voice = await t.request('POST', '/api/v1/audio/speech', { model: 'overture-tts', input: 'Hello.', voice: 'nobody' });
  assert.equal(voice.statusCode, 400);
  const music = await t.request('POST', '/api/v1/audio/speech', { model: 'overture-music', input: 'Hello.' });
  assert.equal(music.statusCode, 404);
  const poor = await t.app.services.accounts.create({ name: 'poor', pro: false, usd: 0, diemDaily: 0 });
  const broke = await t.request('POST', '/api/v1/audio/speech', { model: 'overture-tts', input: 'Hello there.' }, poor.inference_key);
  assert.equal(broke.statusCode, 402);
  await assertLedgerInvariants(t.app.store);
});

test('quote answers without a key for every pricing shape', async () => {
  const quote = async (body: object) => (await t.request('POST', '/api/v1/audio/quote', body, null)).json();
  assert.deepEqual(await quote({ model: 'overture-music', duration_seconds: '90' }), { quote: 0.12 });
  assert.deepEqual(await quote({ model: 'overture-music-pro' }), { quote: 0.25 });
  assert.deepEqual(await quote({ model: 'overture-sound-effects' }), { quote: 0.01 });
  assert.deepEqual(await quote({ model: 'overture-narrator', character_count: 20_000 }), { quote: 1 });
  assert.equal(
    (await t.request('POST', '/api/v1/audio/quote', { model: 'overture-tts' }, null)).statusCode,
    404,
    'tts models are not queued',
  );
});
