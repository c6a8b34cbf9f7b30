/** Melodies from motifs: a one-bar rhythm and contour repeated, varied and closed by a cadence. Pure. */
import type { Random } from '../../seeded-random.js';
import type { BarContext } from './bar-context.js';
import { scaledVelocity } from './bar-context.js';
import { chordPitchClasses, nearestChordTone } from './harmony.js';
import type { BeatNote } from './score.js';
import { CHANNEL } from './score.js';

/** A short idea: onsets (beats within the bar), lengths, and scale steps between notes. */
export interface Motif {
  readonly onsets: readonly number[];
  readonly lengths: readonly number[];
  readonly steps: readonly number[];
}

/** Invent a motif with about `density` notes per bar. */
export function inventMotif(random: Random, density: number): Motif {
  const grid = density >= 6 ? [0, 0.5, 0.75, 1, 1.5, 2, 2.5, 2.75, 3, 3.5] : [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5];
  const count = Math.max(1, Math.min(grid.length - 1, Math.round(density + random.next() * 2 - 1)));
  const chosen = new Set<number>();
  if (random.chance(0.75)) chosen.add(0);
  while (chosen.size < count) {
    const candidate = random.pick(grid);
    if (candidate % 1 === 0 || random.chance(0.6)) chosen.add(candidate);
  }
  const onsets = [...chosen].sort((left, right) => left - right);
  const lengths = onsets.map((onset, index) => Math.min(2, (onsets[index + 1] ?? 4) - onset) * 0.92);
  const steps = onsets.map(() => random.pick([-2, -1, -1, 0, 1, 1, 2, 3, -3]));
  return { onsets, lengths, steps };
}

/** Motifs of one section kind: the main idea and the cadence. */
export interface SectionMotifs {
  readonly main: Motif;
  readonly cadence: Motif;
  /** Offset in semitones of the melody centre for this section (choruses sit higher). */
  readonly lift: number;
  /** Replacement steps for the last two notes of the varied (third) bar of each phrase. */
  readonly variation: readonly [number, number];
}

/** Motifs for a section kind: same kind, same motifs, so choruses repeat. */
export function sectionMotifs(random: Random, kind: string, density: number): SectionMotifs {
  const own = random.fork(`motif-${kind}`);
  const denser = kind === 'chorus' || kind === 'drop' ? density * 1.2 : density;
  const main = inventMotif(own, denser);
  const cadenceOnsets = own.pick([
    [0, 1, 2],
    [0, 0.5, 1, 2],
    [0, 2],
    [0.5, 1, 1.5, 2],
  ]);
  const cadence: Motif = {
    onsets: cadenceOnsets,
    lengths: cadenceOnsets.map((onset, index) =>
      index === cadenceOnsets.length - 1 ? 3.4 - onset : ((cadenceOnsets[index + 1] ?? 3) - onset) * 0.92,
    ),
    steps: cadenceOnsets.map(() => own.pick([-1, -1, 1, -2, 0])),
  };
  const variation: [number, number] = [own.pick([-2, -1, 1, 2]), own.pick([-2, -1, 1, 2])];
  return { main, cadence, variation, lift: kind === 'chorus' || kind === 'drop' ? 4 : kind === 'bridge' ? 2 : 0 };
}

/** Mutable melody position carried from bar to bar. */
export interface MelodyState {
  pitch: number;
}

/** Write one melody bar: bars 0–2 of each 4-bar phrase use the main motif (bar 2 varied), bar 3 the cadence. */
export function writeMelodyBar(context: BarContext, motifs: SectionMotifs, state: MelodyState): BeatNote[] {
  const { chord, tonic, scale, section, bar, barInSection, style, random } = context;
  const phraseBar = barInSection % 4;
  const isCadence = phraseBar === 3 || (section.bars < 4 && barInSection === section.bars - 1 && section.bars > 1);
  const motif = isCadence ? motifs.cadence : motifs.main;
  const center = style.melodyCenter + motifs.lift;
  const chordTones = chordPitchClasses(chord).map((pitchClass) => (pitchClass + tonic) % 12);
  const scaleTones = scale.map((offset) => (offset + tonic) % 12);
  const notes: BeatNote[] = [];
  let pitch = nearestChordTone(barInSection === 0 ? center : state.pitch, chordTones);
  const varied = phraseBar === 2;
  motif.onsets.forEach((onset, index) => {
    if (index > 0) {
      let step = motif.steps[index] ?? 0;
      const fromEnd = motif.onsets.length - 1 - index;
      if (varied && fromEnd < 2) step = motifs.variation[fromEnd] as number;
      pitch = moveByScaleSteps(pitch, step, scaleTones);
    }
    if (pitch > center + 9) pitch = moveByScaleSteps(pitch, -3, scaleTones);
    if (pitch < center - 9) pitch = moveByScaleSteps(pitch, 3, scaleTones);
    const strong = onset % 2 === 0;
    const last = isCadence && index === motif.onsets.length - 1;
    if (strong || last) pitch = nearestChordTone(pitch, last ? [chordTones[0] as number, chordTones[1] as number] : chordTones);
    notes.push({
      channel: CHANNEL.lead,
      pitch,
      velocity: scaledVelocity(strong ? 100 : 88, section.level, random),
      beat: bar * 4 + onset,
      beats: motif.lengths[index] ?? 0.5,
    });
  });
  state.pitch = pitch;
  return notes;
}

/** Move `pitch` by `steps` degrees of the scale given as absolute pitch classes. */
export function moveByScaleSteps(pitch: number, steps: number, scaleTones: readonly number[]): number {
  let current = pitch;
  const direction = Math.sign(steps);
  for (let moved = 0; moved < Math.abs(steps); ) {
    current += direction;
    if (scaleTones.includes(((current % 12) + 12) % 12)) moved++;
  }
  return current;
}
