import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { openMedia } from '../../src/app/adapters.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { scriptedAppOptions } from '../support/bound-catalog.js';
import { postOverSocket } from '../support/socket-post.js';
import { startTestApp, type TestApp, waitForMedia } from '../support/test-app.js';

// Clients that drop the connection over a real socket (127.0.0.1, port 0): money settles at once
// (the orphan sweep is stopped in these apps) and paid media survives a partial download.

/** An app whose speech row runs on instance `a` of the scripted adapter, listening on 127.0.0.1. */
async function speechApp() {
  const lines: string[] = [];
  const { scripted, options } = scriptedAppOptions(
    'overture-disconnect-',
    { picks: (model) => model.id === 'overture-tts', wavDefault: true },
    { log: lines },
  );
  const t = await startTestApp(options);
  await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  const logged = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string });
  return { t, scripted, logged, port: (t.app.http.server.address() as { port: number }).port };
}

type SpeechApp = Awaited<ReturnType<typeof speechApp>>;

/** POST a JSON body over a real socket; the response arrives through `response`. */
function post(port: number, path: string, body: unknown, key: string, headers: Record<string, string> = {}) {
  const call = postOverSocket(port, path, body, key, { headers });
  // A connection dropped before an answer leaves `response` pending: these tests drop calls on
  // purpose without awaiting their answers, so a rejection here would go unhandled.
  const response = call.response.then((answer) => answer ?? new Promise<never>(() => undefined));
  return { request: call.request, response };
}

/** Poll `condition` every 10 ms, at most 2,000 times. */
async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`never happened: ${what}`);
}

const connections = (t: TestApp) => new Promise<number>((resolve) => t.app.http.server.getConnections((_error, count) => resolve(count)));
const totals = (t: TestApp) => t.app.store.ledger.ledgerTotals(t.account.account_id);
const speech = (streaming: boolean) => ({ model: 'overture-tts', input: 'A sentence long enough to cost something.', streaming });

/** Start speech held by the engine; resolves with the price the hold took, in micro-units. */
async function heldSpeech(app: SpeechApp, streaming: boolean, step: 'wait' | 'stream' | 'deaf') {
  app.scripted.script.a = [step];
  const call = post(app.port, '/api/v1/audio/speech', speech(streaming), app.t.account.inference_key);
  await eventually(() => app.scripted.waitingCount() === 1, 'the engine holds the call');
  const held = (await totals(app.t)).held;
  assert.ok(held > 0, 'the price is held while the engine works');
  return { call, held };
}

/** Run `body` against a fresh speech app, closed afterwards whatever happened. */
async function withSpeechApp(body: (app: SpeechApp) => Promise<void>): Promise<void> {
  const app = await speechApp();
  try {
    await body(app);
  } finally {
    await app.t.close();
  }
}

/**
 * The call was settled by the request itself: no open hold, the engine stopped; the client
 * leaving is logged at info, not as an error with a stack.
 */
async function assertSettled(app: SpeechApp) {
  await eventually(async () => (await totals(app.t)).openHolds === 0, 'the hold is settled');
  assert.equal(app.scripted.waitingCount(), 0, 'the engine call was stopped');
  await assertLedgerInvariants(app.t.app.store);
  await eventually(() => app.logged().some((line) => line.msg === 'the client left before its speech was sent'), 'the drop is logged');
  assert.deepEqual(
    app.logged().filter((line) => line.level >= 40),
    [],
    'a client leaving is no error',
  );
}

/** Speech dropped while the engine holds it: released at once, the engine stopped, nothing charged. */
const droppedWhileHeld = (streaming: boolean) => () =>
  withSpeechApp(async (app) => {
    const { call } = await heldSpeech(app, streaming, 'wait');
    call.request.destroy();
    await assertSettled(app);
    assert.equal((await totals(app.t)).captured, 0, 'nothing was delivered, nothing is charged');
  });

test('streamed speech dropped before its first byte is released at once and the engine stopped', droppedWhileHeld(true));

test('streamed speech dropped part-way is charged in full and settled at once', () =>
  withSpeechApp(async (app) => {
    const { call, held } = await heldSpeech(app, true, 'stream');
    const response = await call.response;
    assert.equal(response.statusCode, 200);
    await new Promise((resolve) => response.once('data', resolve));
    call.request.destroy();
    await assertSettled(app);
    assert.equal((await totals(app.t)).captured, held, 'audio reached the client: the known price is charged');
  }));

