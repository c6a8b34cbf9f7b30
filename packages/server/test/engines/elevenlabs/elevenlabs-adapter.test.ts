import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fitSections, lyricSections, sectionDurations } from '../../../src/engines/elevenlabs/composition-plan.js';
import { compositionPlan } from '../../../src/engines/elevenlabs/elevenlabs-music.js';
import { elevenlabsAdapter } from '../../../src/engines/elevenlabs/elevenlabs-adapter.js';
import { UpstreamFailure } from '../../../src/engines/remote/upstream-errors.js';
import { type Engine, EngineRejection, type EngineRequest, StopReason } from '../../../src/ports/engine.js';
import type { InstanceSettings } from '../../../src/ports/engine-adapter.js';
import { decodeAudio } from '../../support/audio-decode.js';
import {
  createEngine,
  generated,
  heldAnswer,
  instanceSettings,
  journal,
  musicRequest,
  rejected,
  run,
  until,
} from '../../support/engine-harness.js';
import { type FakeElevenLabs, type FakeElevenLabsOptions, startFakeElevenLabs } from '../../support/fake-elevenlabs-server.js';

const KEY = 'xi-test-key';
const VOICE = '21m00Tcm4TlvDq8ikWAM';
const fakes: FakeElevenLabs[] = [];
after(() => Promise.all(fakes.map((fake) => fake.close())));

async function fake(options: FakeElevenLabsOptions = {}): Promise<FakeElevenLabs> {
  const started = await startFakeElevenLabs({ apiKey: KEY, secondsPerCharacter: 0.004, ...options });
  fakes.push(started);
  return started;
}

/** Short waits so that busy answers cost milliseconds here. */
const QUICK = { busy_retry_seconds: 0.02, system_busy_seconds: 0.05 };

const engineFor = (upstream: FakeElevenLabs, options: Record<string, unknown> = QUICK, settings: Partial<InstanceSettings> = {}): Engine =>
  createEngine(elevenlabsAdapter, instanceSettings('eleven', { url: upstream.url, apiKey: KEY, options, ...settings }));

const request = (overrides: Partial<EngineRequest> = {}): EngineRequest =>
  musicRequest({
    modelId: 'eleven-music',
    requestId: 'job-1',
    options: { model: 'music_v1' },
    seed: 42,
    prompt: 'warm lo-fi beat, dusty drums; rhodes piano',
    durationSeconds: 3,
    format: 'wav',
    ...overrides,
  });

const SPEECH = 'The quick brown fox jumps over the lazy dog. It was a bright cold day in April.';
const spoken = (overrides: Partial<EngineRequest> = {}) =>
  request({
    modelId: 'eleven-tts',
    modelType: 'tts',
    options: { model: 'eleven_multilingual_v2' },
    prompt: SPEECH,
    durationSeconds: undefined,
    voice: VOICE,
    format: 'mp3',
    ...overrides,
  });

