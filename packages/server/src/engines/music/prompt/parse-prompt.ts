/** Turn a free-text music prompt into a structured brief. Pure. */
import { readInstrumentation, type RequestedInstrument } from './instrumentation.js';
import { allEntries, bestEntry, findPhrase, normalizeText } from './match-words.js';
import { parseExplicitTempo, parseKey } from './parse-key-tempo.js';
import { DEFAULT_GENRE, GENRES, type GenreId } from './vocabulary-genres.js';
import { type InstrumentRole, STRUCTURE_WORDS, type StructureHint } from './vocabulary-instruments.js';
import { ENERGY_WORDS, MOODS, type MoodId, TEMPO_WORDS } from './vocabulary-moods.js';
import { type DrumFeel, GENRE_TERMS } from './vocabulary-terms.js';
import { CLEAN_TEXTURE, CLEAN_WORDS, DENSITY_WORDS, GENRE_TEXTURE, TEXTURE_WORDS, type Texture } from './vocabulary-texture.js';

export { parseExplicitTempo, parseKey } from './parse-key-tempo.js';
export type { RequestedInstrument } from './instrumentation.js';

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
  /** Programs the prompt excluded ("no synths"): the genre's default in that role is replaced. */
  readonly excludedPrograms: readonly number[];
  /** True when the named instruments are the whole ensemble ("solo piano", "string quartet"). */
  readonly exclusive: boolean;
  /** 0 (very quiet, sparse) .. 1 (full, driving). */
  readonly energy: number;
  /** How many notes the parts play: 1 is the genre's own density, 0.5 sparse, 2 busy. */
  readonly density: number;
  readonly structure: readonly StructureHint[];
  /** A drum feel named by a genre term ("one drop", "half time"), overriding the groove. */
  readonly feel: DrumFeel | undefined;
  /** "Walking bass": the bass walks whatever the genre. */
  readonly walkingBass: boolean;
  /** "Call and response": lead and counter-line alternate bar by bar. */
  readonly callAndResponse: boolean;
  /** Noise, roll-off and saturation applied to the mix. */
  readonly texture: Texture;
}

/** Blank out genre terms ("one drop", "walking bass") so their words are not read again as form or instrument words. */
function readGenreTerms(text: string) {
  let rest = text;
  const terms = allEntries(text, GENRE_TERMS).map(({ entry }) => entry);
  for (const term of terms) {
    for (const word of [...term.words].sort((left, right) => right.length - left.length)) {
      rest = rest.split(normalizeText(word)).join(term.keep ? ` ${term.keep} ` : '   ');
    }
  }
  return { rest: normalizeText(rest), terms };
}

function readTexture(text: string, genre: GenreId): { texture: Texture; density: number } {
  let texture = GENRE_TEXTURE[genre] ?? CLEAN_TEXTURE;
  let density = 1;
  for (const row of TEXTURE_WORDS) {
    if (!findPhrase(text, row.words)) continue;
    const rollOffHz = Math.min(texture.rollOffHz ?? Infinity, row.rollOffHz ?? Infinity);
    texture = {
      noise: Math.max(texture.noise, row.noise ?? 0),
      rollOffHz: Number.isFinite(rollOffHz) ? rollOffHz : undefined,
      saturation: Math.max(texture.saturation, row.saturation ?? 0),
    };
    density *= row.density ?? 1;
  }
  if (findPhrase(text, CLEAN_WORDS)) texture = CLEAN_TEXTURE;
  for (const row of DENSITY_WORDS) if (findPhrase(text, row.words)) density *= row.density;
  return { texture, density: Math.min(2, Math.max(0.5, density)) };
}

/** Parse a prompt into a brief; deterministic, no randomness. */
export function parsePrompt(prompt: string): MusicBrief {
  const { rest: text, terms } = readGenreTerms(normalizeText(prompt));
  const instrumentation = readInstrumentation(text);
  const termGenre = terms.find((term) => term.genre)?.genre;
  const fallbackGenre = instrumentation.ensembleGenre ?? termGenre;
  const namedGenre = bestEntry(text, GENRES);
  const genreEntry = namedGenre ?? (GENRES.find((row) => row.id === (fallbackGenre ?? DEFAULT_GENRE)) as (typeof GENRES)[number]);
  // "Sad piano and cello", no genre named: the melodic instruments named are the whole ensemble.
  const melodicOnly = instrumentation.instruments.every((instrument) => instrument.role !== 'drums' && instrument.role !== 'bass');
  const unstyled = !namedGenre && !fallbackGenre && instrumentation.instruments.length > 0 && melodicOnly;
  const moodEntry = bestEntry(text, MOODS);
  const explicitTempo = parseExplicitTempo(prompt);
  const key = parseKey(prompt);

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

  const withoutDrop = terms.some((term) => term.withoutDrop);
  const structure = STRUCTURE_WORDS.filter((row) => findPhrase(text, row.words))
    .map((row) => row.hint)
    .filter((hint) => !(withoutDrop && hint === 'drop'))
    .concat(withoutDrop ? ['no-drop'] : []);
  return {
    genre: genreEntry.id,
    mood: moodEntry?.id,
    bpm,
    bpmExplicit: explicitTempo !== undefined,
    tonic: key.tonic ?? terms.find((term) => term.tonic !== undefined)?.tonic,
    mode: key.mode ?? moodEntry?.mode,
    instruments: instrumentation.instruments,
    excludedRoles: instrumentation.excludedRoles,
    excludedPrograms: instrumentation.excludedPrograms,
    exclusive: instrumentation.exclusive || unstyled,
    energy,
    ...readTexture(text, genreEntry.id),
    structure,
    feel: terms.find((term) => term.feel)?.feel,
    walkingBass: terms.some((term) => term.walkingBass),
    callAndResponse: terms.some((term) => term.callAndResponse),
  };
}
