/** What the sketch plays: tempo and a chord progression (MIDI notes), from the prompt. */
export interface SketchPlan {
  readonly bpm: number;
  readonly chords: readonly (readonly number[])[];
}

const NOTE_NAMES = ['c', 'c#', 'd', 'd#', 'e', 'f', 'f#', 'g', 'g#', 'a', 'a#', 'b'];

/** Read "120 bpm", "A minor"/"C major" from the prompt; otherwise derive them from the seed. */
export function sketchPlan(prompt: string, seed: number): SketchPlan {
  const text = prompt.toLowerCase();
  const bpmMatch = /(\d{2,3})\s*bpm/.exec(text);
  const bpm = bpmMatch ? Math.min(240, Math.max(40, Number(bpmMatch[1]))) : 80 + (seed % 60);
  const keyMatch = /\b([a-g])(#|b|\s*sharp|\s*flat)?\s*(major|minor)\b/.exec(text);
  let root = seed % 12;
  let minor = /\b(sad|dark|minor|melanchol)/.test(text);
  if (keyMatch) {
    root = NOTE_NAMES.indexOf(keyMatch[1] as string);
    if (keyMatch[2]?.includes('#') || keyMatch[2]?.includes('sharp')) root += 1;
    if (keyMatch[2] === 'b' || keyMatch[2]?.includes('flat')) root += 11;
    minor = keyMatch[3] === 'minor';
  }
  const tonic = 60 + (root % 12);
  const degrees = minor
    ? [
        [0, 3, 7],
        [8, 12, 15],
        [3, 7, 10],
        [10, 14, 17],
      ]
    : [
        [0, 4, 7],
        [7, 11, 14],
        [9, 12, 16],
        [5, 9, 12],
      ];
  return { bpm, chords: degrees.map((chord) => chord.map((step) => tonic + step)) };
}
