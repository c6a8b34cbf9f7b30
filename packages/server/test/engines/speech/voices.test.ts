import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { guessGender, mapPublicVoice } from '../../../src/engines/speech/public-voice-map.js';
import { resolveVoice } from '../../../src/engines/speech/resolve-voice.js';
import { findSpeechLanguage, SPEECH_LANGUAGES } from '../../../src/engines/speech/speech-languages.js';
import { DEFAULT_SPEECH_VOICE, findSpeechVoice, SPEECH_VOICES } from '../../../src/engines/speech/speech-voices.js';

const voiceOf = (name: string) => findSpeechVoice(mapPublicVoice(name));

describe('voice table', () => {
  it('has at least 8 distinct English voices and a valid default', () => {
    const english = SPEECH_VOICES.filter((voice) => voice.language === 'en');
    assert.ok(english.length >= 8);
    assert.ok(english.some((voice) => voice.gender === 'female') && english.some((voice) => voice.gender === 'male'));
    const timbres = new Set(english.map((voice) => `${voice.timbre.pitchLow}/${voice.timbre.formantPercent}/${voice.rate}`));
    assert.equal(timbres.size, english.length);
    assert.equal(findSpeechVoice(DEFAULT_SPEECH_VOICE)?.language, 'en');
    assert.equal(new Set(SPEECH_VOICES.map((voice) => voice.name)).size, SPEECH_VOICES.length);
  });

  it('covers at least 10 languages with voices, and more for speaking', () => {
    assert.ok(new Set(SPEECH_VOICES.map((voice) => voice.language)).size >= 10);
    assert.ok(SPEECH_LANGUAGES.length >= 30);
    assert.equal(findSpeechLanguage('pt-BR')?.accent, 'pt-br');
    assert.equal(findSpeechLanguage('en_GB')?.accent, 'en-gb-x-rp');
    assert.equal(findSpeechLanguage('zh')?.accent, 'cmn');
    assert.equal(findSpeechLanguage('xx'), undefined);
  });
});

describe('mapPublicVoice', () => {
  it('keeps built-in names', () => {
    for (const voice of SPEECH_VOICES) assert.equal(mapPublicVoice(voice.name.toUpperCase()), voice.name);
  });

  it('maps Kokoro names by language and gender', () => {
    const expectations: [string, string, string][] = [
      ['af_sky', 'en', 'female'],
      ['am_adam', 'en', 'male'],
      ['bf_emma', 'en', 'female'],
      ['bm_george', 'en', 'male'],
      ['jf_alpha', 'ja', 'female'],
      ['jm_kumo', 'ja', 'male'],
      ['zf_xiaobei', 'zh', 'female'],
      ['zm_yunxi', 'zh', 'male'],
      ['ef_dora', 'es', 'female'],
      ['em_alex', 'es', 'male'],
      ['ff_siwis', 'fr', 'female'],
      ['hf_alpha', 'hi', 'female'],
      ['hm_omega', 'hi', 'male'],
      ['if_sara', 'it', 'female'],
      ['im_nicola', 'it', 'male'],
      ['pf_dora', 'pt', 'female'],
      ['pm_alex', 'pt', 'male'],
    ];
    for (const [name, language, gender] of expectations) {
      const voice = voiceOf(name);
      assert.equal(voice?.language, language, name);
      assert.equal(voice?.gender, gender, name);
    }
    assert.ok(voiceOf('bf_emma')?.accent.startsWith('en-gb'));
    assert.ok(!voiceOf('af_sky')?.accent.startsWith('en-gb'));
  });

  it('maps every catalogue voice deterministically to an existing voice', () => {
    const catalog = JSON.parse(readFileSync('/work/shared/spec/venice-models.json', 'utf8')) as {
      data: { model_spec?: { voices?: string[] } }[];
    };
    const names = catalog.data.flatMap((model) => model.model_spec?.voices ?? []);
    assert.ok(names.length > 100);
    for (const name of names) {
      const mapped = mapPublicVoice(name);
      assert.ok(findSpeechVoice(mapped), `${name} → ${mapped}`);
      assert.equal(mapPublicVoice(name), mapped);
    }
    const spread = new Set(names.map(mapPublicVoice));
    assert.ok(spread.size >= 6, `only ${spread.size} voices used`);
  });

  it('guesses gender for other vendors', () => {
    for (const name of ['Aria', 'Rachel', 'Sarah', 'CalmWoman', 'LivelyGirl', 'Charlotte']) assert.equal(guessGender(name), 'female', name);
    for (const name of ['Roger', 'Brian', 'DeepVoiceMan', 'George', 'Charlie', 'YoungKnight'])
      assert.equal(guessGender(name), 'male', name);
    assert.equal(voiceOf('Rachel')?.gender, 'female');
    assert.equal(voiceOf('Roger')?.gender, 'male');
    assert.equal(voiceOf('Roger')?.language, 'en');
  });
});

describe('resolveVoice', () => {
  it('applies speed through the rate and stretches beyond eSpeak limits', () => {
    const normal = resolveVoice({ voice: 'noah', speed: 1 });
    assert.equal(normal.rate, 170);
    assert.equal(normal.tempo, 1);
    const slow = resolveVoice({ voice: 'noah', speed: 0.25 });
    assert.equal(slow.rate, 80);
    assert.ok(Math.abs(slow.tempo - 42.5 / 80) < 1e-9);
    assert.equal(resolveVoice({ voice: 'noah', speed: 9 }).speed, 4);
  });

  it('picks a voice for the language when none is named, keeps timbre when one is', () => {
    assert.equal(resolveVoice({ language: 'de' }).voice.name, 'greta');
    const mixed = resolveVoice({ voice: 'oscar', language: 'fr' });
    assert.equal(mixed.voice.name, 'oscar');
    assert.equal(mixed.accent, 'fr');
    assert.equal(resolveVoice({ voice: 'alba', language: 'en' }).accent, 'en-gb-x-rp');
  });
});
