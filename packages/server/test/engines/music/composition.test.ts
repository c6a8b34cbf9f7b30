import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planArrangement } from '../../../src/engines/music/compose/arrangement.js';
import { CHANNEL } from '../../../src/engines/music/compose/score.js';
import { composeForRequest } from '../../../src/engines/music/music-engine.js';

describe('music composition', () => {
  it('fills every requested duration exactly, with sections covering the bars', () => {
    for (const durationSeconds of [5, 6, 7.5, 8, 11, 13, 17, 29, 30, 31, 45, 59, 61, 97, 120, 185, 300, 599, 600]) {
      for (const bpm of [55, 87, 120, 143, 174]) {
        for (const loop of [false, true]) {
          const plan = planArrangement({ durationSeconds, bpm, bpmExplicit: true, loop, genre: 'pop', energy: 0.6, structure: [] });
          const covered = plan.sections.reduce((sum, section) => sum + section.bars, 0);
          assert.equal(covered, plan.musicBars, `${durationSeconds}s ${bpm}bpm loop=${loop}`);
          assert.equal(plan.bpm, bpm, 'explicit tempo is kept');
          if (loop) assert.ok(plan.musicBars * plan.barSeconds >= durationSeconds - 0.1 * plan.barSeconds);
          else {
            assert.ok(plan.musicBars * plan.barSeconds <= durationSeconds);
            assert.equal(plan.fade?.[1], durationSeconds);
          }
        }
      }
    }
  });

  it('fits a loop to a whole number of bars when the tempo is free', () => {
    const plan = planArrangement({
      durationSeconds: 17,
      bpm: 120,
      bpmExplicit: false,
      loop: true,
      genre: 'house',
      energy: 0.8,
      structure: [],
    });
    assert.ok(Math.abs(plan.musicBars * plan.barSeconds - 17) < 1e-9);
    assert.ok(Math.abs(plan.bpm - 120) / 120 < 0.07);
  });

  it('never lets a note start past the end, and ends on a held tonic chord', () => {
    for (const durationSeconds of [5, 9, 23, 64]) {
      const score = composeForRequest({ prompt: 'happy pop song', durationSeconds, seed: 3, loop: false });
      assert.equal(score.durationSeconds, durationSeconds);
      for (const note of score.notes) {
        assert.ok(note.startSeconds < durationSeconds && note.startSeconds + note.durationSeconds <= durationSeconds + 1e-9);
      }
      const lastStart = Math.max(...score.notes.map((note) => note.startSeconds));
      const final = score.notes.filter((note) => note.startSeconds === lastStart);
      assert.ok(final.length >= 3, 'final chord has several notes');
      assert.ok(final.every((note) => Math.abs(note.startSeconds + note.durationSeconds - durationSeconds) < 1e-6));
    }
  });

  it('is deterministic for a seed and varies with seed and prompt', () => {
    const request = { prompt: 'lofi hip hop with rhodes', durationSeconds: 40, seed: 11, loop: false };
    assert.deepEqual(composeForRequest(request), composeForRequest(request));
    const pitches = (seed: number, prompt = request.prompt) =>
      composeForRequest({ ...request, seed, prompt })
        .notes.filter((note) => note.channel === CHANNEL.lead)
        .map((note) => note.pitch);
    assert.notDeepEqual(pitches(11), pitches(12));
    assert.notDeepEqual(composeForRequest(request).notes, composeForRequest({ ...request, prompt: 'dark techno' }).notes);
  });

  it('uses the named instruments and genre drums', () => {
    const score = composeForRequest({ prompt: 'jazz with upright bass, tenor sax and brushes', durationSeconds: 20, seed: 1, loop: false });
    const program = (channel: number) => score.channels.find((setup) => setup.channel === channel)?.program;
    assert.equal(program(CHANNEL.bass), 32);
    assert.equal(program(CHANNEL.lead), 66);
    assert.equal(program(CHANNEL.drums), 40);
    const noDrums = composeForRequest({ prompt: 'folk song, no drums', durationSeconds: 20, seed: 1, loop: false });
    assert.ok(noDrums.notes.every((note) => note.channel !== CHANNEL.drums));
  });

  it('repeats its chorus melody (motifs come back)', () => {
    const score = composeForRequest({ prompt: 'pop song', durationSeconds: 90, seed: 5, loop: false });
    const choruses = score.sections.filter((section) => section.kind === 'chorus');
    assert.ok(choruses.length >= 2);
    const melodyAt = (start: number) =>
      score.notes
        .filter((note) => note.channel === CHANNEL.lead && note.startSeconds >= start && note.startSeconds < start + 8)
        .map((note) => [note.pitch, Math.round((note.startSeconds - start) * 100)]);
    assert.deepEqual(
      melodyAt((choruses[0] as { startSeconds: number }).startSeconds),
      melodyAt((choruses[1] as { startSeconds: number }).startSeconds),
    );
  });
});
