/** Scales and chords: roman-numeral progressions resolved to MIDI pitches. Pure. */

/** A chord resolved in a key: root pitch class offset and the intervals above it. */
export interface Chord {
  /** Semitones from the tonic, 0..11. */
  readonly root: number;
  /** Intervals above the root, first is 0. */
  readonly intervals: readonly number[];
  /** The numeral it came from, for debugging and tests. */
  readonly symbol: string;
}

/** Major and natural minor scales as semitone offsets from the tonic. */
export const SCALES: Readonly<Record<'major' | 'minor', readonly number[]>> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
};

const NUMERALS: readonly [string, number][] = [
  ['vii', 11],
  ['iii', 4],
  ['vi', 9],
  ['iv', 5],
  ['ii', 2],
  ['v', 7],
  ['i', 0],
];

/**
 * Parse a roman numeral such as `I`, `vi7`, `bVII`, `IVmaj7`, `V7`, `iio`, `Isus4`, `Iadd9`.
 * Upper case is a major triad, lower case minor; `7` adds a dominant/minor seventh, `maj7` a major seventh.
 */
export function parseNumeral(symbol: string): Chord {
  let rest = symbol;
  let shift = 0;
  while (rest.startsWith('b') || rest.startsWith('#')) {
    shift += rest.startsWith('b') ? -1 : 1;
    rest = rest.slice(1);
  }
  const lower = rest.toLowerCase();
  const numeral = NUMERALS.find(([name]) => lower.startsWith(name));
  if (!numeral) throw new Error(`Bad chord numeral ${symbol}`);
  const [name, degree] = numeral;
  const isMajor = rest[0] === rest[0]?.toUpperCase();
  const suffix = rest.slice(name.length);
  let intervals: number[] = isMajor ? [0, 4, 7] : [0, 3, 7];
  if (suffix.includes('o')) intervals = [0, 3, 6];
  if (suffix.includes('sus4')) intervals = [0, 5, 7];
  if (suffix.includes('sus2')) intervals = [0, 2, 7];
  if (suffix.includes('maj7')) intervals.push(11);
  else if (suffix.includes('7')) intervals.push(10);
  if (suffix.includes('add9') || suffix.includes('9')) intervals.push(14);
  return { root: (degree + shift + 12) % 12, intervals, symbol };
}

/** Parse a space-separated progression such as `"vi IV I V"`. */
export function parseProgression(text: string): Chord[] {
  return text.trim().split(/\s+/).map(parseNumeral);
}

/** Pitch classes (relative to the tonic) of a chord. */
export function chordPitchClasses(chord: Chord): number[] {
  return chord.intervals.map((interval) => (chord.root + interval) % 12);
}

/** Closest voicing of `chord` around `center` (MIDI), `size` notes, rooted in key `tonic`. */
export function voiceChord(chord: Chord, tonic: number, center: number, size = 4): number[] {
  const classes = chord.intervals.map((interval) => (tonic + chord.root + interval) % 12);
  const notes: number[] = [];
  let candidate = center - 6;
  while (notes.length < size && candidate < center + 24) {
    const pitchClass = ((candidate % 12) + 12) % 12;
    if (classes.includes(pitchClass) && (notes.length > 0 || pitchClass === classes[0] || candidate > center - 4)) {
      notes.push(candidate);
    }
    candidate++;
  }
  return notes;
}

/** MIDI pitch of the chord root in the octave at or above `floor`. */
export function rootPitch(chord: Chord, tonic: number, floor: number): number {
  const pitchClass = (tonic + chord.root) % 12;
  return floor + ((pitchClass - (floor % 12) + 12) % 12);
}

/** Snap `pitch` to the nearest tone of `pitchClasses` (absolute pitch classes). */
export function nearestChordTone(pitch: number, pitchClasses: readonly number[]): number {
  for (let distance = 0; distance < 12; distance++) {
    for (const candidate of [pitch - distance, pitch + distance]) {
      if (pitchClasses.includes(((candidate % 12) + 12) % 12)) return candidate;
    }
  }
  return pitch;
}
