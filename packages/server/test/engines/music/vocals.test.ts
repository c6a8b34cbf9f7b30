import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { composeForRequest, createMusicEngine } from '../../../src/engines/music/music-engine.js';
import { lyricsFor } from '../../../src/engines/music/vocals/add-vocals.js';
import { writeLyrics } from '../../../src/engines/music/vocals/lyrics-writer.js';
import { syllabifyLine, syllabifyWord } from '../../../src/engines/music/vocals/syllabify.js';
import { buildVocalLine, fitSyllables, parseLyrics } from '../../../src/engines/music/vocals/vocal-line.js';
import { decodeWav, MemorySink } from '../../support/audio-decode.js';
import { callOptions, musicRequest } from './support/music-request.js';

const engine = createMusicEngine();
after(() => engine.close?.());

describe('vocal line', () => {
  const words: [string, string[]][] = [
    ['beautiful', ['beau', 'ti', 'ful']],
    ['love', ['love']],
    ['summer', ['sum', 'mer']],
    ['baby', ['ba', 'by']],
    ['tonight', ['to', 'night']],
    ['loved', ['loved']],
    ['wanted', ['wan', 'ted']],
    ['little', ['lit', 'tle']],
    ['flying', ['fly', 'ing']],
    ['I', ['I']],
  ];
  for (const [word, syllables] of words) it(`syllabifies "${word}"`, () => assert.deepEqual(syllabifyWord(word), syllables));

  it('splits lines into syllables without punctuation', () => {
    assert.deepEqual(syllabifyLine('Hello, summer-time!'), ['Hel', 'lo', 'sum', 'mer', 'time']);
  });

  it('reads tagged lyric blocks', () => {
    const blocks = parseLyrics('[Verse 1]\nfirst line\nsecond line\n\n[Chorus]\nhook line\nChorus:\nagain');
    assert.deepEqual(
      blocks.map((block) => [block.kind, block.lines.length]),
      [
        ['verse', 2],
        ['chorus', 1],
        ['chorus', 1],
      ],
    );
  });

  it('fits syllables to notes: splits long notes, merges spare notes into the last syllable', () => {
    const notes = [0, 1].map((index) => ({ pitch: 60 + index, startSeconds: index, durationSeconds: 1, phrase: 0 }));
    const more = fitSyllables(['a', 'b', 'c'], notes);
    assert.deepEqual(
      more.map((note) => [note.syllable, note.midiPitch, note.startSeconds, note.durationSeconds]),
      [
        ['a', 60, 0, 0.5],
        ['b', 60, 0.5, 0.5],
        ['c', 61, 1, 1],
      ],
    );
    const fewer = fitSyllables(['la'], notes);
    assert.deepEqual(
      fewer.map((note) => [note.syllable, note.startSeconds, note.durationSeconds]),
      [['la', 0, 2]],
    );
  });

  it('sings every lyric syllable on melody notes in a comfortable range', () => {
    const score = composeForRequest({ prompt: 'pop song', durationSeconds: 30, seed: 2, loop: false });
    const line = buildVocalLine(score, 'walking on the sunny side of the street');
    assert.ok(line.length > 0);
    assert.deepEqual(
      line.slice(0, 10).map((note) => note.syllable),
      ['wal', 'king', 'on', 'the', 'sun', 'ny', 'side', 'of', 'the', 'street'],
    );
    for (const note of line) {
      assert.ok(note.midiPitch >= 48 && note.midiPitch <= 76, String(note.midiPitch));
      assert.ok(note.startSeconds + note.durationSeconds <= score.durationSeconds);
    }
  });

  it('writes rhymed, themed lyrics deterministically', () => {
    const lyrics = writeLyrics('a happy summer song about the ocean', 'happy', 5);
    assert.equal(lyrics, writeLyrics('a happy summer song about the ocean', 'happy', 5));
    assert.match(lyrics, /\[Verse\][\s\S]*\[Chorus\]/);
    assert.match(lyrics, /summer/);
    assert.notEqual(lyrics, writeLyrics('a dark song about the city at night', 'dark', 5));
  });

  it('has no lyrics for instrumentals', () => {
    const base = { prompt: 'pop', seed: 1, lyricsOptimizer: true };
    assert.equal(lyricsFor({ ...base, lyrics: 'la la', forceInstrumental: true }), undefined);
    assert.equal(lyricsFor({ ...base, lyricsOptimizer: false, forceInstrumental: false }), undefined);
    assert.ok(lyricsFor({ ...base, forceInstrumental: false }));
  });
});

describe('sung output', () => {
  it('adds a voice for lyrics and none when forced instrumental', async () => {
    const render = async (overrides: Parameters<typeof musicRequest>[0]) => {
      const sink = new MemorySink();
      await engine.generate(musicRequest({ prompt: 'calm pop ballad', durationSeconds: 9, seed: 8, ...overrides }), sink, callOptions());
      return sink.bytes();
    };
    const instrumental = await render({});
    const forced = await render({ lyrics: 'sunny morning light', forceInstrumental: true });
    assert.equal(Buffer.compare(instrumental, forced), 0, 'forceInstrumental ignores lyrics: no vocal track');
    const sung = await render({ lyrics: 'sunny morning light\nhold me in the night' });
    const plain = decodeWav(instrumental).channels[0] as Float32Array;
    const voiced = decodeWav(sung).channels[0] as Float32Array;
    let difference = 0;
    let energy = 0;
    for (let index = 0; index < plain.length; index++) {
      difference += ((voiced[index] as number) - (plain[index] as number)) ** 2;
      energy += (plain[index] as number) ** 2;
    }
    assert.ok(difference / energy > 0.05, `the voice changes the mix (${difference / energy})`);
  });
});
