import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { splitNarration } from '../../../src/engines/openai-speech/narration-parts.js';
import { openaiSpeechAdapter } from '../../../src/engines/openai-speech/openai-speech-adapter.js';
import { UpstreamFailure } from '../../../src/engines/remote/upstream-errors.js';
import { type AudioFormat, type Engine, EngineRejection, type EngineRequest, StopReason } from '../../../src/ports/engine.js';
import type { InstanceSettings } from '../../../src/ports/engine-adapter.js';
import { decodeAudio } from '../../support/audio-decode.js';
import { createEngine, generated, heldAnswer, instanceSettings, musicRequest, run, until } from '../../support/engine-harness.js';
import { type FakeOpenAiSpeech, type FakeOpenAiSpeechOptions, startFakeOpenAiSpeech } from '../../support/fake-openai-speech-server.js';

const RATE = 24_000;
const PER_CHARACTER = 0.004;
const fakes: FakeOpenAiSpeech[] = [];
after(() => Promise.all(fakes.map((fake) => fake.close())));

async function fake(options: FakeOpenAiSpeechOptions = {}): Promise<FakeOpenAiSpeech> {
  const started = await startFakeOpenAiSpeech({ secondsPerCharacter: PER_CHARACTER, ...options });
  fakes.push(started);
  return started;
}

const engineFor = (upstream: FakeOpenAiSpeech, options: Record<string, unknown> = {}, settings: Partial<InstanceSettings> = {}): Engine =>
  createEngine(openaiSpeechAdapter, instanceSettings('kokoro-1', { url: upstream.url, concurrency: 4, options, ...settings }));

const SPEECH = 'The quick brown fox jumps over the lazy dog. It was a bright cold day in April, and the clocks were striking.';

const request = (overrides: Partial<EngineRequest> = {}): EngineRequest =>
  musicRequest({
    modelId: 'tts-kokoro',
    options: { model: 'kokoro' },
    seed: 1,
    requestId: 'req-1',
    modelType: 'tts',
    prompt: SPEECH,
    durationSeconds: undefined,
    voice: 'af_heart',
    format: 'mp3',
    ...overrides,
  });

/** Expected tone length of one upstream answer, as the fake makes it. */
const toneSeconds = (input: string, speed = 1) => Math.max(0.25, input.length * PER_CHARACTER) / speed;

/** Largest sample-to-sample step in `data` between two indexes. */
function maxJump(data: Float32Array, start = 1, end = data.length): number {
  let jump = 0;
  for (let i = Math.max(1, start); i < Math.min(end, data.length); i++)
    jump = Math.max(jump, Math.abs((data[i] as number) - (data[i - 1] as number)));
  return jump;
}

