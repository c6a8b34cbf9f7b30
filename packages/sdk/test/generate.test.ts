import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BudgetExceededError,
  type CancelResponse,
  type GenerateProgress,
  ModelNotFoundError,
  NotFoundError,
  ValidationError,
} from '../src/index.js';
import { FAST_POLLING, GATED, gatedServerForFile, SKETCH } from './live-server.js';

const gated = gatedServerForFile();

const usd = async () => (await gated.server.admin().billing.balance()).balances.usd;

/** Release the gate once the engine holds the job (it may be marked running a moment before). */
async function releaseWhenWaiting(): Promise<void> {
  for (let i = 0; i < 3000 && gated.fakes.waitingCount() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  gated.fakes.release();
}

/** A client that records the path of every request it sends. */
function recordingClient(paths: string[]) {
  return gated.server.client({
    fetch: (input, init) => {
      paths.push(new URL(input).pathname.replace(/^\/api\/v1/, '').replace(/[0-9a-f-]{36}/, 'ID'));
      return fetch(input, init);
    },
  });
}

test('generate follows the status stream and retrieves once, right after the done event', async () => {
  const paths: string[] = [];
  const progress: GenerateProgress[] = [];
  let queueId = '';
  const result = await recordingClient(paths).generate(GATED, {
    onQueued: (queued) => (queueId = queued.queue_id),
    onProgress: (update) => {
      progress.push(update);
      if (update.state === 'running') void releaseWhenWaiting();
    },
  });
  assert.equal(result.queueId, queueId);
  assert.equal(result.contentType, 'audio/wav');
  assert.equal(new TextDecoder().decode(result.bytes.subarray(0, 4)), 'RIFF');
  const afterQueue = paths.slice(paths.indexOf('/audio/queue') + 1);
  assert.deepEqual(
    afterQueue,
    ['/audio/status/ID/events', '/audio/retrieve', '/audio/complete'],
    'no polling: one retrieve, after the stream',
  );
  assert.ok(progress.some((update) => update.state === 'running' && update.source === 'stream'));
  assert.deepEqual(
    progress.map((update) => update.fraction).filter((fraction) => fraction === 1),
    [1],
  );
  assert.equal(progress.at(-1)?.state, 'done');
  assert.ok(progress.every((update) => update.fraction >= 0 && update.fraction <= 1));
  await assert.rejects(gated.server.client().audio.retrieve({ model: GATED.model, queue_id: queueId }, { maxRetries: 0 }), NotFoundError);
});

test('generate with deleteOnRetrieve deletes the media on the final retrieve', async () => {
  const client = gated.server.client();
  const result = await client.generate(SKETCH, { polling: FAST_POLLING, deleteOnRetrieve: true });
  assert.ok(result.bytes.byteLength > 44);
  await assert.rejects(client.audio.retrieve({ model: SKETCH.model, queue_id: result.queueId }, { maxRetries: 0 }), NotFoundError);
  assert.deepEqual(await client.audio.complete({ model: SKETCH.model, queue_id: result.queueId }), { success: true });
});

test('client-side validation fails before any money moves, and its message names the field', async () => {
  const client = gated.server.client();
  const before = await usd();
  const cases = [
    { ...SKETCH, duration_seconds: 601 },
    { ...SKETCH, lyrics_prompt: 'la la la' },
    { ...SKETCH, force_instrumental: false },
    { ...SKETCH, voice: 'nobody' },
    { ...SKETCH, prompt: '   ' },
    { ...SKETCH, colour: 'blue' },
  ];
  for (const request of cases) {
    const error = await client.generate(request, { polling: FAST_POLLING }).catch((caught: unknown) => caught);
    assert.ok(error instanceof ValidationError, `${JSON.stringify(request)} → ${String(error)}`);
    assert.equal(error.status, 400);
    assert.ok(error.issues.length > 0 && error.details);
    assert.ok(error.message.includes(`${String(error.issues[0]?.path[0])}: `), error.message);
  }
  const range = await client.generate({ ...SKETCH, duration_seconds: 601 }).catch((caught: unknown) => caught);
  assert.match(String((range as Error).message), /^Invalid request parameters: duration_seconds: Must be between 1 and 600 seconds/);
  assert.equal(await usd(), before);
});

test("the server's 400 names the field and its limit in the message", async () => {
  const error = await gated.server
    .client()
    .generate({ ...SKETCH, duration_seconds: 9999 }, { validate: false })
    .catch((caught: unknown) => caught);
  assert.ok(error instanceof ValidationError);
  assert.match(error.message, /^Invalid request parameters: duration_seconds: .*600/);
});

test('an unknown model is a ModelNotFoundError naming the model, in the SDK and from the server', async () => {
  const before = await usd();
  for (const validate of [true, false])
    for (const model of ['no-such-model', 'overture-tts']) {
      const error = await gated.server
        .client()
        .generate({ ...SKETCH, model }, { validate })
        .catch((caught: unknown) => caught);
      assert.ok(error instanceof ModelNotFoundError && error instanceof NotFoundError, `${model}: ${String(error)}`);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.equal(error.model, model);
      assert.match(error.message, new RegExp(`"${model}" is not served here; list the models with GET /models\\?type=music`));
    }
  assert.equal(await usd(), before);
});

test('budget gate: a quote above maxPriceUsd queues nothing', async () => {
  const before = await usd();
  const error = await gated.server
    .client()
    .generate({ ...SKETCH, duration_seconds: 600 }, { maxPriceUsd: 0.01 })
    .catch((caught: unknown) => caught);
  assert.ok(error instanceof BudgetExceededError);
  assert.equal(error.quote, 0.06);
  assert.equal(await usd(), before);
});

test('aborting generate cancels the job on the server: the hold is released', async () => {
  const before = await usd();
  const controller = new AbortController();
  let queueId = '';
  let cancelled: CancelResponse | undefined;
  const run = gated.server.client().generate(GATED, {
    signal: controller.signal,
    onQueued: (queued) => (queueId = queued.queue_id),
    onProgress: (update) => update.state === 'running' && controller.abort(),
    onCancelled: (answer) => (cancelled = answer),
  });
  await assert.rejects(run, { name: 'AbortError' });
  assert.deepEqual(cancelled, { success: true, queue_id: queueId, state: 'cancelled', was: 'running' });
  const status = await gated.server.client().audio.status(queueId);
  assert.equal(status.state, 'cancelled');
  assert.equal(status.price_held_usd, 0);
  assert.equal(await usd(), before, 'the whole price is back');
});

test('cancelOnAbort: false leaves the job running; cancel and complete need only the queue id', async () => {
  const controller = new AbortController();
  let queueId = '';
  const run = gated.server.client().generate(GATED, {
    signal: controller.signal,
    cancelOnAbort: false,
    onQueued: (queued) => (queueId = queued.queue_id),
    onProgress: (update) => update.state === 'running' && controller.abort(),
  });
  await assert.rejects(run, { name: 'AbortError' });
  const client = gated.server.client();
  assert.equal((await client.audio.status(queueId)).state, 'running');
  const cancelled = await client.audio.cancel({ queue_id: queueId });
  assert.equal(cancelled.success, true);
  assert.deepEqual(await client.audio.complete({ queue_id: queueId }), { success: true });
  await assert.rejects(client.audio.cancel({ queue_id: '00000000-0000-4000-8000-000000000000' }), NotFoundError);
});

test('an already aborted signal rejects before any request', async () => {
  const paths: string[] = [];
  await assert.rejects(recordingClient(paths).generate(SKETCH, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  assert.equal(paths.length, 0);
});

test('generateToFile (Node entry) writes the audio', async () => {
  const { generateToFile } = await import('../src/node.js');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const directory = mkdtempSync(join(tmpdir(), 'overture-sdk-'));
  try {
    const written = await generateToFile(gated.server.client(), SKETCH, join(directory, 'sketch.wav'), { polling: FAST_POLLING });
    assert.deepEqual(new Uint8Array(readFileSync(written.path)), written.bytes);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