describe('elevenlabs: music and sound effects', () => {
  let eleven: FakeElevenLabs;
  let engine: Engine;
  before(async () => {
    eleven = await fake();
    engine = engineFor(eleven);
  });

  test('a prompt becomes POST /v1/music, its MP3 streamed into the sink and converted to the client format', async () => {
    const { sink, settled, release, result: running } = await heldAnswer(engine, request(), eleven);
    assert.equal(settled(), false, 'still receiving');
    release();
    const result = await running;
    const sent = eleven.requests.at(-1);
    assert.equal(sent?.path, '/v1/music');
    assert.equal(sent?.outputFormat, 'mp3_44100_128');
    assert.equal(sent?.headers['xi-api-key'], KEY);
    assert.deepEqual(sent?.body, { prompt: request().prompt, music_length_ms: 3000, model_id: 'music_v1' });
    const audio = await decodeAudio(sink.bytes(), 'wav');
    assert.ok(Math.abs((audio.channels[0]?.length ?? 0) / audio.sampleRate - result.durationSeconds) < 0.002);
    assert.ok(result.durationSeconds >= 3 && result.durationSeconds < 3.06, `${result.durationSeconds} s (MP3 keeps its coder delay)`);
  });

  test('lyrics become a composition plan: music_v1 sections, music_v2 chunks, with the seed', async () => {
    const lyrics = '[Verse]\nWalking down an empty street\nLights are low\n\n[Chorus]\nThis is my moment';
    await generated(engine, request({ durationSeconds: 8, lyrics }));
    const v1 = eleven.requests.at(-1)?.body as { composition_plan: { sections: { duration_ms: number; lines: string[] }[] } };
    assert.deepEqual(Object.keys(v1).sort(), ['composition_plan', 'model_id', 'seed']);
    assert.deepEqual(
      v1.composition_plan.sections.map((section) => section.lines),
      [['Walking down an empty street', 'Lights are low'], ['This is my moment']],
    );
    assert.equal(
      v1.composition_plan.sections.reduce((sum, section) => sum + section.duration_ms, 0),
      8000,
    );
    const { result } = await generated(engine, request({ durationSeconds: 8, lyrics, options: { model: 'music_v2' } }));
    const v2 = eleven.requests.at(-1)?.body as { composition_plan: { chunks: { text: string }[] }; seed: number };
    assert.equal(v2.composition_plan.chunks[1]?.text, '[Chorus]\nThis is my moment');
    assert.equal(v2.seed, 42);
    assert.ok(Math.abs(result.durationSeconds - 8) < 0.06);
  });

  test('force_instrumental wins over lyrics; lengths outside 3–600 s are refused before any request', async () => {
    await generated(engine, request({ forceInstrumental: true, lyrics: 'la la' }));
    assert.equal(eleven.requests.at(-1)?.body.force_instrumental, true);
    assert.equal('composition_plan' in (eleven.requests.at(-1)?.body ?? {}), false);
    const before = eleven.requests.length;
    await assert.rejects(generated(engine, request({ durationSeconds: 2 })), rejected('invalid_input', /3 to 600/));
    await assert.rejects(generated(engine, request({ loop: true })), rejected('invalid_input', /cannot loop/));
    await assert.rejects(
      generated(engine, request({ lyrics: 'la', options: { kind: 'sound_effects' } })),
      rejected('invalid_input', /no lyrics/),
    );
    assert.equal(eleven.requests.length, before);
  });

  test('sound effects: /v1/sound-generation with duration, prompt_influence, loop and model', async () => {
    const options = { kind: 'sound_effects', model: 'eleven_text_to_sound_v2', prompt_influence: 0.6 };
    const { result } = await generated(
      engine,
      request({ prompt: 'rain on a tin roof', durationSeconds: 2, loop: true, options, format: 'flac' }),
    );
    const sent = eleven.requests.at(-1);
    assert.equal(sent?.path, '/v1/sound-generation');
    assert.deepEqual(sent?.body, {
      text: 'rain on a tin roof',
      duration_seconds: 2,
      prompt_influence: 0.6,
      loop: true,
      model_id: 'eleven_text_to_sound_v2',
    });
    assert.ok(Math.abs(result.durationSeconds - 2) < 0.06);
    await generated(engine, request({ durationSeconds: 2, options: { kind: 'sound_effects' } }));
    assert.equal('loop' in (eleven.requests.at(-1)?.body ?? {}), false, 'loop only when asked');
    await assert.rejects(
      generated(engine, request({ durationSeconds: 31, options: { kind: 'sound_effects' } })),
      rejected('invalid_input', /0.5 to 30/),
    );
  });

  test('the two 429s: a free slot is waited for briefly, system_busy backs off (Retry-After honoured)', async () => {
    eleven.faults.push(
      { kind: 'concurrent' },
      { kind: 'system_busy' },
      { kind: 'system_busy' },
      { kind: 'system_busy', retryAfterSeconds: 0.3 },
    );
    const before = eleven.requests.length;
    const started = Date.now();
    const { result } = await generated(engine, request());
    assert.equal(eleven.requests.length, before + 5, 'four busy answers, then the audio');
    // Less 20 ms: a timer counts from the event loop's cached clock, which lags Date.now() under load.
    assert.ok(Date.now() - started >= 20 + 50 + 100 + 300 - 20, 'waited 20 ms, then 50 and 100 ms of back-off, then Retry-After');
    assert.ok(result.durationSeconds > 0);
  });

  test('more requests than the plan allows: the second waits for the first to finish', async () => {
    const limited = await fake({ concurrency: 1 });
    const patient = engineFor(limited);
    let release = () => {};
    limited.faults.push({ kind: 'hold', release: new Promise<void>((resolve) => (release = resolve)) });
    const first = generated(patient, request());
    await until(() => limited.inFlight() === 1, 'the first request holds the slot');
    const second = generated(patient, request({ requestId: 'job-2' }));
    await until(() => limited.requests.length >= 3, 'the second was refused a slot at least once');
    release();
    await Promise.all([first, second]);
  });

  test('500, a broken error body, a dropped connection, malformed and oversized audio are UpstreamFailure', async () => {
    for (const fault of [
      { kind: 'server_error' },
      { kind: 'malformed_json' },
      { kind: 'drop' },
      { kind: 'malformed', how: 'truncated' },
      { kind: 'malformed', how: 'garbage' },
    ] as const) {
      eleven.faults.push(fault);
      await assert.rejects(generated(engine, request()), UpstreamFailure, fault.kind);
    }
    eleven.faults.push({ kind: 'oversized', times: 4 });
    await assert.rejects(generated(engineFor(eleven, QUICK, { maxResponseBytes: 100_000 }), request()), /too large|limit/);
  });

  test('no answer or a stall past the request timeout is UpstreamFailure', async () => {
    const impatient = engineFor(eleven, QUICK, { requestTimeoutMs: 300 });
    eleven.faults.push({ kind: 'hang' });
    await assert.rejects(generated(impatient, request()), /no answer within 300 ms/);
    // The fake encodes before it answers: allow a loaded machine that long, then stall mid-answer.
    eleven.faults.push({ kind: 'slow', delayMs: 5000 });
    await assert.rejects(generated(engineFor(eleven, QUICK, { requestTimeoutMs: 1000 }), request()), /stalled for 1000 ms/);
  });

  test('refusals: key and quota refused, 422 invalid_input, bad prompts content_policy with the suggestion', async () => {
    await assert.rejects(
      generated(engineFor(eleven, QUICK, { apiKey: 'wrong' }), request()),
      rejected('refused', /invalid_api_key|Invalid API key/),
    );
    eleven.faults.push({ kind: 'quota' });
    await assert.rejects(generated(engine, request()), rejected('refused', /quota/));
    eleven.faults.push({ kind: 'validation' });
    await assert.rejects(generated(engine, request()), rejected('invalid_input', /field required/));
    await assert.rejects(
      generated(engine, request({ prompt: 'a song like the Beatles' })),
      (error) => rejected('content_policy')(error) && (error as EngineRejection).suggestedPrompt === 'a sunny 60s pop song',
    );
    await assert.rejects(
      generated(engine, request({ durationSeconds: 10, lyrics: 'Taylor Swift lyrics here' })),
      rejected('content_policy'),
    );
  });

  test('nothing to resume: the journal is left alone and a later attempt asks again', async () => {
    const log = journal({ submissionKey: 'job-1.abc', requestId: null });
    const before = eleven.requests.length;
    await generated(engine, request(), log);
    assert.deepEqual(log.entries, []);
    assert.equal(eleven.requests.length, before + 1);
  });

  test('an abort closes the upstream connection (the only cancel there is) and rejects with its reason', async () => {
    let release = () => {};
    eleven.faults.push({ kind: 'hold', release: new Promise<void>((resolve) => (release = resolve)) });
    const { controller, result: running } = run(engine, request());
    await until(() => eleven.inFlight() === 1, 'the upstream is answering');
    controller.abort(new StopReason('cancelled'));
    await assert.rejects(running, (error) => error instanceof StopReason && error.kind === 'cancelled');
    await until(() => eleven.inFlight() === 0, 'the upstream saw the connection close');
    release();
  });
});

