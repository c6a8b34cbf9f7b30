import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Score, ScoreNote } from '../../../src/engines/music/compose/score.js';
import { composeForRequest } from '../../../src/engines/music/music-engine.js';
import { parsePrompt } from '../../../src/engines/music/prompt/parse-prompt.js';
import { MUSIC_PROMPT_TABLE, type MusicPromptRow, type Part, type Range } from './prompt-table-rows.js';

const BODY = new Set(['verse', 'chorus', 'bridge', 'drop']);
const GROOVE_BODY = new Set([...BODY, 'build']);
const KICK = 36;
const SNARES = [38, 39];

function notesOf(score: Score, part: Part): ScoreNote[] {
  const channel = score.channels.find((setup) => setup.part === part)?.channel;
  return channel === undefined ? [] : score.notes.filter((note) => note.channel === channel);
}

const beatOf = (score: Score, seconds: number) => (seconds * score.bpm) / 60;

/** Bars of the given section kinds, without each section's last bar (fills, section changes). */
function bodyBars(score: Score, kinds: ReadonlySet<string>): number[] {
  const bars: number[] = [];
  score.sections.forEach((section, index) => {
    if (!kinds.has(section.kind)) return;
    const end = score.sections[index + 1]?.startSeconds ?? score.durationSeconds;
    const first = Math.round(beatOf(score, section.startSeconds) / 4);
    const last = Math.floor(beatOf(score, end) / 4 + 1e-6) - 1;
    for (let bar = first; bar < last; bar++) bars.push(bar);
  });
  return bars;
}

/** Integer beats (0..3) of `bar` with an onset of `pitches` in `notes`. */
function beatsWith(score: Score, notes: readonly ScoreNote[], bar: number, pitches?: readonly number[]): Set<number> {
  const beats = new Set<number>();
  for (const note of notes) {
    if (pitches && !pitches.includes(note.pitch)) continue;
    const beat = beatOf(score, note.startSeconds) - bar * 4;
    if (beat > -1e-6 && beat < 4 - 1e-6 && Math.abs(beat - Math.round(beat)) < 1e-6) beats.add(Math.round(beat));
  }
  return beats;
}

function countIn(score: Score, notes: readonly ScoreNote[], bar: number, pitch: number): number {
  return notes.filter((note) => note.pitch === pitch && Math.floor(beatOf(score, note.startSeconds) / 4 + 1e-6) === bar).length;
}

function onsetsPerSecond(score: Score): number {
  let seconds = 0;
  const onsets = new Set<string>();
  score.sections.forEach((section, index) => {
    if (!BODY.has(section.kind)) return;
    const end = score.sections[index + 1]?.startSeconds ?? score.durationSeconds;
    seconds += end - section.startSeconds;
    for (const note of score.notes)
      if (note.startSeconds >= section.startSeconds && note.startSeconds < end) onsets.add(note.startSeconds.toFixed(4));
  });
  assert.ok(seconds > 0, 'the piece has body sections');
  return onsets.size / seconds;
}

const inRange = (value: number, [low, high]: Range, what: string) =>
  assert.ok(value >= low && value <= high, `${what} ${value} not in [${low}, ${high}]`);

/** Fraction of body bars for which `test` holds. */
function share(score: Score, test: (bar: number) => boolean): number {
  const bars = bodyBars(score, GROOVE_BODY);
  assert.ok(bars.length >= 2, 'enough body bars to judge the groove');
  return bars.filter(test).length / bars.length;
}

type DrumGroove = Exclude<NonNullable<MusicPromptRow['groove']>, 'call-and-response'>;

/** What each groove means for one body bar. */
function grooveTests(score: Score): Record<DrumGroove, (bar: number) => boolean> {
  const drums = notesOf(score, 'drums');
  const kicks = (bar: number) => beatsWith(score, drums, bar, [KICK]);
  const snares = (bar: number) => beatsWith(score, drums, bar, SNARES);
  return {
    'four-on-the-floor': (bar) => kicks(bar).size === 4,
    'one-drop': (bar) => kicks(bar).has(2) && !kicks(bar).has(0),
    'half-time': (bar) => snares(bar).has(2) && !snares(bar).has(1) && !snares(bar).has(3),
    'double-time': (bar) => !snares(bar).has(1) && !snares(bar).has(3) && countIn(score, drums, bar, 42) >= 16,
    'blast-beat': (bar) => countIn(score, drums, bar, KICK) >= 16,
    'walking-bass': (bar) => beatsWith(score, notesOf(score, 'bass'), bar).size === 4,
  };
}

