import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cogAdapter } from '../../../src/engines/cog/cog-adapter.js';
import { cogWebhooks } from '../../../src/engines/cog/cog-webhooks.js';
import { UpstreamFailure } from '../../../src/engines/remote/upstream-errors.js';
import { StopReason } from '../../../src/ports/engine.js';
import { startCogWebhookReceiver } from '../../support/cog-webhook-receiver.js';
import {
  adapterSetup,
  audioSeconds as seconds,
  creating,
  failure,
  journal,
  refusing,
  rejected,
  run,
  startedFor,
  stopsOnRecord,
  until,
} from '../../support/engine-harness.js';
import { type FakeCog, type FakeCogOptions, startFakeCog } from '../../support/fake-cog-server.js';

/** A MusicGen-like row: every field mapped. */
const ROW = { duration_field: 'duration', seed_field: 'seed', format_field: 'output_format', input: { model_version: 'stereo-large' } };

const { request, fake, engineFor, rejectsOnFault } = adapterSetup<FakeCog, FakeCogOptions>({
  adapter: cogAdapter,
  name: 'gpu-1',
  settings: { concurrency: 1 },
  start: startFakeCog,
  row: { modelId: 'musicgen', options: ROW, seed: 42, durationSeconds: 1.5 },
});

const seen = (upstream: FakeCog, method: string, pattern: RegExp) =>
  upstream.requests.filter((item) => item.method === method && pattern.test(item.path));
