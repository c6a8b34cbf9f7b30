/** Which instruments play: named ones, negated ones ("no synths"), and whether they are the whole ensemble. Pure. */
import { allEntries, bestEntry, findPhrase, normalizeText } from './match-words.js';
import type { GenreId } from './vocabulary-genres.js';
import { ABSENCE_WORDS, INSTRUMENT_WORDS, type InstrumentEntry, type InstrumentRole } from './vocabulary-instruments.js';
import { ENSEMBLES, EXCLUSIVE_WORDS, NEGATION_WORDS } from './vocabulary-terms.js';

/** An instrument the prompt asked for. */
export interface RequestedInstrument {
  readonly name: string;
  readonly program: number;
  readonly role: InstrumentRole;
}

/** What the prompt says about instrumentation. */
export interface Instrumentation {
  readonly instruments: readonly RequestedInstrument[];
  /** Roles the prompt excluded ("no drums", "no bass", "no pads"). */
  readonly excludedRoles: readonly InstrumentRole[];
  /** Programs the prompt excluded ("no synths", "without piano"). */
  readonly excludedPrograms: readonly number[];
  /** True when the instruments are the whole ensemble ("solo piano", "string quartet", "just guitar"). */
  readonly exclusive: boolean;
  /** Genre implied by a named ensemble ("string quartet" is orchestral). */
  readonly ensembleGenre: GenreId | undefined;
}

/** Synthesizer programs: synth bass, synth strings, synth leads and pads. */
const SYNTH_PROGRAMS = [38, 39, 50, 51, ...Array.from({ length: 24 }, (_, index) => 80 + index)];
const A_CAPPELLA = ENSEMBLES.find((entry) => entry.words.includes('a cappella')) as (typeof ENSEMBLES)[number];
const ARTICLES = new Set(['a', 'an', 'any', 'the', 'some']);
/** Words that, after a negation, mean the drum part. */
const DRUM_WORDS = new Set(['drum', 'drums', 'percussion', 'beat', 'beats', 'kick', 'hats', 'hi hats']);
const PHRASES = INSTRUMENT_WORDS.flatMap((entry) => entry.words.map((word) => ({ tokens: normalizeText(word).trim().split(' '), entry })));

/** The longest instrument phrase starting at token `index`, or undefined. */
function instrumentAt(tokens: readonly string[], index: number): { entry: InstrumentEntry; length: number } | undefined {
  let best: { entry: InstrumentEntry; length: number } | undefined;
  for (const { tokens: phrase, entry } of PHRASES) {
    if (best && phrase.length <= best.length) continue;
    if (phrase.every((token, offset) => tokens[index + offset] === token)) best = { entry, length: phrase.length };
  }
  return best;
}

/** Find negated instruments, and return the text with them removed. */
function readNegations(text: string): { rest: string; roles: Set<InstrumentRole>; programs: Set<number> } {
  const tokens = text.trim().split(' ');
  const roles = new Set<InstrumentRole>();
  const programs = new Set<number>();
  for (const row of ABSENCE_WORDS) if (findPhrase(text, row.words)) roles.add(row.role);
  const keep = tokens.map(() => true);
  for (let index = 0; index < tokens.length; index++) {
    if (!NEGATION_WORDS.includes(tokens[index] as string)) continue;
    let cursor = index + 1;
    while (cursor < tokens.length) {
      while (ARTICLES.has(tokens[cursor] as string)) cursor++;
      const found = instrumentAt(tokens, cursor);
      const drumWord = DRUM_WORDS.has(tokens[cursor] as string);
      if (!found && !drumWord) break;
      const length = found?.length ?? 1;
      const role = found?.entry.role ?? 'drums';
      if (role === 'drums' || role === 'bass' || role === 'pad') roles.add(role);
      if (found) programs.add(found.entry.program);
      // "No synths" rules out every synthesizer, not only the saw lead the word maps to.
      if (found?.entry.program === 81) for (const program of SYNTH_PROGRAMS) programs.add(program);
      for (let offset = index; offset < cursor + length; offset++) keep[offset] = false;
      cursor += length;
      if (tokens[cursor] !== 'or' && tokens[cursor] !== 'nor') break;
      cursor++;
    }
  }
  return { rest: ` ${tokens.filter((_, index) => keep[index]).join(' ')} `, roles, programs };
}