describe('openai-speech: synchronous speech', () => {
  let kokoro: FakeOpenAiSpeech;
  let engine: Engine;
  before(async () => {
    kokoro = await fake();
    engine = engineFor(kokoro);
  });

  test('streams the answer to the sink while the upstream is still sending', async () => {
    const { sink, settled, release, result: running } = await heldAnswer(engine, request(), kokoro);
    assert.equal(settled(), false, 'the call is still waiting for the held last chunk');
    release();
    const result = await running;
    const audio = await decodeAudio(sink.bytes(), 'mp3');
    assert.ok(Math.abs(result.durationSeconds - toneSeconds(SPEECH)) < 0.08, `duration ${result.durationSeconds}`);
    assert.ok((audio.channels[0]?.length ?? 0) / audio.sampleRate >= toneSeconds(SPEECH) - 0.05);
    assert.deepEqual(kokoro.requests.at(-1), {
      model: 'kokoro',
      input: SPEECH,
      voice: 'af_heart',
      response_format: 'mp3',
      speed: 1,
      stream: true,
    });
  });

  for (const format of ['mp3', 'wav', 'flac', 'opus', 'pcm'] as const) {
    test(`answers ${format} as asked`, async () => {
      const { sink, result } = await generated(engine, request({ format, speed: 1.5 }));
      assert.equal(kokoro.requests.at(-1)?.response_format, format);
      const audio = await decodeAudio(sink.bytes(), format);
      const seconds = (audio.channels[0]?.length ?? 0) / audio.sampleRate;
      const expected = toneSeconds(SPEECH, 1.5);
      assert.ok(Math.abs(result.durationSeconds - expected) < 0.08, `${format} reported ${result.durationSeconds}, expected ${expected}`);
      assert.ok(seconds >= expected - 0.03 && seconds < expected + 0.15, `${format} decoded to ${seconds} s, expected ${expected}`);
    });
  }

  test('converts formats the upstream lacks from its wav', async () => {
    const limited = await fake({ formats: ['mp3', 'wav'] });
    const narrow = engineFor(limited, { formats: ['mp3', 'wav'] });
    for (const format of ['flac', 'opus', 'pcm'] as const) {
      const { sink, result } = await generated(narrow, request({ format }));
      assert.equal(limited.requests.at(-1)?.response_format, 'wav');
      const audio = await decodeAudio(sink.bytes(), format);
      const seconds = (audio.channels[0]?.length ?? 0) / audio.sampleRate;
      assert.ok(Math.abs(seconds - toneSeconds(SPEECH)) < 0.1, `${format}: ${seconds} s`);
      assert.ok(Math.abs(result.durationSeconds - toneSeconds(SPEECH)) < 0.08);
    }
  });

  test('maps catalog voices and languages to upstream ids, and the row model to `model`', async () => {
    const mapped = engineFor(kokoro, { voices: { narrator: 'af_bella(2)+af_sky' }, language_field: 'lang_code', languages: { en: 'a' } });
    await generated(mapped, request({ voice: 'narrator', languageCode: 'en', format: 'wav' }));
    assert.equal(kokoro.requests.at(-1)?.voice, 'af_bella(2)+af_sky');
    assert.equal(kokoro.requests.at(-1)?.lang_code, 'a');
    await generated(mapped, request({ voice: 'am_adam', languageCode: 'fr', format: 'wav', options: {}, modelId: 'kokoro' }));
    assert.equal(kokoro.requests.at(-1)?.voice, 'am_adam', 'a voice absent from the map goes as it is');
    assert.equal(kokoro.requests.at(-1)?.lang_code, 'fr');
    assert.equal(kokoro.requests.at(-1)?.model, 'kokoro', 'without engine_options.model the public model id is sent');
    await generated(engine, request({ languageCode: 'en', format: 'wav' }));
    assert.equal('lang_code' in (kokoro.requests.at(-1) ?? {}), false, 'no language field unless configured');
  });

  test('a slow upstream that trickles its bytes still gets through', async () => {
    kokoro.faults.push({ kind: 'slow', delayMs: 20 });
    const { sink, result } = await generated(engine, request({ format: 'wav' }));
    assert.ok(sink.chunks.length > 4);
    assert.ok(Math.abs(result.durationSeconds - toneSeconds(SPEECH)) < 0.01);
  });

  test('busy (429, 503) is capacity at once: no retry', async () => {
    for (const fault of [{ kind: 'rate_limited', retryAfterSeconds: 30 }, { kind: 'overloaded' }] as const) {
      const before = kokoro.requests.length;
      kokoro.faults.push(fault);
      await assert.rejects(generated(engine, request()), (error) => error instanceof EngineRejection && error.kind === 'capacity');
      assert.equal(kokoro.requests.length, before + 1);
    }
  });

  test('500, a dropped connection and malformed bodies are UpstreamFailure', async () => {
    const cases = [
      { fault: { kind: 'server_error' }, format: 'mp3' },
      { fault: { kind: 'drop' }, format: 'mp3' },
      { fault: { kind: 'drop' }, format: 'wav', stream: false },
      { fault: { kind: 'malformed', how: 'truncated' }, format: 'wav' },
      { fault: { kind: 'malformed', how: 'garbage' }, format: 'mp3' },
    ] as const;
    for (const { fault, format, ...options } of cases) {
      kokoro.faults.push(fault);
      const target = 'stream' in options ? engineFor(kokoro, { stream: false }) : engine;
      await assert.rejects(generated(target, request({ format })), UpstreamFailure, `${fault.kind} (${format})`);
    }
  });

  test('no answer, or a stall mid-answer, past the request timeout is UpstreamFailure', async () => {
    const impatient = engineFor(kokoro, {}, { requestTimeoutMs: 300 });
    kokoro.faults.push({ kind: 'hang' });
    await assert.rejects(generated(impatient, request()), /could not be reached: no answer within 300 ms/);
    // The fake encodes before it answers: allow a loaded machine that long, then stall mid-answer.
    kokoro.faults.push({ kind: 'slow', delayMs: 5000 });
    await assert.rejects(generated(engineFor(kokoro, {}, { requestTimeoutMs: 1000 }), request({ format: 'wav' })), /stalled/);
  });

  test('a streamed answer longer than the request timeout is not cut while bytes keep coming', async () => {
    // Gaps of 200 ms against a 2 s timeout: a loaded machine's pauses stay well inside it.
    kokoro.faults.push({ kind: 'slow', delayMs: 200 });
    const started = Date.now();
    const { result } = await generated(engineFor(kokoro, {}, { requestTimeoutMs: 2000 }), request({ format: 'wav' }));
    assert.ok(Date.now() - started > 2000, 'the answer took longer than the request timeout');
    assert.ok(Math.abs(result.durationSeconds - toneSeconds(SPEECH)) < 0.01);
  });

  test('401 is refused, 422 invalid_input with the upstream message, an exhausted quota refused', async () => {
    kokoro.faults.push({ kind: 'unauthorized' });
    await assert.rejects(generated(engine, request()), (error) => error instanceof EngineRejection && error.kind === 'refused');
    kokoro.faults.push({ kind: 'validation' });
    await assert.rejects(
      generated(engine, request()),
      (error) => error instanceof EngineRejection && error.kind === 'invalid_input' && /less than or equal to 4/.test(error.message),
    );
    kokoro.faults.push({ kind: 'quota' });
    await assert.rejects(
      generated(engine, request()),
      (error) => error instanceof EngineRejection && error.kind === 'refused' && /quota/.test(error.message),
    );
  });

  test('OpenAI proper: Bearer key, documented fields only', async () => {
    const openai = await fake({ flavor: 'openai', apiKey: 'sk-right' });
    const asked = request({ voice: 'alloy', options: { model: 'gpt-4o-mini-tts' }, format: 'wav' });
    const { result } = await generated(engineFor(openai, { stream: false }, { apiKey: 'sk-right' }), asked);
    assert.ok(result.durationSeconds > 0);
    assert.equal('stream' in (openai.requests.at(-1) ?? {}), false);
    await assert.rejects(
      generated(engineFor(openai, { stream: false }, { apiKey: 'sk-wrong' }), asked),
      (error) => error instanceof EngineRejection && error.kind === 'refused' && /401/.test(error.message),
    );
    await assert.rejects(
      generated(engineFor(openai, {}, { apiKey: 'sk-right' }), asked),
      (error) => error instanceof EngineRejection && error.kind === 'invalid_input' && /stream/.test(error.message),
    );
  });
});

