import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UpstreamFailure } from '../../../src/engines/remote/upstream-errors.js';
import { veniceAdapter } from '../../../src/engines/venice/venice-adapter.js';
import { EngineRejection, type EngineRequest, StopReason } from '../../../src/ports/engine.js';
import { decodeAudio } from '../../support/audio-decode.js';
import { adapterSetup, creating, failure, journal, rejected, run, stopsOnRecord, until } from '../../support/engine-harness.js';
import { type FakeVenice, type FakeVeniceOptions, startFakeVenice } from '../../support/fake-venice-server.js';

const { request, fake, engineFor, rejectsOnFault } = adapterSetup<FakeVenice, FakeVeniceOptions>({
  adapter: veniceAdapter,
  name: 'gateway',
  settings: { apiKey: 'test-key', concurrency: 2 },
  start: startFakeVenice,
  row: { modelId: 'gateway-music', options: { model: 'upstream-music' }, seed: 1, durationSeconds: 30 },
});

const speech = (overrides: Partial<EngineRequest> = {}) =>
  request({
    modelId: 'gateway-tts',
    options: { model: 'tts-upstream' },
    modelType: 'tts',
    prompt: 'Hello there.',
    durationSeconds: undefined,
    ...overrides,
  });

const routes = (upstream: FakeVenice, route: string) => upstream.requests.filter((seen) => seen.route === route);

test('a queued job end to end: recorded, polled with progress, valid audio measured, completed upstream by cleanup', async (t) => {
  const upstream = await fake(t, { finishAfterPolls: 2 });
  const log = journal();
  const { sink, progress, result } = run(engineFor(upstream), request(), log);
  const done = await result;
  assert.ok(Math.abs(done.durationSeconds - 30) < 0.1, `duration ${done.durationSeconds}`);
  const audio = await decodeAudio(sink.bytes(), 'mp3');
  assert.ok(audio.channels[0]!.length > 0.9 * audio.sampleRate);
  assert.equal(upstream.submissions.length, 1);
  const [submission] = upstream.submissions;
  assert.deepEqual(submission!.body, { model: 'upstream-music', prompt: 'a calm piano piece', duration_seconds: 30 });
  const key = submission!.idempotencyKey!;
  assert.match(key, /^job-1\.[0-9a-f]+$/);
  assert.deepEqual(log.entries, [
    { submissionKey: key, requestId: null },
    { submissionKey: key, requestId: submission!.queueId },
  ]);
  assert.equal(routes(upstream, 'queue')[0]!.headers.authorization, 'Bearer test-key');
  assert.ok(progress.length >= 2 && progress.every(([fraction, stage]) => stage === 'upstream' && fraction >= 0 && fraction <= 0.95));
  assert.equal(upstream.completed.length, 0, 'nothing is completed before the caller stored the result');
  await done.cleanup!();
  assert.deepEqual(upstream.completed, [submission!.queueId]);
  assert.equal(upstream.jobs.size, 0);
});

test('every field the job carries is sent under its upstream name; voices are mapped; false flags and speed 1 are not sent', async (t) => {
  const upstream = await fake(t, { format: 'wav' });
  const engine = engineFor(upstream, { options: { voices: { Nova: 'af_nova' } } });
  const asked = request({ lyrics: 'la la la', voice: 'Nova', languageCode: 'en', speed: 1.25, loop: true, format: 'flac' });
  const { sink, result } = run(engine, asked, journal());
  const done = await result;
  assert.deepEqual(upstream.submissions[0]!.body, {
    model: 'upstream-music',
    prompt: 'a calm piano piece',
    lyrics_prompt: 'la la la',
    duration_seconds: 30,
    voice: 'af_nova',
    language_code: 'en',
    speed: 1.25,
    loop: true,
  });
  const audio = await decodeAudio(sink.bytes(), 'flac');
  assert.ok(
    Math.abs(audio.channels[0]!.length / audio.sampleRate - 30) < 0.05,
    'the wav answer (30 s, as asked) was converted to the flac asked',
  );
  assert.ok(Math.abs(done.durationSeconds - 30) < 0.1);
  const flagged = run(engine, request({ options: {}, forceInstrumental: true, lyricsOptimizer: true, voice: 'Other' }), journal());
  await flagged.result;
  assert.deepEqual(upstream.submissions[1]!.body, {
    model: 'gateway-music',
    prompt: 'a calm piano piece',
    duration_seconds: 30,
    voice: 'Other',
    force_instrumental: true,
    lyrics_optimizer: true,
  });
});