/** Instruments named in `text`, in order of appearance, without those covered by a longer phrase. */
function namedInstruments(text: string, roles: ReadonlySet<InstrumentRole>): RequestedInstrument[] {
  const found: { instrument: RequestedInstrument; position: number; length: number }[] = [];
  for (const { entry, match } of allEntries(text, INSTRUMENT_WORDS)) {
    if (roles.has(entry.role)) continue;
    if (found.some((chosen) => chosen.instrument.program === entry.program && chosen.instrument.role === entry.role)) continue;
    found.push({ instrument: { name: entry.name, program: entry.program, role: entry.role }, ...match });
  }
  // "bass" inside "synth bass", "guitar" inside "electric guitar": drop entries whose phrase is covered by a longer one.
  return found
    .filter(
      (own) =>
        !found.some(
          (other) =>
            other !== own &&
            other.length > own.length &&
            other.position <= own.position &&
            other.position + other.length >= own.position + own.length,
        ),
    )
    .map((chosen) => chosen.instrument);
}

/** True when "solo" makes the named instruments the whole ensemble: "solo piano", "piano solo", not "a guitar solo". */
function soloIsExclusive(tokens: readonly string[]): boolean {
  if (tokens.some((word) => word === 'over' || word === 'band' || word === 'backing' || word === 'featuring')) return false;
  return tokens.some((token, index) => {
    if (token !== 'solo') return false;
    // "Solo piano", "solo jazz piano", "solo acoustic nylon guitar".
    for (let ahead = index + 1; ahead <= index + 3; ahead++) if (instrumentAt(tokens, ahead)) return true;
    for (let start = index - 1; start >= Math.max(0, index - 3); start--) {
      const found = instrumentAt(tokens, start);
      if (found && start + found.length === index) return !['a', 'an', 'with', 'featuring', 'and'].includes(tokens[start - 1] ?? '');
    }
    return false;
  });
}

/** Read the instrumentation of a normalised prompt (genre terms already blanked out). */
export function readInstrumentation(text: string): Instrumentation {
  const { rest: unnegated, roles, programs } = readNegations(text);
  const found = bestEntry(unnegated, ENSEMBLES);
  // The ensemble's own words ("piano trio", "brass quintet") do not name instruments of their own.
  const where = found && findPhrase(unnegated, found.words);
  const rest = where ? `${unnegated.slice(0, where.position)} ${unnegated.slice(where.position + where.length + 1)}` : unnegated;
  const named = namedInstruments(rest, roles);
  // "Unaccompanied" with no instrument named is voices alone.
  const ensemble = found ?? (named.length === 0 && findPhrase(rest, ['unaccompanied']) ? A_CAPPELLA : undefined);
  const tokens = rest.trim().split(' ');
  const exclusiveWord = EXCLUSIVE_WORDS.some((word) => word !== 'solo' && findPhrase(rest, [word]));
  const exclusive = ensemble !== undefined || (named.length > 0 && (exclusiveWord || soloIsExclusive(tokens)));
  // Instruments named beside an ensemble take the place of its parts in the same role.
  const namedRoles = new Set(named.map((instrument) => instrument.role));
  const fromEnsemble = (ensemble?.parts ?? []).filter((part) => !roles.has(part.role) && !namedRoles.has(part.role));
  const instruments = [...named, ...fromEnsemble];
  return {
    instruments,
    excludedRoles: [...roles],
    excludedPrograms: [...programs],
    exclusive,
    ensembleGenre: ensemble?.genre,
  };
}