/** Long text: 24 sentences of varied length, about 2,900 characters. */
const LONG = Array.from(
  { length: 24 },
  (_, i) =>
    `Sentence number ${i + 1} tells of a ${'very '.repeat(i % 5)}long road, winding through hills and valleys, towards the sea at dusk.`,
).join(' ');

describe('openai-speech: narration (queued)', () => {
  const narration = (overrides: Partial<EngineRequest> = {}) => request({ modelType: 'music', prompt: LONG, format: 'wav', ...overrides });

  test('speaks a long text in parts at sentence boundaries, joined without clicks', async () => {
    const kokoro = await fake();
    const engine = engineFor(kokoro, { max_characters: 1000 });
    const { sink, result, progress } = await generated(engine, narration());
    const parts = splitNarration(LONG, 1000);
    assert.ok(parts.length >= 3);
    assert.deepEqual(
      kokoro.requests.map((body) => body.input),
      parts.map((part) => part.text),
    );
    for (const body of kokoro.requests) {
      assert.equal(body.response_format, 'pcm');
      assert.ok(String(body.input).length <= 1000 && String(body.input).endsWith('.'), 'whole sentences only');
    }
    assert.deepEqual(
      progress,
      parts.map((_, i) => [(i + 1) / parts.length, 'speak']),
    );
    const audio = await decodeAudio(sink.bytes(), 'wav');
    const data = audio.channels[0] as Float32Array;
    const toneFrames = parts.map((part) => Math.round(toneSeconds(part.text) * RATE));
    const pauseFrames = parts.slice(0, -1).map((part) => Math.round(part.pauseSeconds * RATE));
    const expected = [...toneFrames, ...pauseFrames].reduce((sum, frames) => sum + frames, 0);
    assert.equal(data.length, expected);
    assert.ok(Math.abs(result.durationSeconds - expected / RATE) < 1e-6);
    const body = maxJump(data, 2000, 4000);
    let seam = 0;
    for (let i = 0; i < parts.length; i++) {
      const end = toneFrames.slice(0, i + 1).reduce((a, b) => a + b, 0) + pauseFrames.slice(0, i).reduce((a, b) => a + b, 0);
      const start = end - (toneFrames[i] as number);
      seam = Math.max(seam, maxJump(data, start - 480, start + 480), maxJump(data, end - 480, end + 480));
      assert.ok(Math.abs(data[end - 1] as number) < 0.01 && Math.abs(data[start] as number) < 0.01, `part ${i} meets silence at zero`);
    }
    assert.ok(body > 0.01, 'the tone moves');
    assert.ok(seam <= body * 1.5, `largest step at a seam ${seam} vs ${body} inside the tone`);
  });

  test('asks for wav when the upstream has no pcm, and encodes the client format', async () => {
    const limited = await fake({ formats: ['mp3', 'wav'] });
    const { sink, result } = await generated(
      engineFor(limited, { formats: ['mp3', 'wav'], max_characters: 1500 }),
      narration({ format: 'flac' }),
    );
    assert.ok(limited.requests.length >= 2 && limited.requests.every((body) => body.response_format === 'wav'));
    const audio = await decodeAudio(sink.bytes(), 'flac');
    assert.ok(Math.abs((audio.channels[0]?.length ?? 0) / audio.sampleRate - result.durationSeconds) < 0.01);
  });

  test('waits out 429 (honouring Retry-After) and 503 without failing the job', async () => {
    const kokoro = await fake();
    const engine = engineFor(kokoro, { max_characters: 1000 });
    const parts = splitNarration(LONG, 1000).length;
    kokoro.faults.push({ kind: 'none' }, { kind: 'rate_limited', retryAfterSeconds: 1 }, { kind: 'overloaded' });
    const started = Date.now();
    const { result } = await generated(engine, narration());
    assert.ok(Date.now() - started >= 1900, 'waited Retry-After (1 s), then the default first delay (1 s)');
    assert.equal(kokoro.requests.length, parts + 2);
    assert.equal(kokoro.requests[1]?.input, kokoro.requests[3]?.input, 'the refused part was asked again');
    assert.ok(result.durationSeconds > 0);
  });

  test('a failing part fails the job with the mapped error', async () => {
    const kokoro = await fake();
    const engine = engineFor(kokoro, { max_characters: 1000 });
    kokoro.faults.push({ kind: 'none' }, { kind: 'server_error' });
    await assert.rejects(generated(engine, narration()), UpstreamFailure);
    kokoro.faults.push({ kind: 'validation' });
    await assert.rejects(generated(engine, narration()), (error) => error instanceof EngineRejection && error.kind === 'invalid_input');
  });

  test('an abort stops at once: no further parts are asked for', async () => {
    const kokoro = await fake();
    const engine = engineFor(kokoro, { max_characters: 1000 });
    let release = () => {};
    kokoro.faults.push({ kind: 'none' }, { kind: 'hold', release: new Promise<void>((resolve) => (release = resolve)) });
    const { controller, result: running } = run(engine, narration());
    await until(() => kokoro.requests.length === 2, 'the second part is asked for');
    controller.abort(new StopReason('cancelled'));
    await assert.rejects(running, (error) => error instanceof StopReason && error.kind === 'cancelled');
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(kokoro.requests.length, 2);
  });
});

