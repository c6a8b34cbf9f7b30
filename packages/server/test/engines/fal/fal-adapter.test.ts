import assert from 'node:assert/strict';
import { test } from 'node:test';
import { falAdapter } from '../../../src/engines/fal/fal-adapter.js';
import { UpstreamFailure } from '../../../src/engines/remote/upstream-errors.js';
import { StopReason } from '../../../src/ports/engine.js';
import { decodeAudio } from '../../support/audio-decode.js';
import { adapterSetup, creating, failure, journal, rejected, run, until } from '../../support/engine-harness.js';
import { type FakeFal, type FakeFalOptions, startFakeFal } from '../../support/fake-fal-server.js';

const { request, fake, engineFor, rejectsOnFault } = adapterSetup<FakeFal, FakeFalOptions>({
  adapter: falAdapter,
  name: 'fal',
  settings: { apiKey: 'test-key', concurrency: 2 },
  start: startFakeFal,
  row: { modelId: 'fal-song', options: { model: 'fal-ai/stable-audio' }, durationSeconds: 3 },
});

const seen = (upstream: FakeFal, route: string) => upstream.seen.filter((r) => r.route === route);

test('stable-audio end to end: journal, input, key and lifecycle headers, progress, file fetched without the key', async (t) => {
  const upstream = await fake(t, { queuedPolls: 1, runningPolls: 1 });
  const log = journal();
  const { sink, progress, result } = run(engineFor(upstream), request(), log);
  const done = await result;
  assert.ok(Math.abs(done.durationSeconds - 3) < 0.05, `duration ${done.durationSeconds}`);
  const audio = await decodeAudio(sink.bytes(), 'mp3');
  assert.ok(audio.channels[0]!.length / audio.sampleRate >= 2.95, 'the wav file converted to the mp3 asked');
  const [submit] = seen(upstream, 'submit');
  assert.equal(submit!.path, '/fal-ai/stable-audio');
  assert.deepEqual(submit!.body, { prompt: 'a calm piano piece', seconds_total: 3 });
  assert.equal(submit!.headers.authorization, 'Key test-key');
  assert.equal(submit!.headers['x-fal-object-lifecycle-preference'], '{"expiration_duration_seconds":86400}');
  const [id] = upstream.requests.keys();
  assert.match(log.entries[0]!.submissionKey, /^job-1\.[0-9a-f]{16}$/);
  assert.deepEqual(log.entries, [
    { submissionKey: log.entries[0]!.submissionKey, requestId: null },
    { submissionKey: log.entries[0]!.submissionKey, requestId: id },
  ]);
  assert.deepEqual(progress, [
    [0, 'queued'],
    [0, 'upstream'],
  ]);
  const [file] = seen(upstream, 'file');
  assert.equal(file!.headers.authorization, undefined, 'the CDN never sees the fal key');
});

test('ace-step prompt-to-audio: submitted under its sub-path, followed under the app id; instrumental and seed mapped', async (t) => {
  const upstream = await fake(t, { format: 'flac' });
  const engine = engineFor(upstream, { options: { features: ['force_instrumental'], media_expiration_seconds: null } });
  assert.deepEqual(engine.capabilities?.features, ['duration', 'force_instrumental']);
  const asked = request({
    options: { model: 'fal-ai/ace-step/prompt-to-audio' },
    forceInstrumental: true,
    durationSeconds: 6,
    format: 'wav',
  });
  const { sink, result } = run(engine, asked, journal());
  await result;
  const [submit] = seen(upstream, 'submit');
  assert.equal(submit!.path, '/fal-ai/ace-step/prompt-to-audio');
  assert.deepEqual(submit!.body, { prompt: 'a calm piano piece', duration: 6, instrumental: true, seed: 7 });
  assert.equal(submit!.headers['x-fal-object-lifecycle-preference'], undefined);
  assert.ok(seen(upstream, 'status').every((r) => r.path.startsWith('/fal-ai/ace-step/requests/')));
  const wav = await decodeAudio(sink.bytes(), 'wav');
  assert.ok(Math.abs(wav.channels[0]!.length / wav.sampleRate - 6) < 0.05);
});