describe('elevenlabs: speech', () => {
  let eleven: FakeElevenLabs;
  let engine: Engine;
  before(async () => {
    eleven = await fake();
    engine = engineFor(eleven, { ...QUICK, voices: { rachel: VOICE }, speech_wait_seconds: 1 });
  });

  test('/audio/speech streams POST /v1/text-to-speech/{voice}/stream: mp3 and pcm as is, others from PCM', async () => {
    for (const [format, outputFormat] of [
      ['mp3', 'mp3_44100_128'],
      ['pcm', 'pcm_24000'],
      ['wav', 'pcm_24000'],
      ['opus', 'pcm_24000'],
    ] as const) {
      const { sink, result } = await generated(engine, spoken({ format, voice: 'rachel', languageCode: 'en', speed: 1.1 }));
      const sent = eleven.requests.at(-1);
      assert.equal(sent?.path, `/v1/text-to-speech/${VOICE}/stream`);
      assert.equal(sent?.outputFormat, outputFormat);
      assert.deepEqual(sent?.body, {
        text: SPEECH,
        model_id: 'eleven_multilingual_v2',
        language_code: 'en',
        voice_settings: { speed: 1.1 },
        seed: 42,
      });
      const audio = await decodeAudio(sink.bytes(), format);
      const expected = (SPEECH.length * 0.004) / 1.1;
      assert.ok(Math.abs((audio.channels[0]?.length ?? 0) / audio.sampleRate - expected) < 0.08, format);
      assert.ok(Math.abs(result.durationSeconds - expected) < 0.08, `${format}: ${result.durationSeconds}`);
    }
  });

  test('speed outside 0.7–1.2 is refused; a missing voice uses default_voice, else refused', async () => {
    await assert.rejects(generated(engine, spoken({ speed: 1.5 })), rejected('invalid_input', /0.7 to 1.2/));
    await assert.rejects(generated(engine, spoken({ voice: undefined })), rejected('refused', /default_voice/));
    await generated(engineFor(eleven, { default_voice: VOICE }), spoken({ voice: undefined, format: 'pcm' }));
    assert.equal(eleven.requests.at(-1)?.path, `/v1/text-to-speech/${VOICE}/stream`);
    await assert.rejects(generated(engine, spoken({ voice: 'nobody' })), rejected('invalid_input', /voice_not_found|not found/));
  });

  test('no free slot: waits up to speech_wait_seconds; system_busy is capacity at once', async () => {
    eleven.faults.push({ kind: 'concurrent' });
    await generated(engine, spoken());
    const impatient = engineFor(eleven, { ...QUICK, speech_wait_seconds: 0 });
    let before = eleven.requests.length;
    eleven.faults.push({ kind: 'concurrent' });
    await assert.rejects(generated(impatient, spoken()), rejected('capacity'));
    assert.equal(eleven.requests.length, before + 1);
    before = eleven.requests.length;
    eleven.faults.push({ kind: 'system_busy', retryAfterSeconds: 30 });
    await assert.rejects(generated(engine, spoken()), rejected('capacity', /system_busy/));
    assert.equal(eleven.requests.length, before + 1);
  });

  test('narration: parts with their neighbours as context, in 24 kHz PCM, joined in the client format', async () => {
    const narrator = engineFor(eleven, { ...QUICK, max_characters: 100 });
    const text = Array.from({ length: 5 }, (_, i) => `Sentence ${i + 1} walks a long road to the sea at dusk.`).join(' ');
    const before = eleven.requests.length;
    const {
      sink,
      result,
      fractions: progress,
    } = await generated(narrator, spoken({ modelType: 'music', prompt: text, format: 'flac', options: { kind: 'narration' } }));
    const parts = eleven.requests.slice(before);
    assert.ok(parts.length >= 3);
    assert.ok(parts.every((part) => part.outputFormat === 'pcm_24000' && String(part.body.text).length <= 100));
    assert.equal(parts[1]?.body.previous_text, parts[0]?.body.text);
    assert.equal(parts[1]?.body.next_text, parts[2]?.body.text);
    assert.equal(progress.at(-1), 1);
    const audio = await decodeAudio(sink.bytes(), 'flac');
    assert.ok(Math.abs((audio.channels[0]?.length ?? 0) / audio.sampleRate - result.durationSeconds) < 0.01);
  });
});

