import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UpstreamFailure } from '../../../src/engines/remote/upstream-errors.js';
import { replicateAdapter } from '../../../src/engines/replicate/replicate-adapter.js';
import { EngineRejection, StopReason } from '../../../src/ports/engine.js';
import {
  adapterSetup,
  audioSeconds as seconds,
  creating,
  failure,
  journal,
  refusing,
  rejected,
  run,
  stopsOnRecord,
  until,
} from '../../support/engine-harness.js';
import { type FakeReplicate, type FakeReplicateOptions, startFakeReplicate, VERSION } from '../../support/fake-replicate-server.js';

const ROW = { version: VERSION, duration_field: 'duration', seed_field: 'seed', format_field: 'output_format' };

const { request, fake, engineFor, rejectsOnFault } = adapterSetup<FakeReplicate, FakeReplicateOptions>({
  adapter: replicateAdapter,
  name: 'replicate',
  settings: { apiKey: 'r8_test', concurrency: 2 },
  start: startFakeReplicate,
  row: { modelId: 'musicgen', options: ROW, seed: 42, durationSeconds: 1.5 },
});

const seen = (upstream: FakeReplicate, method: string, pattern: RegExp) =>
  upstream.requests.filter((item) => item.method === method && pattern.test(item.path));
const creates = (upstream: FakeReplicate) => seen(upstream, 'POST', /\/predictions$/);
const gets = (upstream: FakeReplicate) => seen(upstream, 'GET', /^\/v1\/predictions\//);
const cancels = (upstream: FakeReplicate) => seen(upstream, 'POST', /\/cancel$/);

test('a prediction end to end: key recorded, created with the mapped input, polled with progress, its file downloaded and converted', async (t) => {
  const upstream = await fake(t, { finishAfterPolls: 2 });
  const log = journal();
  const { sink, fractions: progress, result } = run(engineFor(upstream), request({ format: 'flac' }), log);
  const done = await result;
  const [prediction] = upstream.predictions;
  const [create] = creates(upstream);
  assert.equal(create!.path, '/v1/predictions');
  assert.equal(create!.headers.authorization, 'Bearer r8_test');
  assert.deepEqual(create!.body, {
    version: VERSION,
    input: { prompt: 'a calm piano piece', duration: 1.5, seed: 42, output_format: 'wav' },
  });
  assert.equal(log.entries.length, 2);
  assert.match(log.entries[0]!.submissionKey, /^job-1\.[0-9a-f]{16}$/);
  assert.deepEqual(log.entries, [
    { submissionKey: log.entries[0]!.submissionKey, requestId: null },
    { submissionKey: log.entries[0]!.submissionKey, requestId: prediction!.id },
  ]);
  assert.equal(gets(upstream).length, 3);
  assert.deepEqual(progress, [0, 0.475, 0.95], 'from the tqdm bars in the logs, never back');
  assert.ok(Math.abs(done.durationSeconds - 1.5) < 0.02, `duration ${done.durationSeconds}`);
  assert.ok(Math.abs((await seconds(sink.bytes(), 'flac')) - 1.5) < 0.02);
  assert.equal(seen(upstream, 'GET', /^\/files\//)[0]!.headers.authorization, 'Bearer r8_test', 'the API’s own file URLs get the token');
  assert.equal(done.cleanup, undefined, 'Replicate removes API predictions’ files after an hour; there is no delete');
});

test('official models and deployments have their own paths; Prefer: wait and Cancel-After are sent when configured', async (t) => {
  const upstream = await fake(t, { finishAfterMs: 30, outputShape: 'list' });
  const engine = engineFor(upstream, { options: { wait_seconds: 5, cancel_after_seconds: 300 } });
  const { version: _, ...mapping } = ROW;
  await run(engine, request({ options: { ...mapping, model: 'meta/musicgen' } }), journal()).result;
  await run(engine, request({ options: { ...mapping, deployment: 'acme/musicgen' }, format: 'wav' }), journal()).result;
  assert.deepEqual(
    creates(upstream).map((item) => [item.path, Object.keys(item.body as object)]),
    [
      ['/v1/models/meta/musicgen/predictions', ['input']],
      ['/v1/deployments/acme/musicgen/predictions', ['input']],
    ],
  );
  assert.equal(creates(upstream)[0]!.headers.prefer, 'wait=5');
  assert.equal(creates(upstream)[0]!.headers['cancel-after'], '300s');
  assert.equal(gets(upstream).length, 0, 'the waited-for creation answered a finished prediction');
  assert.equal((creates(upstream)[1]!.body as { input: { output_format: string } }).input.output_format, 'wav');
});

test('a resumed job with a recorded prediction is polled, not created again; lease_lost cancels nothing', async (t) => {
  const upstream = await fake(t, { finishAfterPolls: 1_000_000 });
  const engine = engineFor(upstream);
  const first = journal();
  const attempt = run(engine, request(), first);
  await until(() => gets(upstream).length >= 1, 'the first poll');
  attempt.controller.abort(new StopReason('lease_lost'));
  await assert.rejects(attempt.result, (error: unknown) => error instanceof StopReason && error.kind === 'lease_lost');
  assert.equal(cancels(upstream).length, 0);
  upstream.predictions[0]!.ready = true;
  const second = journal(first.entries.at(-1));
  const resumed = run(engine, request(), second);
  assert.ok((await resumed.result).durationSeconds > 1.4);
  assert.equal(upstream.predictions.length, 1);
  assert.deepEqual(second.entries, []);
});

test('a recorded prediction that is unknown, failed, canceled or whose data was removed is replaced by a new one', async (t) => {
  const upstream = await fake(t);
  const engine = engineFor(upstream);
  await run(engine, request(), journal({ submissionKey: 'job-1.old', requestId: 'unknownpredictionid0000000' })).result;
  assert.equal(upstream.predictions.length, 1);
  const [done] = upstream.predictions;
  done!.dataRemoved = true;
  const removed = journal({ submissionKey: 'job-1.a', requestId: done!.id });
  await run(engine, request(), removed).result;
  assert.equal(upstream.predictions.length, 2);
  assert.notEqual(removed.entries[0]!.submissionKey, 'job-1.a', 'a fresh key for a fresh prediction');
  upstream.predictions[1]!.status = 'failed';
  await run(engine, request(), journal({ submissionKey: 'job-1.b', requestId: upstream.predictions[1]!.id })).result;
  assert.equal(upstream.predictions.length, 3);
});

test('the crash window, as documented: a creation whose answer is lost cannot be found again, the next attempt pays again', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'create', kind: 'hang', afterEffect: true });
  const first = journal();
  await assert.rejects(run(engineFor(upstream, { requestTimeoutMs: 500 }), request(), first).result, /no answer within 500 ms/);
  assert.deepEqual(first.entries, [{ submissionKey: first.entries[0]!.submissionKey, requestId: null }]);
  const second = journal(first.entries[0]);
  await run(engineFor(upstream), request(), second).result;
  assert.equal(upstream.predictions.length, 2, 'Replicate has no idempotency key to replay');
  assert.notEqual(second.entries[0]!.submissionKey, first.entries[0]!.submissionKey);
});

