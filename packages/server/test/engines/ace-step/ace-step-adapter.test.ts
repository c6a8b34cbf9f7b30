import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aceStepAdapter } from '../../../src/engines/ace-step/ace-step-adapter.js';
import { bpmOf, keyScaleOf } from '../../../src/engines/ace-step/ace-step-body.js';
import { UpstreamFailure } from '../../../src/engines/remote/upstream-errors.js';
import { EngineRejection, StopReason } from '../../../src/ports/engine.js';
import { decodeAudio } from '../../support/audio-decode.js';
import { adapterSetup, creating, failure, journal, rejected, run, until } from '../../support/engine-harness.js';
import { type FakeAceStep, type FakeAceStepOptions, startFakeAceStep } from '../../support/fake-ace-step-server.js';

const { request, fake, engineFor, rejectsOnFault } = adapterSetup<FakeAceStep, FakeAceStepOptions>({
  adapter: aceStepAdapter,
  name: 'ace',
  settings: { apiKey: 'secret', concurrency: 1 },
  start: startFakeAceStep,
  row: { modelId: 'ace-song', seed: 42, prompt: 'a calm piano piece in A minor at 90 BPM', durationSeconds: 10 },
});

const seen = (upstream: FakeAceStep, route: string) => upstream.requests.filter((r) => r.route === route);

test('a song end to end: journal, release body, progress, bearer on every route, audio of the asked length', async (t) => {
  const upstream = await fake(t, { apiKey: 'secret', finishAfterPolls: 2 });
  const log = journal();
  const { sink, progress, result } = run(engineFor(upstream), request(), log);
  const done = await result;
  assert.ok(Math.abs(done.durationSeconds - 10) < 0.05, `duration ${done.durationSeconds}`);
  const audio = await decodeAudio(sink.bytes(), 'mp3');
  assert.ok(audio.channels[0]!.length / audio.sampleRate >= 9.95);
  const [release] = seen(upstream, 'release');
  assert.deepEqual(release!.body, {
    prompt: 'a calm piano piece in A minor at 90 BPM',
    lyrics: '',
    seed: 42,
    use_random_seed: false,
    batch_size: 1,
    audio_format: 'mp3',
    audio_duration: 10,
    bpm: 90,
    key_scale: 'A minor',
  });
  const [id] = upstream.tasks.keys();
  assert.equal(log.entries.length, 2);
  assert.match(log.entries[0]!.submissionKey, /^job-1\.[0-9a-f]{16}$/);
  assert.deepEqual(log.entries[1], { submissionKey: log.entries[0]!.submissionKey, requestId: id });
  for (const route of ['release', 'query', 'audio']) assert.equal(seen(upstream, route)[0]!.headers.authorization, 'Bearer secret');
  assert.ok(progress.length >= 2 && progress.every(([f, stage]) => stage === 'upstream' && f > 0 && f <= 0.95));
  assert.equal(done.cleanup, undefined, 'ACE-Step has no delete route');
});

test('lyrics, force_instrumental, the row model and fixed input; a format ACE-Step lacks is asked as flac and converted', async (t) => {
  const upstream = await fake(t);
  const engine = engineFor(upstream);
  const row = { model: 'acestep-v15-turbo', input: { thinking: true, inference_steps: 8, batch_size: 4 } };
  const sung = await run(engine, request({ lyrics: '[verse]\nla la', options: row, format: 'pcm', prompt: 'pop' }), journal());
  await sung.result;
  assert.deepEqual(seen(upstream, 'release')[0]!.body, {
    thinking: true,
    inference_steps: 8,
    batch_size: 1,
    prompt: 'pop',
    lyrics: '[verse]\nla la',
    seed: 42,
    use_random_seed: false,
    audio_format: 'flac',
    audio_duration: 10,
    model: 'acestep-v15-turbo',
  });
  const pcm = await decodeAudio(sung.sink.bytes(), 'pcm');
  assert.ok(Math.abs(pcm.channels[0]!.length / pcm.sampleRate - 10) < 0.05);
  await run(engine, request({ lyrics: 'words', forceInstrumental: true, format: 'wav' }), journal()).result;
  const second = seen(upstream, 'release')[1]!.body as Record<string, unknown>;
  assert.equal(second.lyrics, '[inst]');
  assert.equal(second.audio_format, 'wav');
});

