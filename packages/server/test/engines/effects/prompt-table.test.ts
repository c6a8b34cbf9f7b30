/**
 * Prompt faithfulness without ears: prompts written the way sound-effect users write them, each
 * with what the effect plan must hold (families, event count, bed, change over time, variants),
 * and for some, what the rendered audio must show (onsets counted, no digital silence under a
 * weather bed, a rising or falling level).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planEffect } from '../../../src/engines/effects/effect-plan.js';
import type { EffectEnvelope } from '../../../src/engines/effects/prompt-timing.js';
import { EFFECT_SAMPLE_RATE, renderEffect } from '../../../src/engines/effects/render-effect.js';
import { brightness, countOnsets, edgeLevels, longestSilenceSeconds } from './audio-measures.js';

/** What the plan of a prompt must be: `families` in order (beds included), and its main layer's shape. */
interface Row {
  readonly prompt: string;
  readonly families: readonly string[];
  /** Events of the main layer: a number, or null (repeats at its natural rate). */
  readonly count: number | null;
  /** The family rendered as a bed under the main one, or null. */
  readonly bed: string | null;
  readonly envelope: EffectEnvelope;
  readonly variants?: readonly string[];
  /** Checked on 4 s of rendered audio. */
  readonly audio?: { readonly onsets?: number; readonly maxSilenceSeconds?: number; readonly changeDb?: number };
}