test('a row maps its own app: fields, fixed input, output field; unmapped or misnamed options refuse the request', async (t) => {
  const upstream = await fake(t, {
    apps: { 'acme/song': { durationField: 'length', range: [1, 30], defaultSeconds: 5, outputField: 'song' } },
  });
  const engine = engineFor(upstream);
  const row = { model: 'acme/song', duration_field: 'length', lyrics_field: 'lyrics', output_field: 'song', input: { steps: 20 } };
  await run(engine, request({ options: row, lyrics: 'la la' }), journal()).result;
  assert.deepEqual(seen(upstream, 'submit')[0]!.body, { steps: 20, prompt: 'a calm piano piece', length: 3, lyrics: 'la la' });
  await assert.rejects(run(engine, request({ lyrics: 'la' }), journal()).result, rejected('refused', /fal-song.*lyrics_field/));
  await assert.rejects(run(engine, request({ forceInstrumental: true }), journal()).result, rejected('refused', /instrumental_field/));
  await assert.rejects(run(engine, request({ options: { model: 'stable-audio' } }), journal()).result, rejected('refused', /fal app id/));
  await assert.rejects(
    run(engine, request({ options: { model: 'a/b', promt_field: 'x' } }), journal()).result,
    rejected('refused', /promt_field/),
  );
  assert.equal(seen(upstream, 'submit').length, 1);
});

test('a resumed request is polled, not submitted again; lease_lost cancels nothing', async (t) => {
  const upstream = await fake(t, { runningPolls: 1_000_000 });
  const engine = engineFor(upstream);
  const first = journal();
  const attempt = run(engine, request(), first);
  await until(() => seen(upstream, 'status').length >= 2, 'polls');
  attempt.controller.abort(new StopReason('lease_lost'));
  await assert.rejects(attempt.result, (e: unknown) => e instanceof StopReason && e.kind === 'lease_lost');
  assert.equal(seen(upstream, 'cancel').length, 0);
  const recorded = first.entries.at(-1)!;
  upstream.requests.get(recorded.requestId!)!.ready = true;
  const second = journal(recorded);
  assert.ok((await run(engine, request(), second).result).durationSeconds > 2.9);
  assert.equal(seen(upstream, 'submit').length, 1);
  assert.deepEqual(second.entries, []);
});

test('a resumed request fal does not know, that failed, or whose file is gone is submitted afresh', async (t) => {
  const upstream = await fake(t);
  const engine = engineFor(upstream);
  await run(engine, request(), journal({ submissionKey: 'job-1.a', requestId: 'unknown' })).result;
  const [firstId] = upstream.requests.keys();
  upstream.requests.get(firstId!)!.failure = { status: 500, body: { detail: 'Internal error', error_type: 'runner_server_error' } };
  await run(engine, request(), journal({ submissionKey: 'job-1.b', requestId: firstId! })).result;
  const secondId = [...upstream.requests.keys()][1]!;
  upstream.requests.get(secondId)!.fileGone = true;
  await run(engine, request(), journal({ submissionKey: 'job-1.c', requestId: secondId })).result;
  assert.equal(seen(upstream, 'submit').length, 3);
});

test('the crash window: a key recorded without a request id is submitted again (fal has no idempotency key)', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'submit', kind: 'hang', afterEffect: true });
  const first = journal();
  await assert.rejects(run(engineFor(upstream, { requestTimeoutMs: 500 }), request(), first).result, failure(/no answer within 500 ms/));
  await run(engineFor(upstream), request(), journal(first.entries[0])).result;
  assert.equal(upstream.requests.size, 2, 'both billed');
});

test('429 (with Retry-After) and 503 are waited out; one request, the job does not fail', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'submit', kind: 'rate_limit', retryAfterSeconds: 0.2 }, { route: 'status', kind: 'capacity' });
  const done = await run(engineFor(upstream), request(), journal()).result;
  assert.ok(done.durationSeconds > 2.9);
  const [refused, accepted] = seen(upstream, 'submit');
  assert.ok(accepted!.at - refused!.at >= 150, `waited ${accepted!.at - refused!.at} ms`);
  assert.equal(upstream.requests.size, 1);
});