test('a resumed job with a recorded queue id is polled, not submitted again; lease_lost cancels nothing upstream', async (t) => {
  const upstream = await fake(t, { finishAfterPolls: 1_000_000 });
  const engine = engineFor(upstream);
  const first = journal();
  const attempt = run(engine, request(), first);
  await until(() => [...upstream.jobs.values()].some((job) => job.polls >= 1), 'the first poll');
  attempt.controller.abort(new StopReason('lease_lost'));
  await assert.rejects(attempt.result, (error: unknown) => error instanceof StopReason && error.kind === 'lease_lost');
  assert.equal(routes(upstream, 'cancel').length, 0);
  const recorded = first.entries.at(-1)!;
  assert.ok(recorded.requestId);
  upstream.jobs.get(recorded.requestId)!.ready = true;
  const second = journal(recorded);
  const resumed = run(engine, request(), second);
  const done = await resumed.result;
  assert.equal(upstream.submissions.length, 1);
  assert.deepEqual(second.entries, [], 'a resumed job records nothing new');
  await decodeAudio(resumed.sink.bytes(), 'mp3');
  await done.cleanup!();
  assert.deepEqual(upstream.completed, [recorded.requestId]);
});

test('a recorded key whose queue id never came back is sent again, and the upstream keeps one job', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'queue', kind: 'hang', afterEffect: true });
  const first = journal();
  const lost = run(engineFor(upstream, { requestTimeoutMs: 1000 }), request(), first);
  await assert.rejects(lost.result, UpstreamFailure);
  assert.equal(first.entries.length, 1);
  assert.equal(first.entries[0]!.requestId, null);
  await until(() => upstream.jobs.size === 1, 'the job whose answer was lost');
  const second = journal(first.entries[0]);
  const done = await run(engineFor(upstream), request(), second).result;
  assert.ok(done.durationSeconds > 0.9);
  assert.equal(upstream.submissions.length, 2);
  assert.equal(upstream.submissions[1]!.idempotencyKey, upstream.submissions[0]!.idempotencyKey);
  assert.equal(upstream.jobs.size, 1);
  assert.deepEqual(second.entries, [
    { submissionKey: first.entries[0]!.submissionKey, requestId: null },
    { submissionKey: first.entries[0]!.submissionKey, requestId: upstream.submissions[0]!.queueId },
  ]);
});

test('a resumed job the upstream no longer knows, or that failed there, is submitted afresh under a new key', async (t) => {
  const upstream = await fake(t);
  const engine = engineFor(upstream);
  const gone = journal({ submissionKey: 'job-1.old', requestId: '00000000-0000-4000-8000-000000000000' });
  await run(engine, request(), gone).result;
  assert.equal(upstream.submissions.length, 1);
  assert.notEqual(upstream.submissions[0]!.idempotencyKey, 'job-1.old');
  assert.equal(gone.entries.at(-1)!.requestId, upstream.submissions[0]!.queueId);

  const failedJob = upstream.submissions[0]!.queueId!;
  upstream.jobs.get(failedJob)!.failure = { status: 500, body: { error: 'Inference processing failed' } };
  const failed = journal({ submissionKey: 'job-1.x', requestId: failedJob });
  await run(engine, request(), failed).result;
  assert.equal(upstream.submissions.length, 2);
  assert.notEqual(upstream.submissions[1]!.queueId, failedJob);
});

test('429 on submission waits its Retry-After and goes on; the job does not fail', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'queue', kind: 'rate_limit', retryAfterSeconds: 0.3 });
  const log = journal();
  const done = await run(engineFor(upstream), request(), log).result;
  assert.ok(done.durationSeconds > 0.9);
  const [refused, accepted] = routes(upstream, 'queue');
  assert.ok(accepted!.at - refused!.at >= 250, `waited ${accepted!.at - refused!.at} ms`);
  assert.equal(upstream.jobs.size, 1);
  assert.equal(new Set(upstream.submissions.map((submission) => submission.idempotencyKey)).size, 1, 'one key for both tries');
});