test('BPM and key read from the prompt', () => {
  assert.equal(bpmOf('house at 124 bpm'), 124);
  assert.equal(bpmOf('at 400 BPM'), undefined);
  assert.equal(keyScaleOf('a minor change, then in F# major'), 'F# major');
  assert.equal(keyScaleOf('in B flat minor'), 'Bb minor');
  assert.equal(keyScaleOf('E major'), 'E major');
  assert.equal(keyScaleOf('with a minor key change'), undefined);
});

test('a length outside 10..600 s and a misconfigured row are refused before anything is sent', async (t) => {
  const upstream = await fake(t);
  const engine = engineFor(upstream);
  await assert.rejects(
    run(engine, request({ durationSeconds: 5 }), journal()).result,
    (e: unknown) => e instanceof EngineRejection && e.kind === 'invalid_input',
  );
  await assert.rejects(run(engine, request({ options: { modle: 'x' } }), journal()).result, rejected('refused', /ace-song.*modle/));
  assert.equal(upstream.requests.length, 0);
});

test('a resumed task is polled, not released again; lease_lost just stops waiting', async (t) => {
  const upstream = await fake(t, { finishAfterPolls: 1_000_000 });
  const engine = engineFor(upstream);
  const first = journal();
  const attempt = run(engine, request(), first);
  await until(() => seen(upstream, 'query').length >= 1, 'a poll');
  attempt.controller.abort(new StopReason('lease_lost'));
  await assert.rejects(attempt.result, (e: unknown) => e instanceof StopReason && e.kind === 'lease_lost');
  const recorded = first.entries.at(-1)!;
  upstream.tasks.get(recorded.requestId!)!.ready = true;
  const second = journal(recorded);
  const resumed = run(engine, request(), second);
  assert.ok((await resumed.result).durationSeconds > 9.9);
  assert.equal(seen(upstream, 'release').length, 1);
  assert.deepEqual(second.entries, []);
});

test('a resumed task that failed, that the server forgot, or whose file is gone is released afresh', async (t) => {
  const upstream = await fake(t);
  const engine = engineFor(upstream);
  const forgotten = journal({ submissionKey: 'job-1.a', requestId: 'no-such-task' });
  await run(engine, request(), forgotten).result;
  assert.equal(seen(upstream, 'release').length, 1);
  const [firstId] = upstream.tasks.keys();
  assert.equal(forgotten.entries.at(-1)!.requestId, firstId);
  upstream.tasks.get(firstId!)!.failure = 'CUDA out of memory';
  await run(engine, request(), journal({ submissionKey: 'job-1.b', requestId: firstId! })).result;
  assert.equal(seen(upstream, 'release').length, 2);
  const secondId = [...upstream.tasks.keys()][1]!;
  upstream.tasks.get(secondId)!.fileGone = true;
  await run(engine, request(), journal({ submissionKey: 'job-1.c', requestId: secondId })).result;
  assert.equal(seen(upstream, 'release').length, 3, 'the file of the recorded task is not there any more');
});

test('the crash window: a key recorded without a task id is released again (ACE-Step has no idempotency key)', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push({ route: 'release', kind: 'hang', afterEffect: true });
  const first = journal();
  await assert.rejects(run(engineFor(upstream, { requestTimeoutMs: 500 }), request(), first).result, failure(/no answer within 500 ms/));
  assert.deepEqual(
    first.entries.map((e) => e.requestId),
    [null],
  );
  const second = journal(first.entries[0]);
  await run(engineFor(upstream), request(), second).result;
  assert.equal(upstream.tasks.size, 2, 'the lost task and the new one');
  assert.notEqual(second.entries[0]!.submissionKey, first.entries[0]!.submissionKey);
});