test('429 waits its Retry-After, or the "resets in ~Ns" of its body, and goes on', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'create', kind: 'rate_limit', retryAfterSeconds: 0.3 });
  upstream.faults.push({ route: 'get', kind: 'rate_limit_no_header', retryAfterSeconds: 0.3 });
  const done = await run(engineFor(upstream), request(), journal()).result;
  assert.ok(done.durationSeconds > 1.4);
  const [refused, accepted] = creates(upstream);
  assert.equal(refused!.status, 429);
  assert.ok(accepted!.at - refused!.at >= 250, `waited ${accepted!.at - refused!.at} ms`);
  const polled = gets(upstream);
  assert.equal(polled[0]!.status, 429);
  assert.ok(polled[1]!.at - polled[0]!.at >= 250, `waited ${polled[1]!.at - polled[0]!.at} ms after a 429 without Retry-After`);
  assert.equal(upstream.predictions.length, 1);
});

test("Replicate's creation rate limit (a sliding window per token) is waited out, never failing a job", async (t) => {
  const upstream = await fake(t, { limits: { create: 1, other: 3000, windowMs: 800 } });
  const engine = engineFor(upstream);
  await run(engine, request(), journal()).result;
  await run(engine, request({ requestId: 'job-2' }), journal()).result;
  const [first, throttled, second] = creates(upstream);
  assert.deepEqual([first!.status, throttled!.status, second!.status], [201, 429, 201]);
  assert.equal(throttled!.headers.authorization, 'Bearer r8_test');
  assert.ok(second!.at - first!.at >= 750, `the second creation came ${second!.at - first!.at} ms after the first`);
});

test('a 500, a hang, malformed JSON or a failed model fail the attempt with UpstreamFailure; a safety refusal is content_policy', async (t) => {
  const upstream = await fake(t);
  await rejectsOnFault(upstream, { route: 'get', kind: 'server_error' }, UpstreamFailure);
  await rejectsOnFault(upstream, { route: 'get', kind: 'malformed_json' }, /malformed JSON/);
  await rejectsOnFault(upstream, { route: 'get', kind: 'hang' }, /no answer within 300 ms/, { settings: { requestTimeoutMs: 300 } });
  await rejectsOnFault(upstream, { route: 'create', kind: 'model_error' }, failure(/failed: CUDA out of memory/));
  await rejectsOnFault(
    upstream,
    { route: 'create', kind: 'nsfw' },
    (error: unknown) => error instanceof EngineRejection && error.kind === 'content_policy',
  );
});

