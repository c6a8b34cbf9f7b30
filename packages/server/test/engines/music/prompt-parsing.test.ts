import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExplicitTempo, parseKey, parsePrompt } from '../../../src/engines/music/prompt/parse-prompt.js';
import { GENRES } from '../../../src/engines/music/prompt/vocabulary-genres.js';

describe('music prompt parsing', () => {
  const genreCases: [string, string][] = [
    ['a catchy pop song', 'pop'],
    ['classic rock with distorted guitar', 'rock'],
    ['indie folk with acoustic guitar', 'indie-folk'],
    ['boom bap hip-hop beat', 'hip-hop'],
    ['lofi hip hop beats to study to', 'lo-fi'],
    ['deep house for the club', 'house'],
    ['dark warehouse techno', 'techno'],
    ['smooth jazz saxophone', 'jazz'],
    ['epic cinematic orchestral trailer', 'orchestral'],
    ['calm ambient drone', 'ambient'],
    ['funky R&B groove', 'funk'],
    ['country song about a truck', 'country'],
    ['heavy metal riffs', 'metal'],
    ['reggae by the sea', 'reggae'],
    ['slow delta blues', 'blues'],
    ['something nice', 'pop'],
  ];
  for (const [prompt, genre] of genreCases) {
    it(`"${prompt}" is ${genre}`, () => assert.equal(parsePrompt(prompt).genre, genre));
  }

  it('knows at least 12 genres', () => assert.ok(GENRES.length >= 12));

  it('honours an explicit tempo exactly', () => {
    assert.equal(parseExplicitTempo('house at 124 BPM'), 124);
    assert.equal(parseExplicitTempo('tempo: 96'), 96);
    assert.equal(parseExplicitTempo('87.5 beats per minute'), 87.5);
    assert.equal(parseExplicitTempo('a song from 1999'), undefined);
    const brief = parsePrompt('sad ambient piano, 140 bpm');
    assert.equal(brief.bpm, 140);
    assert.equal(brief.bpmExplicit, true);
  });

  it('picks a genre- and mood-typical tempo otherwise', () => {
    const house = parsePrompt('energetic house');
    assert.ok(house.bpm >= 120 && house.bpm <= 130, String(house.bpm));
    assert.equal(house.bpmExplicit, false);
    assert.ok(parsePrompt('sad ballad').bpm < parsePrompt('happy upbeat pop').bpm);
    assert.ok(parsePrompt('ambient soundscape').bpm < parsePrompt('techno').bpm);
  });

  it('reads keys and modes', () => {
    assert.deepEqual(parseKey('in A minor'), { tonic: 9, mode: 'minor' });
    assert.deepEqual(parseKey('C# major ballad'), { tonic: 1, mode: 'major' });
    assert.deepEqual(parseKey('key of Bb'), { tonic: 10, mode: undefined });
    assert.deepEqual(parseKey('something in F#'), { tonic: 6, mode: undefined });
    assert.deepEqual(parseKey('a song in a major key'), { tonic: undefined, mode: 'major' });
    assert.equal(parsePrompt('melancholic strings').mode, 'minor');
    assert.equal(parsePrompt('happy ukulele tune in D minor').mode, 'minor');
  });

  it('maps named instruments to General MIDI programs and roles', () => {
    const brief = parsePrompt('jazz trio with upright bass, rhodes, tenor sax and brushes');
    const programs = brief.instruments.map((instrument) => [instrument.program, instrument.role]);
    assert.deepEqual(programs, [
      [32, 'bass'],
      [4, 'chords'],
      [66, 'lead'],
      [40, 'drums'],
    ]);
    assert.deepEqual(
      parsePrompt('electric guitar').instruments.map((instrument) => instrument.program),
      [27],
    );
    assert.deepEqual(parsePrompt('folk song, no drums').excludedRoles, ['drums']);
  });

  it('reads negations, including lists and every synthesizer', () => {
    assert.deepEqual([...parsePrompt('chill beat with no drums or bass').excludedRoles].sort(), ['bass', 'drums']);
    const noSynths = parsePrompt('80s pop without synths');
    for (const program of [38, 81, 89]) assert.ok(noSynths.excludedPrograms.includes(program), String(program));
    assert.deepEqual(parsePrompt('ambient, no pads').excludedRoles, ['pad']);
    assert.deepEqual(
      parsePrompt('no piano, just guitar').instruments.map((instrument) => instrument.program),
      [25],
    );
  });

  it('tells a solo piece from a solo in a band', () => {
    assert.equal(parsePrompt('solo piano, reflective').exclusive, true);
    assert.equal(parsePrompt('piano solo, reflective').exclusive, true);
    assert.equal(parsePrompt('rock song with a guitar solo').exclusive, false);
    assert.equal(parsePrompt('sax solo over a funk groove').exclusive, false);
    assert.equal(parsePrompt('upbeat funk with slap bass and horns').exclusive, false);
  });

  it('reads multi-word genre terms before form and instrument words', () => {
    const oneDrop = parsePrompt('one drop riddim');
    assert.equal(oneDrop.genre, 'reggae');
    assert.equal(oneDrop.feel, 'one-drop');
    assert.ok(!oneDrop.structure.includes('drop'));
    const walking = parsePrompt('late night jazz with a walking bass');
    assert.equal(walking.walkingBass, true);
    assert.deepEqual(walking.instruments, []);
    assert.ok(parsePrompt('dubstep with a huge bass drop').structure.includes('drop'));
  });

  it('reads texture and intensity words', () => {
    assert.ok(parsePrompt('dusty lo-fi').texture.noise > parsePrompt('lo-fi').texture.noise);
    assert.deepEqual(parsePrompt('clean lo-fi').texture, { noise: 0, rollOffHz: undefined, saturation: 0 });
    assert.ok(parsePrompt('orchestral battle').density > 1.5);
    assert.ok(parsePrompt('sparse piano').density < 0.8);
    assert.equal(parsePrompt('pop song').density, 1);
  });

  it('reads energy and structure words', () => {
    assert.ok(parsePrompt('quiet minimal ambient').energy < parsePrompt('massive energetic techno').energy);
    assert.deepEqual(parsePrompt('EDM track with a slow build, an intro and a big drop').structure, ['intro', 'drop', 'build']);
  });
});