test('streamed speech with an Idempotency-Key dropped part-way is charged once and its retry replays it all', () =>
  withSpeechApp(async (app) => {
    app.scripted.script.a = ['stream'];
    const key = { 'idempotency-key': 'drop-then-retry' };
    const call = post(app.port, '/api/v1/audio/speech', speech(true), app.t.account.inference_key, key);
    const response = await call.response;
    assert.equal(response.statusCode, 200);
    await new Promise((resolve) => response.once('data', resolve));
    const held = (await totals(app.t)).held;
    call.request.destroy();
    await eventually(async () => (await connections(app.t)) === 0, 'the server saw the client leave');
    assert.equal(app.scripted.waitingCount(), 1, 'the synthesis runs on for the key’s replay');
    app.scripted.release();
    await eventually(async () => (await totals(app.t)).openHolds === 0, 'the hold is settled');
    assert.equal((await totals(app.t)).captured, held, 'charged its price once');

    // The key is finished just after the hold is captured: until then a retry is told it is in flight.
    let answer: IncomingMessage | undefined;
    await eventually(async () => {
      answer = await post(app.port, '/api/v1/audio/speech', speech(true), app.t.account.inference_key, key).response;
      if (answer.statusCode !== 409) return true;
      answer.resume();
      return false;
    }, 'the key is finished');
    assert.ok(answer);
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    const audio = Buffer.concat(chunks);
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.headers['idempotent-replayed'], 'true');
    assert.equal(
      audio.subarray(0, 64).every((byte) => byte === 1),
      true,
      'the bytes the client saw first',
    );
    assert.equal(audio.subarray(64, 68).toString('latin1'), 'RIFF', 'then the rest the engine made after it left');
    assert.equal((await totals(app.t)).captured, held, 'the replay is not charged again');
    await assertLedgerInvariants(app.t.app.store);
  }));

test('non-streaming speech dropped before the answer is released at once and the engine stopped', droppedWhileHeld(false));

test('non-streaming speech whose engine finishes after the client left is released', () =>
  withSpeechApp(async (app) => {
    const { call } = await heldSpeech(app, false, 'deaf');
    call.request.destroy();
    await eventually(async () => (await connections(app.t)) === 0, 'the server saw the connection close');
    app.scripted.release();
    await assertSettled(app);
    assert.equal((await totals(app.t)).captured, 0, 'the answer never reached the client, nothing is charged');
  }));

test('streamed speech whose engine fails part-way is cut short and released at once', () =>
  withSpeechApp(async (app) => {
    app.scripted.script.a = ['break'];
    const call = post(app.port, '/api/v1/audio/speech', speech(true), app.t.account.inference_key);
    const response = await call.response;
    assert.equal(response.statusCode, 200, 'the head went out with the first bytes');
    let ended = false;
    response.on('error', () => undefined);
    response.on('close', () => (ended = true));
    response.resume();
    await eventually(() => ended, 'the client is not left waiting for the rest');
    assert.equal(response.complete, false, 'the answer was cut short, not passed off as whole');
    await eventually(async () => (await totals(app.t)).openHolds === 0, 'the hold is settled');
    assert.equal((await totals(app.t)).captured, 0, 'a failure of ours is not charged');
    await assertLedgerInvariants(app.t.app.store);
  }));

test('speech that reaches the client is charged exactly its price, streamed or not', () =>
  withSpeechApp(async (app) => {
    for (const streaming of [false, true]) {
      const before = (await totals(app.t)).captured;
      const { call, held } = await heldSpeech(app, streaming, 'wait');
      app.scripted.release();
      const response = await call.response;
      assert.equal(response.statusCode, 200);
      response.resume();
      await new Promise((resolve) => response.once('end', resolve));
      await eventually(async () => (await totals(app.t)).openHolds === 0, 'the hold is settled');
      assert.equal((await totals(app.t)).captured - before, held);
    }
    await assertLedgerInvariants(app.t.app.store);
  }));

test('a retrieve with delete_media_on_completion dropped part-way keeps the media', async () => {
  const t = await startTestApp();
  try {
    const model = 'overture-sketch';
    const { queue_id } = (await t.request('POST', '/api/v1/audio/queue', { model, prompt: 'soft chords', duration_seconds: 1 })).json();
    await waitForMedia(t, model, queue_id);
    // Far more than the socket buffers hold, so the drop comes before the last byte was sent.
    const job = await t.app.store.jobs.getJob(t.account.account_id, queue_id);
    const media = await openMedia(t.app.config);
    const writer = await media.create(job?.mediaKey as string);
    for (let i = 0; i < 32; i++) await writer.write(new Uint8Array(1 << 20).fill(i));
    await writer.commit();
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.http.server.address() as { port: number }).port;
    const call = post(port, '/api/v1/audio/retrieve', { model, queue_id, delete_media_on_completion: true }, t.account.inference_key);
    const response = await call.response;
    assert.equal(response.headers['content-length'], String(32 << 20));
    await new Promise((resolve) => response.once('data', resolve));
    call.request.destroy();
    await eventually(async () => (await connections(t)) === 0, 'the server saw the connection close');
    const again = await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id, delete_media_on_completion: true });
    assert.equal(again.statusCode, 200, 'the paid audio survived the partial download');
    assert.equal(again.rawPayload.length, 32 << 20);
    const gone = await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id });
    assert.equal(gone.statusCode, 404, 'deleted once it was sent in full');
  } finally {
    await t.close();
  }
});