describe('openai-speech: voices', () => {
  const signal = () => new AbortController().signal;

  test("lists Kokoro's GET /audio/voices, plus the instance's names whose voices it lists", async () => {
    const kokoro = await fake({ voices: ['af_heart', 'af_bella', 'af_sky'] });
    const engine = engineFor(kokoro, { voices: { narrator: 'af_bella(2)+af_sky', ghost: 'xx_nobody', heart: 'af_heart' } });
    assert.ok(engine.voices);
    const voices = await engine.voices(signal());
    assert.deepEqual(voices, [
      { id: 'narrator', name: 'af_bella(2)+af_sky' },
      { id: 'heart', name: 'af_heart' },
      { id: 'af_heart', name: 'af_heart' },
      { id: 'af_bella', name: 'af_bella' },
      { id: 'af_sky', name: 'af_sky' },
    ]);
    assert.equal(kokoro.voiceListings(), 1);
  });

  test('reads the pre-0.3 shape of plain names too', async () => {
    const kokoro = await fake({ voices: ['af_heart'] });
    const legacy: typeof fetch = (url, init) => fetch(`${String(url)}?legacy=true`, init);
    const engine = openaiSpeechAdapter.create(
      { name: 'old', url: kokoro.url, apiKey: undefined, concurrency: 1, requestTimeoutMs: 5000, maxResponseBytes: 1 << 20, options: {} },
      { threads: false, fetch: legacy },
    );
    assert.deepEqual(await engine.voices?.(signal()), [{ id: 'af_heart', name: 'af_heart' }]);
  });

  test('an upstream that cannot list rejects: 500, malformed JSON, no answer in time, no such route', async () => {
    const kokoro = await fake();
    // Only the hang meets the short timeout: a loaded machine may take longer than it to answer the others.
    const engine = engineFor(kokoro);
    kokoro.voiceFaults.push({ kind: 'server_error' }, { kind: 'malformed' }, { kind: 'hang' });
    await assert.rejects(engine.voices!(signal()), UpstreamFailure);
    await assert.rejects(engine.voices!(signal()), /malformed JSON/);
    await assert.rejects(engineFor(kokoro, {}, { requestTimeoutMs: 300 }).voices!(signal()), /no answer within 300 ms/);
    const openai = await fake({ flavor: 'openai' });
    await assert.rejects(engineFor(openai).voices!(signal()));
  });

  test('api.openai.com has no voice list: the engine offers none', () => {
    const engine = openaiSpeechAdapter.create(
      {
        name: 'openai',
        url: 'https://api.openai.com/v1',
        apiKey: 'k',
        concurrency: 1,
        requestTimeoutMs: 1000,
        maxResponseBytes: 1 << 20,
        options: {},
      },
      { threads: false, fetch },
    );
    assert.equal(engine.voices, undefined);
  });
});