test('429 queue full waits and goes on: one task, the job does not fail', async (t) => {
  const upstream = await fake(t);
  upstream.faults.push(
    { route: 'release', kind: 'queue_full' },
    { route: 'release', kind: 'queue_full' },
    { route: 'query', kind: 'queue_full' },
  );
  const done = await run(engineFor(upstream), request(), journal()).result;
  assert.ok(done.durationSeconds > 9.9);
  assert.equal(seen(upstream, 'release').length, 3);
  assert.equal(upstream.tasks.size, 1);
});

test('a 500, a request that never answers, malformed JSON or a failed task fail the attempt with UpstreamFailure', async (t) => {
  const upstream = await fake(t);
  await rejectsOnFault(upstream, { route: 'query', kind: 'server_error' }, failure(/500/));
  await rejectsOnFault(upstream, { route: 'query', kind: 'hang' }, failure(/no answer within 300 ms/), {
    settings: { requestTimeoutMs: 300 },
  });
  await rejectsOnFault(upstream, { route: 'release', kind: 'malformed_json' }, failure(/malformed JSON/));
  const slow = await fake(t, { finishAfterPolls: 1_000_000 });
  const failing = run(engineFor(slow), request(), journal());
  await until(() => seen(slow, 'query').length >= 1, 'a poll');
  [...slow.tasks.values()][0]!.failure = 'LM init failed';
  await assert.rejects(failing.result, failure(/failed: LM init failed/));
});

for (const kind of ['drop', 'truncated', 'oversized'] as const) {
  test(`a download that is ${kind} is an UpstreamFailure; the next attempt downloads the same task again`, async (t) => {
    const upstream = await fake(t);
    upstream.faults.push({ route: 'audio', kind });
    const log = journal();
    const broken = run(engineFor(upstream, { maxResponseBytes: 1 << 20 }), request(), log);
    await assert.rejects(broken.result, UpstreamFailure);
    const retried = run(engineFor(upstream), request(), journal(log.entries.at(-1)));
    await retried.result;
    await decodeAudio(retried.sink.bytes(), 'mp3');
    assert.equal(seen(upstream, 'release').length, 1);
  });
}

test('a wrong key is a refusal; a 400 is invalid input', async (t) => {
  const upstream = await fake(t, { apiKey: 'right' });
  await assert.rejects(
    run(engineFor(upstream, { apiKey: 'wrong' }), request(), journal()).result,
    rejected('refused', /401.*Invalid API key/),
  );
  await rejectsOnFault(
    upstream,
    { route: 'release', kind: 'validation' },
    (e: unknown) => e instanceof EngineRejection && e.kind === 'invalid_input',
    { settings: { apiKey: 'right' } },
  );
});

test('cancel stops waiting at once; there is no upstream route to call', async (t) => {
  const upstream = await fake(t, { finishAfterPolls: 1_000_000 });
  const attempt = run(engineFor(upstream), request(), journal());
  await until(() => seen(upstream, 'query').length >= 1, 'a poll');
  attempt.controller.abort(new StopReason('cancelled'));
  await assert.rejects(attempt.result, (e: unknown) => e instanceof StopReason && e.kind === 'cancelled');
  assert.deepEqual(new Set(upstream.requests.map((r) => r.route)), new Set(['release', 'query']));
});

test('options are checked strictly', () => {
  const create = creating(aceStepAdapter, 'a', { url: 'http://127.0.0.1:1' });
  assert.throws(create({ poll_seconds: 0 }), /options\.poll_seconds: must be more than 0/);
  assert.throws(create({ model: 'x' }), /options\.model: not an instance option/);
  assert.throws(create({ pol: 1 }), /options\.pol: unknown option \(known: poll_seconds\)/);
  assert.throws(create({}, { url: undefined }), /url: required/);
  assert.throws(create({}, { url: 'ftp://x' }), /url: must be http or https/);
  const engine = create({})();
  assert.deepEqual(engine.capabilities, { types: ['music'], features: ['lyrics', 'force_instrumental', 'duration'] });
});
