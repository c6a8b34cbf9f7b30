import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAUSES, splitUtterances } from '../../../src/engines/speech/sentence-splitter.js';
import { changePlaybackRate } from '../../../src/engines/speech/playback-rate.js';
import { timeStretch } from '../../../src/engines/speech/time-stretch.js';
import { estimatePitch } from '../../../src/engines/speech/pitch-estimate.js';

describe('splitUtterances', () => {
  it('splits sentences, lines and paragraphs with growing pauses', () => {
    const text = 'Hello there. How are you?\nA heading\n\nNew paragraph! 日本語です。次の文。';
    const pieces = [...splitUtterances(text)];
    assert.deepEqual(
      pieces.map((piece) => piece.text),
      ['Hello there.', 'How are you?', 'A heading', 'New paragraph!', '日本語です。', '次の文。'],
    );
    assert.deepEqual(
      pieces.map((piece) => piece.pauseSeconds),
      [PAUSES.sentence, PAUSES.line, PAUSES.paragraph, PAUSES.sentence, PAUSES.sentence, PAUSES.paragraph],
    );
    for (let index = 1; index < pieces.length; index++) assert.ok(pieces[index]!.end > pieces[index - 1]!.end);
    assert.ok(pieces.at(-1)!.end <= text.length);
  });

  it('cuts very long sentences at clause boundaries and skips unspeakable ones', () => {
    const long = Array.from({ length: 40 }, (_, index) => `clause number ${index}`).join(', ') + '.';
    const pieces = [...splitUtterances(`${long} ... !!! Done.`)];
    assert.ok(pieces.length >= 3);
    for (const piece of pieces) assert.ok(piece.text.length <= 320);
    assert.equal(pieces.at(-1)!.text, 'Done.');
    assert.equal(
      pieces
        .map((piece) => piece.text)
        .join(' ')
        .replace(/\s+/g, ' '),
      `${long} Done.`,
    );
  });
});

describe('signal helpers', () => {
  const sine = (hertz: number, seconds: number, rate: number) =>
    Float32Array.from({ length: Math.round(seconds * rate) }, (_, index) => 0.5 * Math.sin((2 * Math.PI * hertz * index) / rate));

  it('timeStretch changes length but not pitch', () => {
    const input = sine(200, 1, 22050);
    for (const tempo of [0.4, 2.5]) {
      const output = timeStretch(input, tempo, 22050);
      assert.equal(output.length, Math.round(22050 / tempo));
      const pitch = estimatePitch(output.subarray(2000, 6000), 22050, { minHz: 100, maxHz: 400 });
      assert.ok(Math.abs(pitch / 200 - 1) < 0.01, `tempo ${tempo}: ${pitch}`);
    }
  });

  it('changePlaybackRate shifts pitch by the rate ratio', () => {
    const output = changePlaybackRate(sine(200, 0.5, 22050), 22050 * 1.05, 44100);
    const pitch = estimatePitch(output.subarray(4000, 12000), 44100, { minHz: 100, maxHz: 400 });
    assert.ok(Math.abs(pitch / 210 - 1) < 0.002, `${pitch}`);
  });
});
