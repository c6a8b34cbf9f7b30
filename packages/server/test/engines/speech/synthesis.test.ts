import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { medianPitch } from '../../../src/engines/speech/pitch-estimate.js';
import { SPEECH_SAMPLE_RATE, synthesize, synthesizeSentences } from '../../../src/engines/speech/speech-synthesizer.js';
import { SPEECH_VOICES } from '../../../src/engines/speech/speech-voices.js';

const SPEECH_PITCH = { minHz: 60, maxHz: 400 };

const SENTENCE = 'We were away a year ago, and now we are all here.';
const seconds = (audio: { channels: readonly Float32Array[] }) => (audio.channels[0] as Float32Array).length / SPEECH_SAMPLE_RATE;

describe('synthesize', () => {
  it('produces speech-like mono audio at 22050 Hz', async () => {
    const audio = await synthesize('Hello world.');
    assert.equal(audio.sampleRate, SPEECH_SAMPLE_RATE);
    assert.equal(audio.channels.length, 1);
    assert.ok(seconds(audio) > 0.4 && seconds(audio) < 3, `${seconds(audio)} s`);
    const peak = (audio.channels[0] as Float32Array).reduce((max, value) => Math.max(max, Math.abs(value)), 0);
    assert.ok(peak > 0.1 && peak <= 1, `peak ${peak}`);
  });

  it('gives a female voice a clearly higher pitch than a male voice', async () => {
    const female = medianPitch(
      (await synthesize(SENTENCE, { voice: 'iris' })).channels[0] as Float32Array,
      SPEECH_SAMPLE_RATE,
      SPEECH_PITCH,
    );
    const male = medianPitch(
      (await synthesize(SENTENCE, { voice: 'oscar' })).channels[0] as Float32Array,
      SPEECH_SAMPLE_RATE,
      SPEECH_PITCH,
    );
    assert.ok(male > 60 && male < 140, `male ${male}`);
    assert.ok(female > 1.6 * male, `female ${female} vs male ${male}`);
  });

  it('makes every English voice measurably different (pitch or length)', async () => {
    const english = SPEECH_VOICES.filter((voice) => voice.language === 'en');
    const measures: { name: string; pitch: number; length: number }[] = [];
    for (const voice of english) {
      const audio = await synthesize(SENTENCE, { voice: voice.name });
      measures.push({
        name: voice.name,
        pitch: medianPitch(audio.channels[0] as Float32Array, SPEECH_SAMPLE_RATE, SPEECH_PITCH),
        length: seconds(audio),
      });
    }
    for (let a = 0; a < measures.length; a++) {
      for (let b = a + 1; b < measures.length; b++) {
        const first = measures[a]!;
        const second = measures[b]!;
        const pitchDiffers = Math.abs(first.pitch / second.pitch - 1) > 0.04;
        const lengthDiffers = Math.abs(first.length / second.length - 1) > 0.04;
        assert.ok(pitchDiffers || lengthDiffers, `${first.name} and ${second.name} sound alike: ${JSON.stringify([first, second])}`);
      }
    }
  });

  it('scales duration inversely with speed, also beyond eSpeak rate limits', async () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    const base = seconds(await synthesize(text, { speed: 1 }));
    for (const speed of [0.25, 0.5, 2, 4]) {
      const ratio = seconds(await synthesize(text, { speed })) / base;
      assert.ok(Math.abs(ratio * speed - 1) < 0.2, `speed ${speed}: length ratio ${ratio.toFixed(3)}`);
    }
  });

  it('speaks another language differently', async () => {
    const text = 'Guten Morgen, die Sonne scheint heute.';
    const english = (await synthesize(text, { voice: 'noah', language: 'en' })).channels[0] as Float32Array;
    const german = (await synthesize(text, { voice: 'noah', language: 'de' })).channels[0] as Float32Array;
    assert.notEqual(english.length, german.length);
    const japanese = (await synthesize('こんにちは、世界。', { language: 'ja' })).channels[0] as Float32Array;
    assert.ok(japanese.length / SPEECH_SAMPLE_RATE > 0.5, 'Japanese text is spoken');
  });

  it('is deterministic, also when requests interleave', async () => {
    const text = 'First sentence here. Second one follows! A third?';
    const alone = (await synthesize(text, { voice: 'maya' })).channels[0] as Float32Array;
    const [again, other] = await Promise.all([
      synthesize(text, { voice: 'maya' }),
      synthesize('Something else entirely, at a different pace.', { voice: 'felix', speed: 1.7 }),
    ]);
    assert.deepEqual(again.channels[0], alone);
    assert.ok((other.channels[0] as Float32Array).length > 0);
  });
});

describe('synthesizeSentences', () => {
  it('yields one piece per sentence with rising progress and longer pauses at paragraphs', async () => {
    const text = 'One small sentence. Another small sentence.\n\nA new paragraph. The end.';
    const pieces = [];
    for await (const piece of synthesizeSentences(text, { voice: 'ava' })) pieces.push(piece);
    assert.equal(pieces.length, 4);
    for (let index = 1; index < pieces.length; index++) assert.ok(pieces[index]!.progress > pieces[index - 1]!.progress);
    assert.equal(pieces.at(-1)!.progress, 1);
    const trailingSilence = (samples: Float32Array) => {
      let count = 0;
      while (count < samples.length && Math.abs(samples[samples.length - 1 - count] as number) < 0.005) count++;
      return count / SPEECH_SAMPLE_RATE;
    };
    const sentencePause = trailingSilence(pieces[0]!.audio.channels[0] as Float32Array);
    const paragraphPause = trailingSilence(pieces[1]!.audio.channels[0] as Float32Array);
    assert.ok(sentencePause > 0.3 && paragraphPause > sentencePause + 0.3, `${sentencePause} ${paragraphPause}`);
  });
});
