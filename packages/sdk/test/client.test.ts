import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OvertureClient } from '../src/index.js';
import { type LiveServer, SKETCH, startLiveServer } from './live-server.js';

let server: LiveServer;
before(async () => {
  server = await startLiveServer();
});
after(() => server.close());

test('models.list filters by type and exposes model_spec', async () => {
  const client = server.client({ apiKey: undefined });
  const music = await client.models.list({ type: 'music' });
  assert.equal(music.object, 'list');
  assert.ok(music.data.every((row) => row.type === 'music'));
  const sketch = music.data.find((row) => row.id === 'overture-sketch');
  assert.ok(sketch && 'per_second' in sketch.model_spec.pricing);
  const all = await client.models.list();
  assert.equal(all.type, 'all');
  assert.ok(all.data.some((row) => row.type === 'tts'));
  assert.deepEqual((await client.models.list({ type: 'image' })).data, []);
});

test('quote answers without a key', async () => {
  const client = new OvertureClient({ baseUrl: server.baseUrl, apiKey: '' });
  assert.deepEqual(await client.audio.quote({ model: 'overture-sketch', duration_seconds: 3 }), { quote: 0.0003 });
});

test('queue, retrieve (processing then completed), complete', async () => {
  const client = server.client();
  const queued = await client.audio.queue(SKETCH);
  assert.equal(queued.status, 'QUEUED');
  assert.match(queued.queue_id, /^[0-9a-f-]{36}$/);
  const deadline = Date.now() + 20_000;
  let result = await client.audio.retrieve({ model: SKETCH.model, queue_id: queued.queue_id });
  while (result.status === 'PROCESSING') {
    assert.equal(typeof result.averageExecutionTime, 'number');
    assert.ok(Date.now() < deadline, 'job did not finish');
    await new Promise((resolve) => setTimeout(resolve, 20));
    result = await client.audio.retrieve({ model: SKETCH.model, queue_id: queued.queue_id });
  }
  assert.equal(result.contentType, 'audio/wav');
  assert.equal(result.format, 'wav');
  assert.equal(result.modelId, 'overture-sketch');
  assert.ok(result.durationSeconds > 0);
  assert.ok(result.inferenceSeconds >= 0);
  const bytes = await result.bytes();
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'RIFF');
  await assert.rejects(() => result.bytes() as Promise<unknown>, /already been read/);
  const again = await client.audio.retrieve({ model: SKETCH.model, queue_id: queued.queue_id });
  assert.equal(again.status, 'COMPLETED');
  if (again.status === 'COMPLETED') {
    const reader = again.stream().getReader();
    let total = 0;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) total += chunk.value.byteLength;
    assert.equal(total, bytes.byteLength);
  }
  assert.deepEqual(await client.audio.complete({ model: SKETCH.model, queue_id: queued.queue_id }), { success: true });
  assert.deepEqual(await client.audio.complete({ model: SKETCH.model, queue_id: queued.queue_id }), { success: true });
});

test('speech: whole bytes and a stream', async () => {
  const client = server.client();
  const whole = await client.audio.speech({ model: 'overture-tts', input: 'Hello there.', response_format: 'wav' });
  assert.equal(whole.contentType, 'audio/wav');
  assert.equal(new TextDecoder().decode(whole.bytes.subarray(0, 4)), 'RIFF');
  const streamed = await client.audio.speech({ model: 'overture-tts', input: 'One sentence. Another one.', streaming: true });
  assert.equal(streamed.contentType, 'audio/mpeg');
  const bytes = new Uint8Array(await new Response(streamed.stream).arrayBuffer());
  assert.ok(bytes.byteLength > 100);
});

test('billing balance and rate limits', async () => {
  const balance = await server.admin().billing.balance();
  assert.equal(typeof balance.canConsume, 'boolean');
  assert.equal(typeof balance.balances.usd, 'number');
  const limits = await server.client().apiKeys.rateLimits();
  assert.equal(typeof limits.data.balances.USD, 'number');
  assert.ok(limits.data.rateLimits.length > 0);
});

test('api keys: create, list, delete', async () => {
  const admin = server.admin();
  const created = await admin.apiKeys.create({ apiKeyType: 'INFERENCE', description: 'sdk test key' });
  assert.equal(created.success, true);
  assert.equal(typeof created.data.apiKey, 'string');
  const listed = await admin.apiKeys.list();
  assert.ok(listed.data.some((key) => key.id === created.data.id && key.description === 'sdk test key'));
  const usable = new OvertureClient({ baseUrl: server.baseUrl, apiKey: created.data.apiKey });
  assert.equal(typeof (await usable.apiKeys.rateLimits()).data.accessPermitted, 'boolean');
  assert.deepEqual(await admin.apiKeys.delete(created.data.id), { success: true });
  assert.ok(!(await admin.apiKeys.list()).data.some((key) => key.id === created.data.id));
});

test('base URL and key default from the environment', () => {
  const saved = { ...process.env };
  try {
    process.env.OVERTURE_BASE_URL = '';
    process.env.VENICE_BASE_URL = 'http://example.invalid/api/v1/';
    assert.equal(new OvertureClient().baseUrl, 'http://example.invalid/api/v1');
    process.env.OVERTURE_BASE_URL = 'http://127.0.0.1:9/api/v1';
    assert.equal(new OvertureClient().baseUrl, 'http://127.0.0.1:9/api/v1');
    delete process.env.OVERTURE_BASE_URL;
    delete process.env.VENICE_BASE_URL;
    assert.equal(new OvertureClient().baseUrl, 'http://localhost:8080/api/v1');
  } finally {
    process.env = saved;
  }
});