const ROWS: readonly Row[] = [
  { prompt: 'Dog barking twice', families: ['dog'], count: 2, bed: null, envelope: 'steady', audio: { onsets: 2 } },
  {
    prompt: 'Thunderstorm rolling in',
    families: ['thunder', 'rain'],
    count: null,
    bed: 'rain',
    envelope: 'rising',
    audio: { maxSilenceSeconds: 0.02, changeDb: 10 },
  },
  { prompt: 'Car engine starting', families: ['engine'], count: null, bed: null, envelope: 'steady', variants: ['start'] },
  { prompt: 'Footsteps on gravel', families: ['footsteps'], count: null, bed: null, envelope: 'steady', variants: ['gravel'] },
  { prompt: 'A laser zap', families: ['laser'], count: 1, bed: null, envelope: 'steady', audio: { onsets: 1 } },
  { prompt: 'Heavy rain on a tin roof with distant thunder', families: ['rain', 'thunder'], count: null, bed: null, envelope: 'steady' },
  { prompt: 'Glass bottle shattering on a concrete floor', families: ['glass'], count: 1, bed: null, envelope: 'steady' },
  {
    prompt: 'Three knocks on a wooden door',
    families: ['door'],
    count: 3,
    bed: null,
    envelope: 'steady',
    variants: ['knock'],
    audio: { onsets: 3 },
  },
  {
    prompt: 'Single gunshot echoing in a canyon',
    families: ['explosion'],
    count: 1,
    bed: null,
    envelope: 'steady',
    variants: ['gunshot'],
    audio: { onsets: 1 },
  },
  {
    prompt: 'Two gunshots in quick succession',
    families: ['explosion'],
    count: 2,
    bed: null,
    envelope: 'steady',
    variants: ['gunshot'],
    audio: { onsets: 2 },
  },
  { prompt: 'Car horn honking twice in traffic', families: ['horn', 'traffic'], count: 2, bed: null, envelope: 'steady' },
  { prompt: 'Cat meowing', families: ['cat'], count: null, bed: null, envelope: 'steady', variants: [] },
  { prompt: 'Lone wolf howling at night', families: ['wolf'], count: null, bed: null, envelope: 'steady' },
  {
    prompt: 'Stadium crowd cheering, fading away',
    families: ['crowd', 'applause'],
    count: null,
    bed: null,
    envelope: 'falling',
    audio: { changeDb: -10 },
  },
  { prompt: 'Ambulance siren passing by', families: ['alarm'], count: null, bed: null, envelope: 'passing' },
  { prompt: 'Notification chime', families: ['ui'], count: 1, bed: null, envelope: 'steady', variants: ['chime'], audio: { onsets: 1 } },
  { prompt: 'Error buzz for a mobile app', families: ['ui'], count: 1, bed: null, envelope: 'steady', variants: ['error'] },
  { prompt: 'Typing on a mechanical keyboard', families: ['typing'], count: null, bed: null, envelope: 'steady' },
  { prompt: 'Horse galloping on a dirt road', families: ['horse'], count: null, bed: null, envelope: 'steady', variants: ['hooves'] },
  { prompt: 'Rooster crowing at dawn', families: ['rooster'], count: null, bed: null, envelope: 'steady' },
  {
    prompt: 'Ocean waves crashing on the shore',
    families: ['waves'],
    count: null,
    bed: null,
    envelope: 'steady',
    audio: { maxSilenceSeconds: 0.02 },
  },
  { prompt: 'Campfire crackling with crickets chirping', families: ['fire', 'insects'], count: null, bed: null, envelope: 'steady' },
  { prompt: 'Helicopter flying overhead', families: ['helicopter'], count: null, bed: null, envelope: 'passing' },
  { prompt: 'Cinematic tension riser', families: ['riser'], count: null, bed: null, envelope: 'rising', audio: { changeDb: 10 } },
  { prompt: 'Magic spell sparkle', families: ['magic'], count: null, bed: null, envelope: 'steady' },
  { prompt: 'Water splash', families: ['water'], count: 1, bed: null, envelope: 'steady', variants: ['splash'] },
  {
    prompt: 'Footsteps in the snow approaching',
    families: ['footsteps'],
    count: null,
    bed: null,
    envelope: 'rising',
    variants: ['snow'],
    // Mastering limits the loud end of transient sounds, which narrows the change.
    audio: { changeDb: 6 },
  },
  { prompt: 'Heartbeat slowly fading out', families: ['heartbeat'], count: null, bed: null, envelope: 'falling', audio: { changeDb: -10 } },
  { prompt: 'A door creaking open', families: ['door'], count: 1, bed: null, envelope: 'steady', variants: ['creak'] },
  { prompt: 'Punch impact', families: ['impact'], count: 1, bed: null, envelope: 'steady', variants: ['punch'], audio: { onsets: 1 } },
  { prompt: 'Sword clash', families: ['impact'], count: 1, bed: null, envelope: 'steady', variants: ['metal'] },
  { prompt: 'Train passing by', families: ['train'], count: null, bed: null, envelope: 'passing' },
  {
    prompt: 'City traffic ambience',
    families: ['traffic'],
    count: null,
    bed: null,
    envelope: 'steady',
    audio: { maxSilenceSeconds: 0.02 },
  },
  { prompt: 'Motorcycle revving three times', families: ['engine'], count: 3, bed: null, envelope: 'steady', variants: ['rev'] },
  { prompt: 'Cow mooing twice', families: ['cow'], count: 2, bed: null, envelope: 'steady', audio: { onsets: 2 } },
  { prompt: 'Spaceship engine hum', families: ['hum'], count: null, bed: null, envelope: 'steady' },
  {
    prompt: 'Distant thunderstorm',
    families: ['thunder', 'rain'],
    count: null,
    bed: 'rain',
    envelope: 'steady',
    audio: { maxSilenceSeconds: 0.02 },
  },
  {
    prompt: 'Car driving away',
    families: ['engine'],
    count: null,
    bed: null,
    envelope: 'falling',
    variants: ['accelerate'],
    audio: { changeDb: -10 },
  },
  { prompt: 'Lion roar', families: ['roar'], count: 1, bed: null, envelope: 'steady', variants: [] },
  { prompt: 'Zombie groaning', families: ['roar'], count: 1, bed: null, envelope: 'steady', variants: ['groan'] },
  { prompt: 'Old phone ringing twice', families: ['bell'], count: 2, bed: null, envelope: 'steady', variants: ['phone'] },
  { prompt: 'Doorbell ding dong', families: ['bell'], count: 1, bed: null, envelope: 'steady', variants: ['doorbell'] },
  {
    prompt: 'Wind chimes in a gentle breeze',
    families: ['bell', 'wind'],
    count: null,
    bed: null,
    envelope: 'steady',
    variants: ['chimes'],
  },
  { prompt: 'Howling wind', families: ['wind'], count: null, bed: null, envelope: 'steady', audio: { maxSilenceSeconds: 0.02 } },
  { prompt: 'Retro 8-bit power up', families: ['game'], count: 1, bed: null, envelope: 'steady', variants: ['up'] },
  { prompt: 'Vinyl crackle', families: ['static'], count: null, bed: null, envelope: 'steady', variants: ['vinyl'] },
  { prompt: 'Turning a page of an old book', families: ['foley'], count: 1, bed: null, envelope: 'steady', variants: ['page'] },
  { prompt: 'Bees buzzing around a hive', families: ['insects'], count: null, bed: null, envelope: 'steady', variants: ['swarm'] },
];

