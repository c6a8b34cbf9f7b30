/**
 * The voice names OpenAI- and Venice-written clients send (OpenAI's voices, Venice's Kokoro list)
 * are accepted by the default catalog's speech models, map to a built-in voice of a fitting gender
 * and accent (the table in docs/catalog.md), and each one synthesizes through `/audio/speech`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { mapPublicVoice, OPENAI_VOICES } from '../../../src/engines/speech/public-voice-map.js';
import { findSpeechVoice } from '../../../src/engines/speech/speech-voices.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const catalogs = resolve(import.meta.dirname, '../../../catalogs');
type Row = { id: string; model_spec: { voices?: string[] } };
const rows = (preset: string): Row[] => JSON.parse(readFileSync(resolve(catalogs, `${preset}.json`), 'utf8')).models;

/** OpenAI's voices and their gender as docs/catalog.md gives it (`alloy`, neutral, is read as female). */
const OPENAI_GENDERS: Readonly<Record<string, 'female' | 'male'>> = {
  alloy: 'female',
  ash: 'male',
  ballad: 'male',
  coral: 'female',
  echo: 'male',
  fable: 'male',
  nova: 'female',
  onyx: 'male',
  sage: 'female',
  shimmer: 'female',
  verse: 'male',
  marin: 'female',
  cedar: 'male',
};
/** Venice's Kokoro voices, as its public list (the venice preset's tts-kokoro row) names them. */
const KOKORO = rows('venice').find((row) => row.id === 'tts-kokoro')?.model_spec.voices ?? [];
/** Kokoro's first letter: the language, and for English whether it is British. */
const KOKORO_LANGUAGE: Readonly<Record<string, string>> = {
  a: 'en',
  b: 'en',
  e: 'es',
  f: 'fr',
  h: 'hi',
  i: 'it',
  j: 'ja',
  p: 'pt',
  z: 'zh',
};
const CLIENT_NAMES = [...Object.keys(OPENAI_GENDERS), ...KOKORO];

describe('voice names clients send', () => {
  test('the lists are complete: every OpenAI voice is mapped, and Venice lists its Kokoro voices', () => {
    assert.deepEqual(Object.keys(OPENAI_VOICES).sort(), Object.keys(OPENAI_GENDERS).sort());
    assert.ok(KOKORO.length >= 50, `${KOKORO.length} Kokoro voices`);
    for (const prefix of ['af_', 'am_', 'bf_', 'bm_'])
      assert.ok(
        KOKORO.some((name) => name.startsWith(prefix)),
        prefix,
      );
  });

  test("the default catalog's speech models accept each of them", () => {
    for (const id of ['overture-tts', 'overture-narrator']) {
      const voices = rows('default').find((row) => row.id === id)?.model_spec.voices ?? [];
      const missing = CLIENT_NAMES.filter((name) => !voices.includes(name));
      assert.deepEqual(missing, [], `${id} accepts every client voice name`);
    }
  });

  test('each maps to a built-in voice of its gender, language and accent', () => {
    for (const [name, gender] of Object.entries(OPENAI_GENDERS)) {
      const voice = findSpeechVoice(mapPublicVoice(name));
      assert.equal(voice?.gender, gender, name);
      assert.equal(voice?.language, 'en', name);
    }
    for (const name of KOKORO) {
      const voice = findSpeechVoice(mapPublicVoice(name));
      assert.equal(voice?.gender, name[1] === 'f' ? 'female' : 'male', name);
      assert.equal(voice?.language, KOKORO_LANGUAGE[name[0] as string], name);
      if (name[0] === 'a') assert.equal(voice?.accent, 'en-us', name);
      if (name[0] === 'b') assert.notEqual(voice?.accent, 'en-us', name);
    }
  });

  describe('through /audio/speech on the default catalog', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ env: { OVERTURE_CATALOG: 'default', OVERTURE_RATE_LIMIT_QUEUE: '1000' } });
    });
    after(() => t.close());

    test('every name gives audio', async () => {
      for (const voice of CLIENT_NAMES) {
        const spoken = await t.request('POST', '/api/v1/audio/speech', {
          model: 'overture-tts',
          input: 'Hello.',
          voice,
          response_format: 'wav',
        });
        assert.equal(spoken.statusCode, 200, `${voice}: ${spoken.body.slice(0, 200)}`);
        assert.equal(spoken.rawPayload.subarray(0, 4).toString('latin1'), 'RIFF', voice);
        assert.ok(spoken.rawPayload.length > 4000, `${voice}: ${spoken.rawPayload.length} bytes`);
      }
    });
  });
});
