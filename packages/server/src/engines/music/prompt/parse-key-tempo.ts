/** Explicit tempo ("120 BPM") and key ("C# minor", "in Bb") in a prompt. Pure. */

const PITCH_CLASSES: Readonly<Record<string, number>> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

/** Find "120 bpm", "bpm 120", "tempo 120", "at 90 beats per minute". */
export function parseExplicitTempo(text: string): number | undefined {
  const patterns = [
    /(\d{2,3}(?:\.\d+)?)\s*(?:bpm|beats per minute|beats a minute)\b/i,
    /\b(?:bpm|tempo)\s*(?:of|at|=|:)?\s*(\d{2,3}(?:\.\d+)?)\b/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) {
      const value = Number(match[1]);
      if (value >= 30 && value <= 300) return value;
    }
  }
  return undefined;
}

/** Find a key ("A minor", "C# major", "in Bb", "key of D") and/or a bare mode ("minor key"). */
export function parseKey(text: string): { tonic: number | undefined; mode: 'major' | 'minor' | undefined } {
  // "in a minor key" (lower-case article) names a mode, not the key of A.
  const normalized = text
    .replace(/\ba (major|minor) key\b/g, '$1 key')
    .toLowerCase()
    .replace(/♯/g, '#')
    .replace(/♭/g, 'b');
  const named = /(?:^|[^a-z])([a-g])\s*(#|sharp|b|flat)?\s*-?\s*(major|minor|maj|min)\b/.exec(normalized);
  const keyOf = /\bkey of ([a-g])\s*(#|sharp|b|flat)?(?:\s+(major|minor))?\b|\bin ([a-g])(#|b|\s+flat|\s+sharp)?(?=[\s,.;]|$)/.exec(
    normalized,
  );
  const letter = named?.[1] ?? keyOf?.[1] ?? keyOf?.[4];
  const accidental = (named?.[2] ?? keyOf?.[2] ?? keyOf?.[5])?.trim();
  const modeWord = named?.[3] ?? keyOf?.[3];
  let tonic: number | undefined;
  if (letter) {
    const shift = accidental === '#' || accidental === 'sharp' ? 1 : accidental === 'b' || accidental === 'flat' ? -1 : 0;
    tonic = ((PITCH_CLASSES[letter] as number) + shift + 12) % 12;
  }
  let mode: 'major' | 'minor' | undefined;
  if (modeWord) mode = modeWord.startsWith('maj') ? 'major' : 'minor';
  else if (/\bminor\b/.test(normalized)) mode = 'minor';
  else if (/\bmajor key\b|\bin major\b|\bmajor scale\b|\bmajor mode\b/.test(normalized)) mode = 'major';
  return { tonic, mode };
}