test('a 500, a request that never answers, malformed JSON or a failed result fail the attempt with UpstreamFailure', async (t) => {
  const upstream = await fake(t);
  await rejectsOnFault(upstream, { route: 'status', kind: 'server_error' }, failure(/500/));
  await rejectsOnFault(upstream, { route: 'status', kind: 'hang' }, failure(/no answer within 300 ms/), {
    settings: { requestTimeoutMs: 300 },
  });
  await rejectsOnFault(upstream, { route: 'submit', kind: 'malformed_json' }, failure(/malformed JSON/));
  await rejectsOnFault(upstream, { route: 'result', kind: 'server_error' }, failure(/runner_server_error|Internal server error/));
});

for (const kind of ['drop', 'truncated', 'oversized'] as const) {
  test(`a file download that is ${kind} is an UpstreamFailure; the next attempt fetches the same result again`, async (t) => {
    const upstream = await fake(t, { format: 'mp3' });
    upstream.faults.push({ route: 'file', kind });
    const log = journal();
    await assert.rejects(
      run(engineFor(upstream, { maxResponseBytes: 200_000 }), request({ durationSeconds: 10 }), log).result,
      UpstreamFailure,
    );
    const retried = run(engineFor(upstream), request({ durationSeconds: 10 }), journal(log.entries.at(-1)));
    await retried.result;
    await decodeAudio(retried.sink.bytes(), 'mp3');
    assert.equal(seen(upstream, 'submit').length, 1);
  });
}

test('401 is a refusal; 422 is invalid input, or a content-policy refusal when fal says so', async (t) => {
  const upstream = await fake(t, { apiKey: 'right' });
  await assert.rejects(run(engineFor(upstream, { apiKey: 'wrong' }), request(), journal()).result, rejected('refused', /401/));
  const engine = engineFor(upstream, { apiKey: 'right' });
  upstream.faults.push({ route: 'submit', kind: 'validation' });
  await assert.rejects(run(engine, request(), journal()).result, rejected('invalid_input', /Field required/));
  await assert.rejects(run(engine, request({ durationSeconds: 60 }), journal()).result, rejected('invalid_input', /seconds_total|47/));
  upstream.faults.push({ route: 'result', kind: 'content_policy' });
  await assert.rejects(run(engine, request(), journal()).result, rejected('content_policy', /content checker/));
});

test('cancel and timeout cancel the request upstream (under the app id); with cancel_upstream false they do not', async (t) => {
  const upstream = await fake(t, { runningPolls: 1_000_000 });
  for (const [reason, cancel] of [
    ['cancelled', true],
    ['timed_out', true],
    ['cancelled', false],
  ] as const) {
    const before = seen(upstream, 'cancel').length;
    const attempt = run(
      engineFor(upstream, { options: { cancel_upstream: cancel } }),
      request({ options: { model: 'fal-ai/ace-step/prompt-to-audio' } }),
    );
    const polls = seen(upstream, 'status').length;
    await until(() => seen(upstream, 'status').length > polls, 'a poll');
    attempt.controller.abort(new StopReason(reason));
    await assert.rejects(attempt.result, (e: unknown) => e instanceof StopReason && e.kind === reason);
    const cancels = seen(upstream, 'cancel').slice(before);
    assert.equal(cancels.length, cancel ? 1 : 0);
    if (cancel) assert.match(cancels[0]!.path, /^\/fal-ai\/ace-step\/requests\/[^/]+\/cancel$/);
  }
  assert.equal([...upstream.requests.values()].filter((r) => r.cancelled).length, 2);
});

test('options are checked strictly', () => {
  const create = creating(falAdapter, 'f', { url: 'https://queue.fal.run', apiKey: 'k' });
  assert.throws(create({ poll_seconds: -1 }), /options\.poll_seconds: must be more than 0/);
  assert.throws(create({ features: ['loop'] }), /options\.features\.0: must list only lyrics, force_instrumental/);
  assert.throws(create({ media_expiration_seconds: 5 }), /options\.media_expiration_seconds: must be at least 60/);
  assert.throws(create({ duration_field: 'x' }), /options\.duration_field: not an instance option/);
  assert.throws(create({ pol: 1 }), /options\.pol: unknown option/);
  assert.throws(create({}, { url: undefined }), /url: required/);
  assert.throws(create({}, { apiKey: undefined }), /api_key_env: required/);
  assert.deepEqual(create({})().capabilities, { types: ['music'], features: ['duration'] });
});