describe('elevenlabs: voices', () => {
  const signal = () => new AbortController().signal;

  test("GET /v1/voices with the key: ids, names and languages, plus the instance's names for listed voices", async () => {
    const eleven = await fake();
    const engine = engineFor(eleven, { ...QUICK, voices: { rachel: VOICE, gone: 'notAVoiceId' } });
    const voices = await engine.voices?.(signal());
    assert.deepEqual(voices, [
      { id: 'rachel', name: 'Rachel', language: 'en' },
      { id: VOICE, name: 'Rachel', language: 'en' },
      { id: 'EXAVITQu4vr4xnSDxMaL', name: 'Sarah', language: 'en' },
    ]);
    assert.equal(eleven.voiceListings(), 1);
  });

  test('a refused key, a 500, malformed JSON or no answer in time rejects', async () => {
    const eleven = await fake();
    // Only the hang meets the short timeout: a loaded machine may take longer than it to answer the others.
    const engine = engineFor(eleven, QUICK);
    eleven.voiceFaults.push({ kind: 'unauthorized' }, { kind: 'server_error' }, { kind: 'malformed_json' }, { kind: 'hang' });
    await assert.rejects(engine.voices!(signal()), (error) => error instanceof EngineRejection && error.kind === 'refused');
    await assert.rejects(engine.voices!(signal()), UpstreamFailure);
    await assert.rejects(engine.voices!(signal()), /malformed JSON/);
    await assert.rejects(engineFor(eleven, QUICK, { requestTimeoutMs: 300 }).voices!(signal()), /no answer within 300 ms/);
  });
});