const puts = (upstream: FakeCog) => seen(upstream, 'PUT', /^\/predictions\//);
const cancels = (upstream: FakeCog) => seen(upstream, 'POST', /\/cancel$/);

test('sync mode: the id is recorded before one blocking PUT, the input mapped, the data URL converted to the format asked', async (t) => {
  const upstream = await fake(t);
  const log = journal();
  const { sink, fractions: progress, result } = run(engineFor(upstream), request({ format: 'flac' }), log);
  const done = await result;
  assert.deepEqual(log.entries, [{ submissionKey: 'overture-job-1', requestId: 'overture-job-1' }]);
  const [put] = puts(upstream);
  assert.equal(put!.path, '/predictions/overture-job-1');
  assert.equal(put!.headers.prefer, undefined);
  assert.deepEqual(put!.body, {
    input: { model_version: 'stereo-large', prompt: 'a calm piano piece', duration: 1.5, seed: 42, output_format: 'wav' },
  });
  assert.ok(Math.abs(done.durationSeconds - 1.5) < 0.02, `duration ${done.durationSeconds}`);
  assert.ok(Math.abs((await seconds(sink.bytes(), 'flac')) - 1.5) < 0.02);
  assert.equal(done.cleanup, undefined, 'Cog keeps no copy to delete');
  assert.deepEqual(progress, [0]);
  const mp3 = await run(engineFor(upstream), request({ requestId: 'job-2' }), journal()).result;
  assert.equal(
    (puts(upstream)[1]!.body as { input: { output_format: string } }).input.output_format,
    'mp3',
    'a format the model has is asked as is',
  );
  assert.ok(Math.abs(mp3.durationSeconds - 1.5) < 0.1);
});

test('whole seconds, unsafe job ids, list and object outputs, and files served by URL (--upload-url)', async (t) => {
  const listed = await fake(t, { outputShape: 'list', uploads: true });
  const asked = request({ requestId: 'job/with spaces', options: { ...ROW, duration_whole_seconds: true } });
  const done = await run(engineFor(listed), asked, journal()).result;
  assert.ok(Math.abs(done.durationSeconds - 2) < 0.1, 'duration 1.5 was sent as 2');
  assert.match(puts(listed)[0]!.path, /^\/predictions\/overture-[0-9a-f]{32}$/);
  assert.equal(seen(listed, 'GET', /^\/uploads\//).length, 1);
  const keyed = await fake(t, { outputShape: 'object' });
  const picked = await run(engineFor(keyed), request({ options: { ...ROW, output_field: 'audio' } }), journal()).result;
  assert.ok(picked.durationSeconds > 1.4);
  await assert.rejects(
    run(engineFor(keyed), request({ options: { ...ROW, output_field: 'wave' } }), journal()).result,
    /no audio file in output\.wave/,
  );
});

test('a resumed sync attempt PUTs the same id; an orphan still running there is cancelled, then ours runs (legacy server)', async (t) => {
  const upstream = await fake(t, { flavor: 'legacy' });
  upstream.hold = true;
  const first = journal();
  const attempt = run(engineFor(upstream), request(), first);
  await until(() => upstream.running.size === 1, 'the prediction to start');
  attempt.controller.abort(new StopReason('lease_lost'));
  await assert.rejects(attempt.result, (error: unknown) => error instanceof StopReason && error.kind === 'lease_lost');
  assert.equal(cancels(upstream).length, 0, 'a lost lease cancels nothing');
  assert.equal(upstream.running.size, 1, 'the legacy server lets it run');
  upstream.hold = false;
  const second = journal(first.entries[0]);
  const resumed = run(engineFor(upstream), request(), second);
  const done = await resumed.result;
  assert.deepEqual(second.entries, [], 'a resumed attempt records nothing new');
  assert.deepEqual(
    puts(upstream).map((item) => item.path),
    Array(3).fill('/predictions/overture-job-1'),
  );
  assert.equal(cancels(upstream).length, 1);
  assert.deepEqual(
    upstream.started.map((prediction) => prediction.status),
    ['canceled', 'succeeded'],
  );
  assert.ok(Math.abs(done.durationSeconds - 1.5) < 0.1);
});

test('coglet cancels a synchronous prediction whose caller went away; cancel also calls the upstream cancel', async (t) => {
  const upstream = await fake(t);
  upstream.hold = true;
  const attempt = run(engineFor(upstream), request(), journal());
  await until(() => upstream.running.size === 1, 'the prediction to start');
  attempt.controller.abort(new StopReason('cancelled'));
  await assert.rejects(attempt.result, (error: unknown) => error instanceof StopReason && error.kind === 'cancelled');
  await until(() => upstream.running.size === 0, 'the prediction to stop');
  assert.equal(upstream.started[0]!.status, 'canceled');
  assert.equal(cancels(upstream).length, 1);
  assert.equal(cancels(upstream)[0]!.path, '/predictions/overture-job-1/cancel');
});

test('cancel_upstream false sends no cancel (the legacy server keeps running it)', async (t) => {
  const upstream = await fake(t, { flavor: 'legacy' });
  upstream.hold = true;
  const attempt = run(engineFor(upstream, { options: { cancel_upstream: false } }), request(), journal());
  await until(() => upstream.running.size === 1, 'the prediction to start');
  attempt.controller.abort(new StopReason('timed_out'));
  await assert.rejects(attempt.result, (error: unknown) => error instanceof StopReason && error.kind === 'timed_out');
  assert.equal(cancels(upstream).length, 0);
  assert.equal(upstream.running.size, 1);
});

test('409 at capacity (coglet and legacy bodies) and 503 while starting wait, then go on; the job does not fail', async (t) => {
  for (const flavor of ['coglet', 'legacy'] as const) {
    const upstream = await fake(t, { flavor });
    upstream.faults.push({ kind: 'at_capacity' }, { kind: 'at_capacity' });
    const done = await run(engineFor(upstream), request(), journal()).result;
    assert.ok(done.durationSeconds > 1.4);
    assert.equal(puts(upstream).length, 3);
    assert.equal(seen(upstream, 'GET', /^\/health-check$/).length, 2, 'each refusal is told apart by the health check');
  }
  const starting = await fake(t);
  starting.state = 'STARTING';
  const attempt = run(engineFor(starting), request(), journal());
  await until(() => puts(starting).length >= 2, 'two refused PUTs');
  starting.state = 'READY';
  assert.ok((await attempt.result).durationSeconds > 1.4);
});

test('a container whose setup failed, or that went defunct, fails the attempt with UpstreamFailure', async (t) => {
  const upstream = await fake(t);
  upstream.state = 'SETUP_FAILED';
  await assert.rejects(run(engineFor(upstream), request(), journal()).result, failure(/SETUP_FAILED: RuntimeError: CUDA error/));
  upstream.state = 'DEFUNCT';
  await assert.rejects(run(engineFor(upstream), request(), journal()).result, /gpu-1 is DEFUNCT/);
  assert.equal(upstream.started.length, 0);
});

test('a 500, a hang, a dropped or malformed answer, and a failed model fail the attempt with UpstreamFailure', async (t) => {
  const upstream = await fake(t);
  await rejectsOnFault(upstream, { kind: 'server_error', route: 'predict' }, UpstreamFailure);
  await rejectsOnFault(upstream, { kind: 'malformed_json', route: 'predict' }, /malformed JSON/);
  upstream.faults.push({ kind: 'hang', route: 'predict' });
  const hung = engineFor(upstream, { options: { predict_timeout_seconds: 0.3 } });
  await assert.rejects(run(hung, request(), journal()).result, /no answer within 300 ms/);
  await rejectsOnFault(upstream, { kind: 'drop', route: 'predict' }, failure(/dropped the answer/), { request: { requestId: 'job-drop' } });
  await rejectsOnFault(upstream, { kind: 'model_error', route: 'predict' }, /overture-job-oom failed: CUDA out of memory/, {
    request: { requestId: 'job-oom' },
  });
});

for (const kind of ['drop', 'truncated'] as const) {
  test(`an output download cut mid-way (${kind}) is an UpstreamFailure, never a success`, async (t) => {
    const upstream = await fake(t, { uploads: true });
    upstream.faults.push({ kind, route: 'upload' });
    const broken = run(engineFor(upstream), request(), journal());
    await assert.rejects(broken.result, UpstreamFailure);
    const again = await run(engineFor(upstream), request(), journal()).result;
    assert.ok(again.durationSeconds > 1.4);
  });
}

test('an oversized file is refused before it is decoded (data URL) or while it downloads (URL)', async (t) => {
  for (const uploads of [false, true]) {
    const upstream = await fake(t, { uploads });
    upstream.faults.push({ kind: 'oversized', route: 'predict' });
    const small = engineFor(upstream, { maxResponseBytes: 200_000 });
    await assert.rejects(run(small, request(), journal()).result, failure(/200000/));
  }
});

test("Cog's 422 is invalid_input with its message; a proxy's 401 is a refusal", async (t) => {
  const upstream = await fake(t, { maxDuration: 30 });
  await assert.rejects(
    run(engineFor(upstream), request({ durationSeconds: 90 }), journal()).result,
    rejected('invalid_input', /between 0\.5 and 30/),
  );
  const guarded = await fake(t, { apiKey: 'right' });
  await assert.rejects(run(engineFor(guarded, { apiKey: 'wrong' }), request(), journal()).result, rejected('refused', /401/));
  const done = await run(engineFor(guarded, { apiKey: 'right' }), request(), journal()).result;
  assert.ok(done.durationSeconds > 1.4);
  assert.equal(puts(guarded).at(-1)!.headers.authorization, 'Bearer right');
});

test('webhook mode: PUT respond-async with a signed webhook URL; the result arrives by webhook', async (t) => {
  const upstream = await fake(t);
  const hooks = await startedFor(t, startCogWebhookReceiver());
  const engine = engineFor(upstream, { apiKey: 'secret', options: { webhook_url: hooks.url } });
  const { sink, result } = run(engine, request({ requestId: 'job-hook' }), journal());
  const done = await result;
  const [put] = puts(upstream);
  assert.equal(put!.headers.prefer, 'respond-async');
  const body = put!.body as { webhook: string; webhook_events_filter: string[] };
  assert.match(body.webhook, new RegExp(`^${hooks.url}/overture-job-hook\\?token=[0-9a-f]{32}$`));
  assert.deepEqual(body.webhook_events_filter, ['start', 'completed']);
  assert.ok(Math.abs(done.durationSeconds - 1.5) < 0.1);
  assert.ok(Math.abs((await seconds(sink.bytes(), 'mp3')) - 1.5) < 0.15);
  assert.equal(cogWebhooks.deliver('overture-job-hook', 'forged', { status: 'succeeded', output: 'data:,' }), true, 'kept unclaimed');
  const waiter = cogWebhooks.expect('overture-job-hook', 'a'.repeat(32));
  assert.equal(await waiter.next(10, new AbortController().signal), undefined, 'a forged token is never handed over');
  waiter.release();
});

test('webhook mode: a resumed attempt re-PUTs the id and waits for the running prediction; a restart re-submits it', async (t) => {
  const upstream = await fake(t);
  const hooks = await startedFor(t, startCogWebhookReceiver());
  const engine = engineFor(upstream, { options: { webhook_url: hooks.url } });
  upstream.hold = true;
  const first = journal();
  const attempt = run(engine, request({ requestId: 'job-resume' }), first);
  await until(() => upstream.running.size === 1, 'the prediction to start');
  attempt.controller.abort(new StopReason('shutdown'));
  await assert.rejects(attempt.result, (error: unknown) => error instanceof StopReason && error.kind === 'shutdown');
  assert.equal(upstream.running.size, 1, 'an asynchronous prediction outlives its caller');
  const resumed = run(engine, request({ requestId: 'job-resume' }), journal(first.entries[0]));
  await until(() => puts(upstream).length === 2, 'the resumed PUT');
  upstream.finish();
  await resumed.result;
  assert.equal(upstream.started.length, 1, 'one prediction for both attempts');

  const lost = run(engine, request({ requestId: 'job-restart' }), journal());
  await until(() => upstream.running.has('overture-job-restart'), 'the prediction to start');
  upstream.hold = false;
  upstream.restart();
  const done = await lost.result;
  assert.ok(done.durationSeconds > 1.4);
  assert.equal(upstream.started.filter((prediction) => prediction.id === 'overture-job-restart').length, 2);
});

test('webhook mode: a container that goes defunct while the prediction runs fails the attempt', async (t) => {
  const upstream = await fake(t);
  const hooks = await startedFor(t, startCogWebhookReceiver());
  upstream.hold = true;
  const attempt = run(engineFor(upstream, { options: { webhook_url: hooks.url } }), request(), journal());
  await until(() => upstream.running.size === 1 && seen(upstream, 'GET', /health/).length > 0, 'the first health check');
  upstream.state = 'DEFUNCT';
  await assert.rejects(attempt.result, /gpu-1 is DEFUNCT/);
});

test('record() rejecting stops the engine before it sends anything', async (t) => {
  const upstream = await fake(t);
  await stopsOnRecord(engineFor(upstream), request(), upstream);
});

test('row options are checked strictly; a length with no duration_field is refused, never ignored', async (t) => {
  const upstream = await fake(t);
  const refused = refusing(engineFor(upstream), request);
  await refused({ ...ROW, model: 'x' }, /engine_options\.model: unknown option/);
  await refused({ ...ROW, duration_field: 'my duration' }, /engine_options\.duration_field: must be an input field name/);
  await refused({ ...ROW, input: { duration: 3 } }, /engine_options\.input\.duration: is also mapped by duration_field/);
  await refused({ ...ROW, format_values: ['ogg'] }, /engine_options\.format_values\.0: must be one of/);
  await refused({}, /asks engine instance "gpu-1" for 1\.5 s, but its engine_options\.duration_field names no input field/);
  assert.equal(upstream.requests.length, 0);
});

test('instance options are checked strictly, with messages naming the option', () => {
  const create = creating(cogAdapter, 'g', { url: 'http://gpu-box:5000' });
  assert.throws(create({ mode: 'webhook' }), /options\.webhook_url: required in webhook mode/);
  assert.throws(create({ mode: 'sync', webhook_url: 'http://w:8080/hooks' }), /options\.webhook_url: only used in webhook mode/);
  assert.throws(create({ webhook_url: 'ftp://w' }), /options\.webhook_url: must be an http/);
  assert.throws(create({ poll_seconds: 0 }), /options\.poll_seconds: must be more than 0/);
  assert.throws(create({ duration_field: 'duration' }), /options\.duration_field: not an instance option; set it in engine_options/);
  assert.throws(create({ pol_seconds: 1 }), /options\.pol_seconds: unknown option \(known: mode, webhook_url/);
  assert.throws(create({}, { url: undefined }), /url: required/);
  assert.throws(create({}, { url: 'ftp://gpu-box' }), /url: must be http or https/);
  const engine = create({})();
  assert.deepEqual(engine.formats, ['mp3', 'wav', 'flac', 'opus', 'pcm']);
  assert.deepEqual(engine.capabilities, { types: ['music'], features: ['duration'] });
  assert.equal(cogAdapter.defaultConcurrency, 1);
});

test('the server takes Cog webhooks at /engines/cog/webhooks/:id for the call waiting on them', async () => {
  const { startTestApp } = await import('../../support/test-app.js');
  const { cogWebhooks, webhookToken } = await import('../../../src/engines/cog/cog-webhooks.js');
  const t = await startTestApp();
  try {
    const token = webhookToken('secret', 'overture-route');
    const waiter = cogWebhooks.expect('overture-route', token);
    try {
      const post = (query: string) =>
        t.app.http.inject({
          method: 'POST',
          url: `/engines/cog/webhooks/overture-route${query}`,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ id: 'overture-route', status: 'succeeded', output: 'data:audio/wav;base64,' }),
        });
      assert.equal((await post('?token=wrong')).statusCode, 404, 'a wrong token is refused');
      assert.equal((await post(`?token=${token}`)).statusCode, 204);
      const body = (await waiter.next(1000, new AbortController().signal)) as { status: string };
      assert.equal(body.status, 'succeeded');
    } finally {
      waiter.release();
    }
  } finally {
    await t.close();
  }
});
