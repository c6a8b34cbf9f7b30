/** What every part writer knows about the bar it is writing. */
import type { Random } from '../../seeded-random.js';
import type { Section } from './arrangement.js';
import type { GenreStyle } from './genre-styles.js';
import type { Chord } from './harmony.js';

/** Context of one bar. */
export interface BarContext {
  /** Bar number from the start. */
  readonly bar: number;
  readonly chord: Chord;
  readonly nextChord: Chord;
  /** Tonic pitch class 0..11. */
  readonly tonic: number;
  readonly scale: readonly number[];
  readonly section: Section;
  /** Bar index inside its section. */
  readonly barInSection: number;
  readonly style: GenreStyle;
  readonly random: Random;
}

/** Velocity scaled by section level, clamped to 1..127. */
export function scaledVelocity(base: number, level: number, random?: Random): number {
  const jitter = random ? random.integer(9) - 4 : 0;
  return Math.max(1, Math.min(127, Math.round(base * (0.62 + 0.45 * level) + jitter)));
}
