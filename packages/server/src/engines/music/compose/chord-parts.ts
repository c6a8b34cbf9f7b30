/** Chord instrument (comping) and pad, one bar at a time. Pure. */
import type { BarContext } from './bar-context.js';
import { scaledVelocity } from './bar-context.js';
import { rootPitch, voiceChord } from './harmony.js';
import type { BeatNote } from './score.js';
import { CHANNEL } from './score.js';

/** Write one bar of the chord instrument in the genre's comping style. */
export function writeCompingBar(context: BarContext): BeatNote[] {
  const { chord, tonic, section, style, random, bar } = context;
  const start = bar * 4;
  const voicing = voiceChord(chord, tonic, 60, chord.intervals.length > 3 ? 4 : 3);
  const notes: BeatNote[] = [];
  const hit = (beat: number, beats: number, pitches: readonly number[], base: number, spread = 0) => {
    pitches.forEach(
      (pitch, index) =>
        void notes.push({
          channel: CHANNEL.chords,
          pitch,
          velocity: scaledVelocity(base, section.level, random),
          beat: start + beat + index * spread,
          beats,
        }),
    );
  };
  switch (style.comping) {
    case 'block':
      if (section.level > 0.65) for (let beat = 0; beat < 4; beat++) hit(beat, 0.9, voicing, beat % 2 ? 70 : 84);
      else {
        hit(0, 1.95, voicing, 80);
        hit(2, 1.9, voicing, 72);
      }
      break;
    case 'stabs':
      for (const beat of style.bassStyle === 'funk' ? [0, 0.75, 1.5, 2.5, 3.25] : [0.5, 1.5, 2.5, 3.5]) hit(beat, 0.2, voicing, 86);
      break;
    case 'arpeggio': {
      const ladder = [...voicing, (voicing[1] ?? 64) + 12, (voicing[0] ?? 60) + 12];
      const order = [0, 1, 2, 3, 4, 3, 2, 1];
      order.forEach((index, step) => {
        hit(step / 2, 0.9, [ladder[index] ?? 60], step % 2 ? 66 : 78);
      });
      break;
    }
    case 'strum': {
      const guitar = voiceChord(chord, tonic, 55, 5);
      const pattern: [number, number][] = [
        [0, 92],
        [1, 74],
        [1.5, 70],
        [2.5, 76],
        [3, 82],
        [3.5, 68],
      ];
      for (const [beat, base] of pattern) hit(beat, 0.6, beat % 1 ? [...guitar].reverse() : guitar, base, 0.012);
      break;
    }
    case 'power': {
      const root = rootPitch(chord, tonic, 40);
      const power = [root, root + 7, root + 12];
      for (let step = 0; step < 8; step++) hit(step / 2, section.level > 0.6 ? 0.45 : 0.3, power, step % 2 ? 84 : 100);
      break;
    }
    case 'jazz': {
      const beats = random.pick([
        [0, 1.5, 3.5],
        [0.5, 2, 2.5],
        [0, 2.5],
        [1.5, 3],
      ]);
      for (const beat of beats) hit(beat, random.chance(0.5) ? 0.9 : 0.45, voicing, 72);
      break;
    }
    case 'skank':
      for (const beat of [1, 3]) hit(beat, 0.25, voicing, 84);
      if (section.level > 0.6) for (const beat of [1.5, 3.5]) hit(beat, 0.2, voicing, 60);
      break;
    case 'sustain':
      hit(0, 3.95, voicing, 74);
      break;
    case 'ostinato':
      // Repeated eighths, accented on the beat: strings driving a battle scene.
      for (let step = 0; step < 8; step++) hit(step / 2, 0.42, voicing, step % 2 ? 70 : 90);
      break;
  }
  return notes;
}

/** Write one bar of the sustained pad (one long chord, renewed every bar). */
export function writePadBar(context: BarContext): BeatNote[] {
  const { chord, tonic, section, bar, style } = context;
  const voicing = voiceChord(chord, tonic, 57, 4);
  const barsPerChord = style.barsPerChord;
  if (barsPerChord > 1 && bar % barsPerChord !== 0) return [];
  return voicing.map((pitch) => ({
    channel: CHANNEL.pad,
    pitch,
    velocity: scaledVelocity(70, section.level),
    beat: bar * 4,
    beats: 4 * barsPerChord - 0.05,
  }));
}

/** A counter-line: an arpeggio an octave up, only in loud sections. */
export function writeCounterBar(context: BarContext): BeatNote[] {
  const { chord, tonic, section, bar, random } = context;
  const voicing = voiceChord(chord, tonic, 76, 3);
  const notes: BeatNote[] = [];
  const steps = random.pick([
    [0, 0.75, 1.5, 2, 2.75, 3.5],
    [0, 1, 2, 3],
    [0.5, 1.5, 2.5, 3.5],
  ]);
  steps.forEach(
    (beat, index) =>
      void notes.push({
        channel: CHANNEL.counter,
        pitch: voicing[index % voicing.length] ?? 76,
        velocity: scaledVelocity(62, section.level, random),
        beat: bar * 4 + beat,
        beats: 0.4,
      }),
  );
  return notes;
}