test('503 at capacity on retrieve waits and goes on', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'retrieve', kind: 'capacity', retryAfterSeconds: 0.05 });
  upstream.faults.push({ route: 'retrieve', kind: 'capacity', retryAfterSeconds: 0.05 });
  const done = await run(engineFor(upstream), request(), journal()).result;
  assert.ok(done.durationSeconds > 0.9);
  assert.equal(upstream.faults.length, 0);
});

test('a 500, a timeout, a stalled or malformed JSON answer fail the attempt with UpstreamFailure', async (t) => {
  const upstream = await fake(t);
  await rejectsOnFault(upstream, { route: 'retrieve', kind: 'server_error' }, UpstreamFailure);
  await rejectsOnFault(upstream, { route: 'retrieve', kind: 'malformed_json' }, failure(/malformed JSON/));
  await rejectsOnFault(upstream, { route: 'retrieve', kind: 'hang' }, failure(/no answer within 200 ms/), {
    settings: { requestTimeoutMs: 200 },
  });
  await rejectsOnFault(upstream, { route: 'retrieve', kind: 'stall' }, failure(/no whole answer within 1000 ms/), {
    settings: { requestTimeoutMs: 1000 },
  });
  await rejectsOnFault(upstream, { route: 'queue', kind: 'malformed_json' }, UpstreamFailure);
});

for (const kind of ['drop', 'truncated'] as const) {
  test(`a download cut mid-way (${kind}) is an UpstreamFailure, never a success; the next attempt resumes it`, async (t) => {
    const upstream = await fake(t);
    upstream.faults.push({ route: 'retrieve', kind });
    const log = journal();
    const broken = run(engineFor(upstream), request(), log);
    await assert.rejects(broken.result, UpstreamFailure);
    assert.ok(broken.sink.bytes().length > 0, 'it failed mid-download, after part of the audio reached the sink');
    assert.equal(upstream.completed.length, 0);
    const retried = run(engineFor(upstream), request(), journal(log.entries.at(-1)));
    await retried.result;
    assert.equal(upstream.submissions.length, 1);
    await decodeAudio(retried.sink.bytes(), 'mp3');
  });
}

test('a wrong key is a refusal (401), and the submission key was recorded before sending', async (t) => {
  const upstream = await fake(t, { apiKey: 'right' });
  const log = journal();
  await assert.rejects(run(engineFor(upstream, { apiKey: 'wrong' }), request(), log).result, rejected('refused', /401/));
  assert.equal(log.entries.length, 1);
  assert.equal(upstream.jobs.size, 0);
});

test('a content-policy refusal carries the suggested prompt', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'retrieve', kind: 'content_policy', suggestedPrompt: 'a gentle piano piece' });
  await assert.rejects(run(engineFor(upstream), request(), journal()).result, (error: unknown) => {
    assert.ok(error instanceof EngineRejection);
    assert.equal(error.kind, 'content_policy');
    assert.equal(error.suggestedPrompt, 'a gentle piano piece');
    return true;
  });
});

test('cancel calls the upstream cancel; with cancel_upstream false it does not', async (t) => {
  const upstream = await fake(t, { finishAfterPolls: 1_000_000 });
  for (const cancelUpstream of [true, false]) {
    const attempt = run(engineFor(upstream, { options: { cancel_upstream: cancelUpstream } }), request(), journal());
    const before = upstream.submissions.length;
    const cancelsBefore = routes(upstream, 'cancel').length;
    await until(
      () => upstream.submissions.length > before && (upstream.jobs.get(upstream.submissions.at(-1)!.queueId!)?.polls ?? 0) >= 1,
      'a poll',
    );
    attempt.controller.abort(new StopReason('cancelled'));
    await assert.rejects(attempt.result, (error: unknown) => error instanceof StopReason && error.kind === 'cancelled');
    const id = upstream.submissions.at(-1)!.queueId!;
    assert.equal(upstream.cancelled.includes(id), cancelUpstream);
    const cancels = routes(upstream, 'cancel').slice(cancelsBefore);
    assert.equal(cancels.length, cancelUpstream ? 1 : 0);
    if (cancelUpstream) assert.deepEqual(cancels[0]!.body, { model: 'upstream-music', queue_id: id });
  }
});

