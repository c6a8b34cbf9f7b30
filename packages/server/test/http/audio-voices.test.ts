import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FakeOpenAiSpeech, startFakeOpenAiSpeech } from '../support/fake-openai-speech-server.js';
import { startTestApp, type TestApp, toneCatalogFile, waitForMedia } from '../support/test-app.js';

const KOKORO_VOICES = ['af_heart', 'af_bella', 'af_sky', 'am_adam', 'am_michael', 'bf_emma', 'bm_george'];
/** Nothing listens here: an instance whose upstream is down. */
const DOWN = 'http://127.0.0.1:9/v1';

/**
 * The default catalog with `overture-tts` and `overture-narrator` served by a Kokoro instance and
 * listing no voices (theirs live upstream), plus rows on an instance that is down, with and without
 * voices of their own, and one that fails over from the down instance to Kokoro.
 */
function catalogFor(directory: string): string {
  const path = toneCatalogFile(directory, undefined, 'voices.json');
  const data = JSON.parse(readFileSync(path, 'utf8'));
  const byId = (id: string) => data.models.find((model: { id: string }) => model.id === id);
  const upstreamVoices = (model: { engine: unknown; engine_options?: unknown; model_spec: Record<string, unknown> }, engine: unknown) => {
    model.engine = engine;
    model.engine_options = { model: 'kokoro' };
    delete model.model_spec.voices;
    delete model.model_spec.default_voice;
    return model;
  };
  const tts = byId('overture-tts');
  upstreamVoices(tts, 'kokoro');
  upstreamVoices(byId('overture-narrator'), 'kokoro');
  data.models.push(
    upstreamVoices({ ...structuredClone(tts), id: 'tts-down' }, 'down'),
    {
      ...structuredClone(tts),
      id: 'tts-down-listed',
      engine: 'down',
      model_spec: { ...tts.model_spec, voices: ['af_heart', 'af_sky'], default_voice: 'af_heart' },
    },
    upstreamVoices({ ...structuredClone(tts), id: 'tts-failover' }, ['down', 'kokoro']),
  );
  writeFileSync(path, JSON.stringify(data));
  return path;
}