/** Lead and counter-line never play in the same body bar, and the counter answers in several. */
function checkCallAndResponse(score: Score): void {
  const barOf = (note: ScoreNote) => Math.floor(beatOf(score, note.startSeconds) / 4 + 1e-6);
  const counterBars = new Set(notesOf(score, 'counter').map(barOf));
  const leadBars = new Set(notesOf(score, 'lead').map(barOf));
  const answered = bodyBars(score, BODY).filter((bar) => counterBars.has(bar));
  assert.ok(answered.length >= 4, 'the counter-line answers in several bars');
  for (const bar of answered) assert.ok(!leadBars.has(bar), `bar ${bar}: lead and answer overlap`);
}

function checkGroove(score: Score, groove: NonNullable<MusicPromptRow['groove']>): void {
  if (groove === 'call-and-response') {
    checkCallAndResponse(score);
    return;
  }
  const fraction = share(score, grooveTests(score)[groove]);
  assert.ok(fraction >= 0.9, `${groove}: only ${(fraction * 100).toFixed(0)}% of body bars`);
}

function checkRow(row: MusicPromptRow): void {
  const brief = parsePrompt(row.prompt);
  const score = composeForRequest({ prompt: row.prompt, durationSeconds: row.duration ?? 30, seed: 11, loop: false });
  if (row.genre) assert.equal(brief.genre, row.genre, 'genre');
  for (const [part, program] of Object.entries(row.plays ?? {}) as [Part, number | null][]) {
    const setup = score.channels.find((channel) => channel.part === part);
    assert.ok(setup, `${part} plays`);
    assert.ok(notesOf(score, part).length > 0, `${part} has notes`);
    if (program !== null) assert.equal(setup.program, program, `${part} program`);
  }
  for (const part of row.silent ?? []) assert.equal(notesOf(score, part).length, 0, `${part} is silent`);
  for (const program of row.noProgram ?? []) {
    const using = score.channels.filter((setup) => setup.part !== 'drums' && setup.program === program);
    assert.deepEqual(
      using.map((setup) => setup.part),
      [],
      `program ${program} is not used`,
    );
  }
  if (typeof row.bpm === 'number') assert.equal(score.bpm, row.bpm, 'tempo');
  else if (row.bpm) inRange(score.bpm, row.bpm, 'tempo');
  if (row.tonic !== undefined) assert.equal(score.key?.tonic, row.tonic, 'tonic');
  if (row.mode) assert.equal(score.key?.mode, row.mode, 'mode');
  const kinds = score.sections.map((section) => section.kind);
  for (const kind of row.form?.has ?? []) assert.ok(kinds.includes(kind), `form has ${kind}: ${kinds.join(',')}`);
  for (const kind of row.form?.lacks ?? []) assert.ok(!kinds.includes(kind), `form lacks ${kind}: ${kinds.join(',')}`);
  if (row.onsetsPerSecond) inRange(onsetsPerSecond(score), row.onsetsPerSecond, 'onsets per second in the body');
  if (row.groove) checkGroove(score, row.groove);
  const texture = score.texture;
  if (row.texture?.noise) inRange(texture?.noise ?? 0, row.texture.noise, 'noise');
  if (row.texture?.saturation) inRange(texture?.saturation ?? 0, row.texture.saturation, 'saturation');
  if (row.texture?.rollOffHz === 'none') assert.equal(texture?.rollOffHz, undefined, 'no roll-off');
  else if (row.texture?.rollOffHz) inRange(texture?.rollOffHz ?? Infinity, row.texture.rollOffHz, 'roll-off');
}

describe('music prompt table', () => {
  it('has at least 45 rows, each asserting specifics', () => {
    assert.ok(MUSIC_PROMPT_TABLE.length >= 45, String(MUSIC_PROMPT_TABLE.length));
    for (const row of MUSIC_PROMPT_TABLE) assert.ok(Object.keys(row).length >= 3, row.prompt);
  });
  for (const row of MUSIC_PROMPT_TABLE) it(row.prompt, () => checkRow(row));
});