for (const kind of ['drop', 'truncated'] as const) {
  test(`a download cut mid-way (${kind}) is an UpstreamFailure; the next attempt downloads the same prediction again`, async (t) => {
    const upstream = await fake(t);
    upstream.faults.push({ route: 'file', kind });
    const log = journal();
    await assert.rejects(run(engineFor(upstream), request(), log).result, UpstreamFailure);
    const retried = run(engineFor(upstream), request(), journal(log.entries.at(-1)));
    assert.ok((await retried.result).durationSeconds > 1.4);
    assert.equal(upstream.predictions.length, 1);
    assert.ok(Math.abs((await seconds(retried.sink.bytes(), 'mp3')) - 1.5) < 0.15);
  });
}

test('an oversized file is refused while it downloads', async (t) => {
  const upstream = await fake(t);
  await rejectsOnFault(upstream, { route: 'create', kind: 'oversized' }, failure(/too large \(over 200000 bytes\)/), {
    settings: { maxResponseBytes: 200_000 },
  });
});

test('401 and 402 are refusals; bad input is invalid_input with its detail; an unknown version is a refusal', async (t) => {
  const upstream = await fake(t);
  await assert.rejects(
    run(engineFor(upstream, { apiKey: 'r8_wrong' }), request(), journal()).result,
    rejected('refused', /401.*valid authentication token/),
  );
  await rejectsOnFault(upstream, { route: 'create', kind: 'billing' }, rejected('refused', /402.*set up billing/));
  await assert.rejects(
    run(engineFor(upstream), request({ durationSeconds: 90 }), journal()).result,
    rejected('invalid_input', /input\.duration: Must be less than or equal to 30/),
  );
  await assert.rejects(
    run(engineFor(upstream), request({ options: { ...ROW, version: 'f'.repeat(64) } }), journal()).result,
    rejected('refused', /Invalid version or not permitted/),
  );
  assert.equal(upstream.predictions.length, 0);
});

test('cancel calls the upstream cancel; with cancel_upstream false it does not', async (t) => {
  const upstream = await fake(t, { finishAfterPolls: 1_000_000 });
  for (const cancelUpstream of [true, false]) {
    const attempt = run(engineFor(upstream, { options: { cancel_upstream: cancelUpstream } }), request(), journal());
    const before = upstream.predictions.length;
    await until(() => upstream.predictions.length > before && upstream.predictions.at(-1)!.polls >= 1, 'a poll');
    attempt.controller.abort(new StopReason('cancelled'));
    await assert.rejects(attempt.result, (error: unknown) => error instanceof StopReason && error.kind === 'cancelled');
    assert.equal(upstream.predictions.at(-1)!.status, cancelUpstream ? 'canceled' : 'processing');
  }
  assert.deepEqual(
    cancels(upstream).map((item) => item.path),
    [`/v1/predictions/${upstream.predictions[0]!.id}/cancel`],
  );
});

test('record() rejecting stops the engine before it creates anything', async (t) => {
  const upstream = await fake(t);
  await stopsOnRecord(engineFor(upstream), request(), upstream);
});

test('row options are checked strictly: exactly one of version, model or deployment', async (t) => {
  const upstream = await fake(t);
  const { version: _, ...mapping } = ROW;
  const refused = refusing(engineFor(upstream), request);
  await refused(mapping, /set one of version, model or deployment/);
  await refused({ ...ROW, model: 'meta/musicgen' }, /set only one of version, model/);
  await refused({ ...ROW, version: 'latest' }, /engine_options\.version: must be a 64-hex version id/);
  await refused({ ...mapping, model: 'musicgen' }, /engine_options\.model: must be "owner\/name"/);
  await refused({ ...ROW, voice_field: 'voice' }, /engine_options\.voice_field: unknown option/);
  assert.equal(upstream.requests.length, 0);
});

test('instance options are checked strictly; a token is required', () => {
  const create = creating(replicateAdapter, 'r', { apiKey: 'r8_x', requestTimeoutMs: 30_000 });
  assert.throws(create({}, { apiKey: undefined }), /api_key_env: required/);
  assert.throws(create({ wait_seconds: 61 }), /options\.wait_seconds: must be at most 60/);
  assert.throws(create({ wait_seconds: 30 }, { requestTimeoutMs: 20_000 }), /holds a request longer than the instance's timeout_seconds/);
  assert.throws(create({ cancel_after_seconds: 1 }), /options\.cancel_after_seconds: must be at least 5/);
  assert.throws(create({ version: VERSION }), /options\.version: not an instance option/);
  assert.throws(
    create({ poll: 1 }),
    /options\.poll: unknown option \(known: poll_seconds, wait_seconds, cancel_after_seconds, cancel_upstream\)/,
  );
  assert.throws(create({}, { url: 'ftp://x' }), /url: "ftp:\/\/x" is not an http or https URL/);
  const engine = create({})();
  assert.deepEqual(engine.formats, ['mp3', 'wav', 'flac', 'opus', 'pcm']);
  assert.deepEqual(engine.capabilities, { types: ['music'], features: ['duration'] });
});