test('an upstream without the cancel extension (404) still lets the cancel through', async (t) => {
  const upstream = await fake(t, { finishAfterPolls: 1_000_000 });
  upstream.faults.push({ route: 'cancel', kind: 'not_found' });
  const attempt = run(engineFor(upstream), request(), journal());
  await until(() => routes(upstream, 'retrieve').length >= 1, 'a poll');
  attempt.controller.abort(new StopReason('timed_out'));
  await assert.rejects(attempt.result, (error: unknown) => error instanceof StopReason && error.kind === 'timed_out');
  assert.equal(routes(upstream, 'cancel').length, 1);
});

test('record() rejecting stops the engine before it submits', async (t) => {
  const upstream = await fake(t);
  await stopsOnRecord(engineFor(upstream), request(), upstream);
});

test('speech streams into the sink as bytes arrive', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const upstream = await fake(t, { speechGate: () => gate });
  const engine = engineFor(upstream, { options: { voices: { Nova: 'af_nova' } } });
  const { sink, result } = run(engine, speech({ voice: 'Nova', languageCode: 'en', speed: 1.5 }));
  await until(() => sink.bytes().length > 0, 'the first bytes');
  release();
  const done = await result;
  assert.ok(Math.abs(done.durationSeconds - 1) < 0.1);
  await decodeAudio(sink.bytes(), 'mp3');
  assert.deepEqual(routes(upstream, 'speech')[0]!.body, {
    model: 'tts-upstream',
    input: 'Hello there.',
    response_format: 'mp3',
    speed: 1.5,
    streaming: true,
    voice: 'af_nova',
    language: 'en',
  });
});

test('speech converts when the upstream answers another format than asked', async (t) => {
  const upstream = await fake(t, { speechFormat: 'mp3' });
  const { sink, result } = run(engineFor(upstream), speech({ format: 'wav' }));
  const done = await result;
  assert.equal((routes(upstream, 'speech')[0]!.body as { response_format: string }).response_format, 'wav');
  const audio = await decodeAudio(sink.bytes(), 'wav');
  assert.ok(Math.abs(audio.channels[0]!.length / audio.sampleRate - 1) < 0.1);
  assert.ok(Math.abs(done.durationSeconds - 1) < 0.1);
});

test('speech at capacity is a capacity rejection at once; a dropped stream is an UpstreamFailure', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'speech', kind: 'capacity', retryAfterSeconds: 5 });
  await assert.rejects(
    run(engineFor(upstream), speech()).result,
    (error: unknown) => error instanceof EngineRejection && error.kind === 'capacity',
  );
  assert.equal(routes(upstream, 'speech').length, 1);
  upstream.faults.push({ route: 'speech', kind: 'drop' });
  await assert.rejects(run(engineFor(upstream), speech()).result, UpstreamFailure);
});

test('options are checked strictly, with messages naming the option', async (t) => {
  const upstream = await fake(t);
  const create = creating(veniceAdapter, 'g', { url: upstream.url });
  assert.throws(create({ model: 'x' }), /options\.model: not an instance option.*engine_options\.model/);
  assert.throws(create({ poll_seconds: 0 }), /options\.poll_seconds: must be more than 0/);
  assert.throws(create({ poll_seconds: 'fast' }), /options\.poll_seconds: must be a number/);
  assert.throws(create({ voices: { Nova: 3 } }), /options\.voices\.Nova/);
  assert.throws(create({ cancel_upstream: 'yes' }), /options\.cancel_upstream: must be true or false/);
  assert.throws(create({ pol_seconds: 1 }), /options\.pol_seconds: unknown option \(known: poll_seconds, voices, cancel_upstream\)/);
  assert.throws(create({}, { url: undefined }), /url: required/);
  assert.throws(create({}, { url: 'ftp://x/api/v1' }), /url: must be http or https/);
  const engine = create({})();
  assert.deepEqual(engine.formats, ['mp3', 'wav', 'flac', 'opus', 'pcm']);
  assert.equal(engine.capabilities?.features.length, 7);
  assert.equal(veniceAdapter.remote, true);
});
