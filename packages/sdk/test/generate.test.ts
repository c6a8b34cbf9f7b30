import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BudgetExceededError, type GenerateProgress, NotFoundError, ValidationError } from '../src/index.js';
import { FAST_POLLING, type LiveServer, SKETCH, startLiveServer } from './live-server.js';

let server: LiveServer;
before(async () => {
  server = await startLiveServer();
});
after(() => server.close());

const usd = async () => (await server.admin().billing.balance()).balances.usd;

test('generate: quote, queue, poll, bytes, complete', async () => {
  const client = server.client();
  const progress: GenerateProgress[] = [];
  let queueId = '';
  const result = await client.generate(SKETCH, {
    polling: FAST_POLLING,
    onProgress: (update) => progress.push(update),
    onQueued: (queued) => (queueId = queued.queue_id),
  });
  assert.equal(result.queueId, queueId);
  assert.equal(result.quote, 0.0002);
  assert.equal(result.contentType, 'audio/wav');
  assert.equal(result.modelId, 'overture-sketch');
  assert.equal(new TextDecoder().decode(result.bytes.subarray(0, 4)), 'RIFF');
  assert.equal(progress.at(-1)?.fraction, 1);
  assert.ok(progress.every((update) => update.fraction >= 0 && update.fraction <= 1));
  await assert.rejects(client.audio.retrieve({ model: SKETCH.model, queue_id: queueId }, { maxRetries: 0 }), NotFoundError);
});

test('generate with deleteOnRetrieve deletes the media on the final retrieve', async () => {
  const client = server.client();
  const result = await client.generate(SKETCH, { polling: FAST_POLLING, deleteOnRetrieve: true });
  assert.ok(result.bytes.byteLength > 44);
  await assert.rejects(client.audio.retrieve({ model: SKETCH.model, queue_id: result.queueId }, { maxRetries: 0 }), NotFoundError);
  assert.deepEqual(await client.audio.complete({ model: SKETCH.model, queue_id: result.queueId }), { success: true });
});

test('client-side validation fails before any money moves', async () => {
  const client = server.client();
  const before = await usd();
  const cases = [
    { ...SKETCH, duration_seconds: 601 },
    { ...SKETCH, lyrics_prompt: 'la la la' },
    { ...SKETCH, force_instrumental: false },
    { ...SKETCH, voice: 'nobody' },
    { ...SKETCH, prompt: '   ' },
    { ...SKETCH, colour: 'blue' },
    { ...SKETCH, model: 'overture-tts' },
  ];
  for (const request of cases) {
    const error = await client.generate(request, { polling: FAST_POLLING }).catch((caught: unknown) => caught);
    assert.ok(error instanceof ValidationError, `${JSON.stringify(request)} → ${String(error)}`);
    assert.equal(error.status, 400);
    assert.ok(error.issues.length > 0 && error.details);
  }
  assert.equal(await usd(), before);
});

test('budget gate: a quote above maxPriceUsd queues nothing', async () => {
  const client = server.client();
  const before = await usd();
  const error = await client
    .generate({ ...SKETCH, duration_seconds: 600 }, { maxPriceUsd: 0.01, polling: FAST_POLLING })
    .catch((caught: unknown) => caught);
  assert.ok(error instanceof BudgetExceededError);
  assert.equal(error.quote, 0.06);
  assert.equal(error.maxPriceUsd, 0.01);
  assert.equal(await usd(), before);
});

test('abort during polling rejects with AbortError and leaves the job uncompleted', async () => {
  const controller = new AbortController();
  const paths: string[] = [];
  // Abort as the first poll goes out: deterministic, whatever the job's speed.
  const client = server.client({
    fetch: (input, init) => {
      paths.push(new URL(input).pathname);
      if (input.endsWith('/audio/retrieve')) controller.abort();
      return fetch(input, init);
    },
  });
  let queueId = '';
  const run = client.generate(SKETCH, {
    signal: controller.signal,
    polling: FAST_POLLING,
    onQueued: (queued) => (queueId = queued.queue_id),
  });
  await assert.rejects(run, { name: 'AbortError' });
  assert.ok(queueId);
  assert.ok(!paths.some((path) => path.endsWith('/audio/complete')));
  const plain = server.client();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = await plain.audio.retrieve({ model: SKETCH.model, queue_id: queueId });
    if (result.status === 'COMPLETED') {
      assert.ok((await result.bytes()).byteLength > 44, 'the media is still there');
      break;
    }
    assert.ok(Date.now() < deadline);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.deepEqual(await plain.audio.complete({ model: SKETCH.model, queue_id: queueId }), { success: true });
});

test('abort while waiting between polls', async () => {
  const controller = new AbortController();
  const slow = { firstDelayMinMs: 10_000, firstDelayMaxMs: 10_000, intervalMinMs: 10_000, intervalMaxMs: 10_000 };
  const started = Date.now();
  // Every poll answers PROCESSING, so the wait is always reached.
  const processing = { status: 'PROCESSING', average_execution_time: 60_000, execution_duration: 1 };
  const client = server.client({
    fetch: (input, init) =>
      input.endsWith('/audio/retrieve')
        ? Promise.resolve(new Response(JSON.stringify(processing), { headers: { 'content-type': 'application/json' } }))
        : fetch(input, init),
  });
  const run = client.generate(SKETCH, {
    signal: controller.signal,
    polling: slow,
    onProgress: () => setTimeout(() => controller.abort(), 20),
  });
  await assert.rejects(run, { name: 'AbortError' });
  assert.ok(Date.now() - started < 5_000);
});

test('an already aborted signal rejects before any request', async () => {
  let calls = 0;
  const client = server.client({
    fetch: (input, init) => {
      calls++;
      return fetch(input, init);
    },
  });
  await assert.rejects(client.generate(SKETCH, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  assert.equal(calls, 0);
});

test('generateToFile (Node entry) writes the audio', async () => {
  const { generateToFile } = await import('../src/node.js');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const directory = mkdtempSync(join(tmpdir(), 'overture-sdk-'));
  try {
    const written = await generateToFile(server.client(), SKETCH, join(directory, 'sketch.wav'), { polling: FAST_POLLING });
    assert.deepEqual(new Uint8Array(readFileSync(written.path)), written.bytes);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
