/** Turn a free-text music prompt into a structured brief. Pure. */
import { DEFAULT_GENRE, GENRES, type GenreId } from './vocabulary-genres.js';
import { ENERGY_WORDS, MOODS, TEMPO_WORDS, type MoodId } from './vocabulary-moods.js';
import { ABSENCE_WORDS, INSTRUMENT_WORDS, STRUCTURE_WORDS, type InstrumentRole, type StructureHint } from './vocabulary-instruments.js';
import { allEntries, bestEntry, findPhrase, normalizeText } from './match-words.js';

/** An instrument the prompt asked for. */
export interface RequestedInstrument {
  readonly name: string;
  readonly program: number;
  readonly role: InstrumentRole;
}

/** What the prompt asks for, with defaults filled in from genre and mood. */
export interface MusicBrief {
  readonly genre: GenreId;
  readonly mood: MoodId | undefined;
  /** Beats per minute. */
  readonly bpm: number;
  /** True when the prompt gave a number ("120 BPM"): it is then used exactly. */
  readonly bpmExplicit: boolean;
  /** Tonic pitch class 0..11 (0 = C), or undefined when the prompt gave none. */
  readonly tonic: number | undefined;
  /** Mode, or undefined when neither prompt nor mood decides. */
  readonly mode: 'major' | 'minor' | undefined;
  readonly instruments: readonly RequestedInstrument[];
  /** Roles the prompt excluded ("no drums"). */
  readonly excludedRoles: readonly InstrumentRole[];
  /** 0 (very quiet, sparse) .. 1 (full, driving). */
  readonly energy: number;
  readonly structure: readonly StructureHint[];
}

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
  const keyOf = /\bkey of ([a-g])\s*(#|sharp|b|flat)?(?:\s+(major|minor))?\b|\bin ([a-g])(#|b)?(?=[\s,.;]|$)/.exec(normalized);
  const letter = named?.[1] ?? keyOf?.[1] ?? keyOf?.[4];
  const accidental = named?.[2] ?? keyOf?.[2] ?? keyOf?.[5];
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

/** Parse a prompt into a brief; deterministic, no randomness. */
export function parsePrompt(prompt: string): MusicBrief {
  const text = normalizeText(prompt);
  const genreEntry = bestEntry(text, GENRES) ?? (GENRES.find((row) => row.id === DEFAULT_GENRE) as (typeof GENRES)[number]);
  const moodEntry = bestEntry(text, MOODS);
  const explicitTempo = parseExplicitTempo(prompt);
  const key = parseKey(prompt);

  const excludedRoles = ABSENCE_WORDS.filter((row) => findPhrase(text, row.words)).map((row) => row.role);
  const instruments: RequestedInstrument[] = [];
  for (const { entry } of allEntries(text, INSTRUMENT_WORDS)) {
    if (excludedRoles.includes(entry.role)) continue;
    if (instruments.some((chosen) => chosen.program === entry.program && chosen.role === entry.role)) continue;
    instruments.push({ name: entry.name, program: entry.program, role: entry.role });
  }
  // "bass" inside "synth bass", "guitar" inside "electric guitar": drop entries whose phrase is covered by a longer one.
  const filtered = instruments.filter((candidate) => !isShadowed(text, candidate.name, instruments));

  let energy = (genreEntry.energy + (moodEntry?.energy ?? genreEntry.energy)) / 2;
  for (const row of ENERGY_WORDS) if (findPhrase(text, row.words)) energy += row.delta;
  energy = Math.min(1, Math.max(0, energy));

  let bpm: number;
  if (explicitTempo !== undefined) bpm = explicitTempo;
  else {
    const [low, high] = genreEntry.tempo;
    const position = moodEntry?.tempoPosition ?? 0.5;
    bpm = low + (high - low) * position;
    const tempoWord = bestEntry(text, TEMPO_WORDS);
    if (tempoWord) bpm *= tempoWord.factor;
    bpm = Math.round(Math.min(190, Math.max(50, bpm)));
  }

  const structure = STRUCTURE_WORDS.filter((row) => findPhrase(text, row.words)).map((row) => row.hint);
  return {
    genre: genreEntry.id,
    mood: moodEntry?.id,
    bpm,
    bpmExplicit: explicitTempo !== undefined,
    tonic: key.tonic,
    mode: key.mode ?? moodEntry?.mode,
    instruments: filtered,
    excludedRoles,
    energy,
    structure,
  };
}

function isShadowed(text: string, name: string, chosen: readonly RequestedInstrument[]): boolean {
  const entry = INSTRUMENT_WORDS.find((row) => row.name === name);
  if (!entry) return false;
  const own = findPhrase(text, entry.words);
  if (!own) return false;
  return chosen.some((other) => {
    if (other.name === name) return false;
    const otherEntry = INSTRUMENT_WORDS.find((row) => row.name === other.name);
    const match = otherEntry && findPhrase(text, otherEntry.words);
    return (
      !!match && match.length > own.length && match.position <= own.position && match.position + match.length >= own.position + own.length
    );
  });
}