describe('elevenlabs: composition plans', () => {
  test('lyrics split at headers and blank lines; long lines wrapped, long sections continued', () => {
    const long = `${'word '.repeat(60).trim()}`;
    const sections = lyricSections(`first line\nsecond line\n\n[Chorus]\n\nhook\n(Bridge)\n[Outro]\n${long}\n${'x\n'.repeat(31)}`);
    assert.deepEqual(
      sections.map((section) => [section.name, section.lines.length]),
      [
        ['Verse 1', 2],
        ['Chorus', 1],
        ['Bridge', 0],
        ['Outro', 30],
        ['Outro (continued)', 3],
      ],
    );
    assert.ok(sections[3]?.lines.every((line) => line.length <= 200));
  });

  test('durations sum to the length, each within 3–120 s; sections merge or grow to fit', () => {
    const sections = lyricSections('a\nb\nc\n\nd\n\ne\nf');
    for (const total of [9000, 10_001, 60_000, 360_000]) {
      const fitted = fitSections(sections, total);
      const durations = sectionDurations(fitted, total);
      assert.equal(
        durations.reduce((sum, ms) => sum + ms, 0),
        total,
      );
      assert.ok(
        durations.every((ms) => Number.isInteger(ms) && ms >= 3000 && ms <= 120_000),
        `${total}: ${durations}`,
      );
    }
    assert.equal(fitSections(sections, 6000).length, 2, 'merged to fit 6 s');
    assert.equal(fitSections(sections, 600_000).length, 5, 'instrumental sections added to fill 10 min');
    assert.throws(() => fitSections(lyricSections(`${'x\n'.repeat(30)}\n${'y\n'.repeat(30)}`), 5000), rejected('invalid_input'));
  });

  test('without a length, sections last 4 s per line plus 4 s', () => {
    const plan = compositionPlan('pop', 'a\nb', undefined, 'chunks') as { chunks: { duration_ms: number }[] };
    assert.deepEqual(
      plan.chunks.map((chunk) => chunk.duration_ms),
      [12_000],
    );
  });
});

describe('elevenlabs: settings', () => {
  const create = (url: string | undefined, options: Record<string, unknown> = {}) =>
    elevenlabsAdapter.create(
      { name: 'el', url, apiKey: KEY, concurrency: 2, requestTimeoutMs: 1000, maxResponseBytes: 1 << 20, options },
      { threads: false, fetch },
    );

  test('clear messages for bad urls, options and engine_options', async () => {
    assert.throws(() => create('https://api.elevenlabs.io/v1'), /without \/v1/);
    assert.throws(() => create('ftp://x'), /http or https/);
    assert.throws(() => create(undefined, { mp3_format: 'mp3_8000_8' }), /options\.mp3_format: must be one of/);
    assert.throws(() => create(undefined, { speech_pcm_rate: 11025 }), /options\.speech_pcm_rate/);
    assert.throws(() => create(undefined, { voice: {} }), /options\.voice: unknown option/);
    const engine = create(undefined);
    await assert.rejects(generated(engine, request({ options: { kind: 'song' } })), rejected('refused', /engine_options\.kind/));
    await assert.rejects(generated(engine, spoken({ options: { kind: 'music' } })), rejected('refused', /music rows only/));
  });

  test('declares its formats, capabilities and defaults', () => {
    const engine = create(undefined);
    assert.deepEqual(engine.formats, ['mp3', 'wav', 'flac', 'opus', 'pcm']);
    assert.deepEqual(engine.capabilities, {
      types: ['music', 'tts'],
      features: ['lyrics', 'force_instrumental', 'duration', 'loop', 'speed', 'language_code'],
    });
    assert.equal(elevenlabsAdapter.remote, true);
    assert.equal(elevenlabsAdapter.defaultConcurrency, 2);
  });
});
