/** Bass lines per style, one bar at a time. Pure. */
import type { BarContext } from './bar-context.js';
import { scaledVelocity } from './bar-context.js';
import { rootPitch } from './harmony.js';
import type { BeatNote } from './score.js';
import { CHANNEL } from './score.js';

/** Write one bar of bass. */
export function writeBassBar(context: BarContext): BeatNote[] {
  const { chord, nextChord, tonic, section, style, random, bar } = context;
  const root = rootPitch(chord, tonic, 33);
  const fifth = root + 7;
  const octave = root + 12;
  const start = bar * 4;
  const velocity = (base: number) => scaledVelocity(base, section.level, random);
  const notes: BeatNote[] = [];
  const add = (beat: number, beats: number, pitch: number, base = 96) =>
    notes.push({ channel: CHANNEL.bass, pitch, velocity: velocity(base), beat: start + beat, beats });
  switch (style.bassStyle) {
    case 'half':
      add(0, 1.9, root);
      add(2, 1.4, random.chance(0.5) ? fifth : root, 88);
      if (section.level > 0.6) add(3.5, 0.45, root, 80);
      break;
    case 'eighths':
      for (let step = 0; step < 8; step++) add(step / 2, 0.45, step === 7 && random.chance(0.4) ? octave : root, step % 2 ? 80 : 98);
      break;
    case 'walking': {
      const target = rootPitch(nextChord, tonic, 33);
      const third = root + (chord.intervals[1] ?? 4);
      add(0, 0.95, root, 100);
      add(1, 0.95, random.chance(0.5) ? third : fifth, 88);
      add(2, 0.95, random.chance(0.5) ? fifth : octave - 2, 92);
      add(3, 0.95, target + (random.chance(0.5) ? -1 : 1), 86);
      break;
    }
    case 'funk': {
      const steps: [number, number, number][] = [
        [0, root, 110],
        [0.75, octave, 80],
        [1.5, root, 90],
        [2, fifth, 84],
        [2.5, root, 96],
        [2.75, octave, 76],
        [3.5, root + 10, 88],
      ];
      for (const [beat, pitch, base] of steps) add(beat, 0.22, pitch, base);
      break;
    }
    case 'offbeat':
      for (let beat = 0; beat < 4; beat++) add(beat + 0.5, 0.4, beat === 3 && random.chance(0.3) ? octave : root, 100);
      break;
    case 'sustain':
      add(0, 3.9, root, 84);
      break;
    case 'sub':
      add(0, 1.4, root - 12 < 28 ? root : root - 12, 112);
      add(1.5, 0.9, root, 96);
      add(2.5, 1.4, random.chance(0.3) ? fifth : root, 100);
      break;
    case 'reggae':
      add(0, 0.9, root, 104);
      add(1.5, 0.45, root, 90);
      add(2, 0.9, fifth, 96);
      add(3, 0.45, octave - 2, 86);
      break;
  }
  return notes;
}