describe('prompt table: the plan holds what the prompt asks', () => {
  it('has at least 25 rows', () => assert.ok(ROWS.length >= 25));

  for (const row of ROWS)
    it(row.prompt, () => {
      const outcome = planEffect(row.prompt);
      assert.ok(outcome.ok, `${row.prompt}: refused`);
      const [main, ...rest] = outcome.plan.layers;
      assert.deepEqual(
        outcome.plan.layers.map((layer) => layer.family.name),
        row.families,
        'families',
      );
      assert.equal(main?.count, row.count, 'event count');
      assert.equal(rest.find((layer) => layer.bed)?.family.name ?? null, row.bed, 'bed');
      assert.equal(main?.envelope, row.envelope, 'change over time');
      if (row.bed) assert.equal(rest.find((layer) => layer.bed)?.envelope, row.envelope, 'the bed follows its layer');
      if (row.variants) assert.deepEqual(main?.variants, row.variants, 'variants');
    });

  it('refuses a prompt with no sound it knows instead of guessing', () => {
    for (const prompt of ['purple elephant dreams', 'the meaning of life', '']) assert.equal(planEffect(prompt).ok, false, prompt);
  });
});

describe('prompt table: the audio shows it', () => {
  for (const row of ROWS.filter((entry) => entry.audio))
    it(row.prompt, () => {
      const audio = renderEffect({ prompt: row.prompt, durationSeconds: 4, seed: 21, loop: false });
      const expected = row.audio ?? {};
      if (expected.onsets !== undefined) assert.equal(countOnsets(audio.channels, EFFECT_SAMPLE_RATE), expected.onsets, 'onsets');
      if (expected.maxSilenceSeconds !== undefined) {
        const silence = longestSilenceSeconds(audio.channels, EFFECT_SAMPLE_RATE);
        assert.ok(silence <= expected.maxSilenceSeconds, `digital silence of ${silence} s`);
      }
      if (expected.changeDb !== undefined) {
        const { head, tail } = edgeLevels(audio.channels, EFFECT_SAMPLE_RATE);
        const change = tail - head;
        assert.ok(
          expected.changeDb > 0 ? change >= expected.changeDb : change <= expected.changeDb,
          `level change ${change.toFixed(1)} dB`,
        );
      }
    });

  it('footsteps on gravel crunch: far brighter than steps on a hard floor', () => {
    const left = (prompt: string) => renderEffect({ prompt, durationSeconds: 3, seed: 4, loop: false }).channels[0] as Float32Array;
    const gravel = brightness(left('footsteps on gravel'));
    const hard = brightness(left('footsteps on concrete'));
    assert.ok(gravel > hard * 3, `gravel ${gravel} vs concrete ${hard}`);
  });

  it('an engine starting cranks (a bright starter) before it runs; an idling one does not', () => {
    const second = EFFECT_SAMPLE_RATE;
    for (const [prompt, cranks] of [
      ['car engine starting', true],
      ['car engine idling', false],
    ] as const) {
      const left = renderEffect({ prompt, durationSeconds: 3, seed: 4, loop: false }).channels[0] as Float32Array;
      const ratio = brightness(left, 0, 0.9 * second) / brightness(left, 1.5 * second);
      assert.ok(cranks ? ratio > 3 : ratio < 1.5, `${prompt}: first 0.9 s / after 1.5 s brightness ${ratio}`);
    }
  });

  it('a gunshot echoing in a canyon rings on where a dry one has died away', () => {
    const outcome = planEffect('Single gunshot echoing in a canyon');
    assert.ok(outcome.ok && outcome.plan.layers[0]?.modifiers.echo);
    const tail = (prompt: string) =>
      edgeLevels(renderEffect({ prompt, durationSeconds: 3, seed: 4, loop: false }).channels, EFFECT_SAMPLE_RATE).tail;
    const canyon = tail('Single gunshot echoing in a canyon');
    const dry = tail('Single gunshot');
    assert.ok(canyon > dry + 30, `last quarter: canyon ${canyon.toFixed(1)} dB, dry ${dry.toFixed(1)} dB`);
  });

  it('gives the same samples for the same prompt and seed, and others for another seed', () => {
    const render = (seed: number) =>
      renderEffect({ prompt: 'Dog barking twice with distant thunder', durationSeconds: 2, seed, loop: false });
    const [first, again, other] = [render(9), render(9), render(10)];
    assert.deepEqual(first.channels, again.channels);
    assert.notDeepEqual(first.channels, other.channels);
  });

  it('counts what it is asked to count, not what it would repeat', () => {
    const once = renderEffect({ prompt: 'a dog barks once', durationSeconds: 4, seed: 3, loop: false });
    const many = renderEffect({ prompt: 'dogs barking repeatedly', durationSeconds: 4, seed: 3, loop: false });
    assert.equal(countOnsets(once.channels, EFFECT_SAMPLE_RATE), 1);
    assert.ok(countOnsets(many.channels, EFFECT_SAMPLE_RATE) >= 4);
  });
});