test('narration parts: whole sentences up to the limit; a longer sentence cut at a comma or a space, never in a word', () => {
  const text =
    'One short sentence. Another one here.\n\nA much longer sentence, with a clause or two, that goes on and on beyond the limit.';
  const parts = splitNarration(text, 60);
  assert.deepEqual(
    parts.map((part) => part.text),
    ['One short sentence. Another one here.', 'A much longer sentence, with a clause or two,', 'that goes on and on beyond the limit.'],
  );
  const words = new Set(text.split(/\s+/));
  for (const part of parts) for (const word of part.text.split(/\s+/)) assert.ok(words.has(word), `"${word}" is a whole word`);
  assert.ok(parts[0]?.pauseSeconds === 0.8, 'a paragraph break ends the first part');
  assert.deepEqual(
    splitNarration('Averyveryverylongwordindeed and more words follow it here', 20).map((part) => part.text),
    ['Averyveryverylongwor', 'dindeed and more', 'words follow it here'],
    'only a word longer than the limit is ever cut',
  );
  assert.deepEqual(splitNarration('…', 100), []);
});

describe('openai-speech: settings', () => {
  const base = { name: 'tts', apiKey: undefined, concurrency: 4, requestTimeoutMs: 1000, maxResponseBytes: 1 << 20 };
  const create = (url: string | undefined, options: Record<string, unknown>) =>
    openaiSpeechAdapter.create({ ...base, url, options }, { threads: false, fetch });

  test('refuses a missing url and invalid options with clear messages', () => {
    assert.throws(() => create(undefined, {}), /needs a url/);
    assert.throws(() => create('http://x/v1', { formats: ['ogg'] }), /formats\.0: must be one of/);
    assert.throws(() => create('http://x/v1', { max_characters: 10 }), /max_characters: must be at least 50/);
    assert.throws(() => create('http://x/v1', { language_field: 'lang code' }), /language_field/);
    assert.throws(() => create('http://x/v1', { voice: {} }), /voice/);
  });

  test('declares its formats and capabilities', () => {
    const engine = create('http://x/v1', {});
    assert.deepEqual(engine.formats, ['mp3', 'wav', 'flac', 'opus', 'pcm'] satisfies AudioFormat[]);
    assert.deepEqual(engine.capabilities, { types: ['music', 'tts'], features: ['speed', 'language_code'] });
    assert.equal(openaiSpeechAdapter.remote, true);
    assert.equal(openaiSpeechAdapter.defaultConcurrency, 4);
  });
});