describe('GET /audio/voices and upstream voices at request time', () => {
  let kokoro: FakeOpenAiSpeech;
  let t: TestApp;
  let offset = 0;
  const balance = async () => (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json().balances.usd;
  const jobs = async () => Object.values(await t.app.store.statistics.countJobs()).reduce((sum, n) => sum + n, 0);

  before(async () => {
    kokoro = await startFakeOpenAiSpeech({ voices: KOKORO_VOICES, secondsPerCharacter: 0.002 });
    const directory = mkdtempSync(join(tmpdir(), 'overture-voices-'));
    const engines = join(directory, 'engines.json');
    const remote = { adapter: 'openai-speech', timeout_seconds: 5, options: { voices: { narrator: 'af_bella+af_sky' } } };
    writeFileSync(
      engines,
      JSON.stringify({ engines: { tone: { adapter: 'tone' }, kokoro: { ...remote, url: kokoro.url }, down: { ...remote, url: DOWN } } }),
    );
    t = await startTestApp({
      directory,
      env: { OVERTURE_CATALOG: catalogFor(directory), OVERTURE_ENGINES: engines, OVERTURE_ENGINE_THREADS: 'false' },
      parts: { now: () => Date.now() + offset },
    });
  });
  after(async () => {
    await t?.close();
    await kokoro?.close();
  });

  test("a row that lists its voices answers them without asking any upstream; unknown models are the contract's 404", async () => {
    const music = await t.request('GET', '/api/v1/audio/voices?model=overture-music');
    assert.equal(music.statusCode, 200);
    assert.deepEqual(music.json(), {
      object: 'list',
      model: 'overture-music',
      data: ['soprano', 'alto', 'tenor', 'baritone'].map((id) => ({ id, name: id, language: null })),
    });
    const listed = (await t.request('GET', '/api/v1/audio/voices?model=tts-down-listed')).json();
    assert.deepEqual(
      listed.data.map((voice: { id: string }) => voice.id),
      ['af_heart', 'af_sky'],
      "the row's list, its upstream being down",
    );
    const unknown = await t.request('GET', '/api/v1/audio/voices?model=no-such-model');
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json(), { error: 'Specified model not found' });
    const missing = await t.request('GET', '/api/v1/audio/voices');
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(missing.json().issues[0].path, ['model']);
    assert.equal((await t.request('GET', '/api/v1/audio/voices?model=overture-music', undefined, null)).statusCode, 401);
    assert.equal(kokoro.voiceListings(), 0);
  });

  test("a row without voices answers its upstream's, asked once within the cache time", async () => {
    const answer = await t.request('GET', '/api/v1/audio/voices?model=overture-tts');
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(answer.json(), {
      object: 'list',
      model: 'overture-tts',
      data: [{ id: 'narrator', name: 'af_bella+af_sky', language: null }, ...KOKORO_VOICES.map((id) => ({ id, name: id, language: null }))],
    });
    const again = await Promise.all([
      t.request('GET', '/api/v1/audio/voices?model=overture-tts'),
      t.request('GET', '/api/v1/audio/voices?model=overture-narrator'),
      t.request('GET', '/api/v1/audio/voices?model=tts-failover'),
    ]);
    for (const response of again) assert.equal(response.json().data.length, KOKORO_VOICES.length + 1);
    assert.equal(kokoro.voiceListings(), 1, 'one instance, one question within the cache time');
  });

  test('an upstream that is down answers no voices, and never fails the request', async () => {
    const down = await t.request('GET', '/api/v1/audio/voices?model=tts-down');
    assert.equal(down.statusCode, 200);
    assert.deepEqual(down.json(), { object: 'list', model: 'tts-down', data: [] });
  });

  test("a voice the upstream does not list is the contract's 400 at queue and speech time, with nothing reserved", async () => {
    const usd = await balance();
    const queued = await jobs();
    const speech = await t.request('POST', '/api/v1/audio/speech', { model: 'overture-tts', input: 'Hello there.', voice: 'nova' });
    const queue = await t.request('POST', '/api/v1/audio/queue', {
      model: 'overture-narrator',
      prompt: 'Once upon a time.',
      voice: 'nova',
    });
    for (const response of [speech, queue]) {
      assert.equal(response.statusCode, 400);
      const body = response.json();
      assert.equal(body.error, 'Invalid request parameters');
      assert.deepEqual(body.issues[0].path, ['voice']);
      assert.match(body.issues[0].message, /narrator, af_heart, af_bella, af_sky, am_adam; GET \/api\/v1\/audio\/voices\?model=overture-/);
      assert.deepEqual(body.details.voice._errors, [body.issues[0].message]);
    }
    assert.equal(await balance(), usd, 'nothing was reserved');
    assert.equal(await jobs(), queued, 'no job was made');
    assert.equal(kokoro.requests.length, 0, 'nothing was sent upstream');
  });

  test('a listed voice, or a name of the instance for listed voices, is accepted and spoken', async () => {
    const spoken = await t.request('POST', '/api/v1/audio/speech', { model: 'overture-tts', input: 'Hello there.', voice: 'af_sky' });
    assert.equal(spoken.statusCode, 200, spoken.body);
    assert.equal(spoken.headers['content-type'], 'audio/mpeg');
    const queued = await t.request('POST', '/api/v1/audio/queue', {
      model: 'overture-narrator',
      prompt: 'Once upon a time.',
      voice: 'narrator',
    });
    assert.equal(queued.statusCode, 200);
    const media = await waitForMedia(t, 'overture-narrator', queued.json().queue_id);
    assert.equal(media.headers['content-type'], 'audio/mpeg');
    assert.equal(kokoro.requests.at(-1)?.voice, 'af_bella+af_sky', "the instance's name, mapped");
    assert.equal(kokoro.voiceListings(), 1, 'still the cached list');
  });

  test('while the list cannot be had, any voice is accepted: a wrong one fails later, not at validation', async () => {
    const usd = await balance();
    const answer = await t.request('POST', '/api/v1/audio/speech', { model: 'tts-down', input: 'Hello there.', voice: 'anything' });
    assert.equal(answer.statusCode, 503, 'the upstream is down: capacity, not a validation error');
    assert.equal(await balance(), usd, 'the hold was released');
  });

  test('after the cache time the upstream is asked again; a failed listing keeps the request going', async () => {
    offset += 301_000;
    kokoro.voiceFaults.push({ kind: 'server_error' });
    const usd = await balance();
    const failed = await t.request('GET', '/api/v1/audio/voices?model=overture-tts');
    assert.deepEqual(failed.json().data, [], 'no list, no error');
    assert.equal(kokoro.voiceListings(), 2);
    const accepted = await t.request('POST', '/api/v1/audio/speech', { model: 'overture-tts', input: 'Hello there.', voice: 'nova' });
    assert.equal(accepted.statusCode, 400);
    assert.match(accepted.json().error, /Voice 'nova' not found/, "Kokoro's own answer, not Overture's validation");
    assert.equal(kokoro.voiceListings(), 2, 'a failed listing is remembered for a while too');
    assert.equal(await balance(), usd);
    offset += 31_000;
    const listed = await t.request('GET', '/api/v1/audio/voices?model=overture-tts');
    assert.equal(listed.json().data.length, KOKORO_VOICES.length + 1);
    assert.equal(kokoro.voiceListings(), 3);
  });
});
