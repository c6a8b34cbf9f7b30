/** Multi-word genre terms that must not be read word by word, and ensembles named as a whole. Data only. */
import type { GenreId } from './vocabulary-genres.js';
import type { InstrumentRole } from './vocabulary-instruments.js';

/** A drum feel that overrides the genre groove's kick, snare and hi-hat lines. */
export type DrumFeel = 'four-on-the-floor' | 'half-time' | 'double-time' | 'one-drop' | 'blast-beat' | 'steppers';

/** A genre term: read as a whole, then blanked out so its words do not count as form, tempo or instrument words. */
export interface GenreTerm {
  readonly words: readonly string[];
  /** Genre it implies when no genre word is present. */
  readonly genre?: GenreId;
  readonly feel?: DrumFeel;
  /** The bass plays a walking line. */
  readonly walkingBass?: boolean;
  /** Lead and counter-line answer each other bar by bar. */
  readonly callAndResponse?: boolean;
  /** Tonic pitch class the term implies when the prompt names no key ("drop D" tuning). */
  readonly tonic?: number;
  /** Words left in place of the term, read as usual ("walking upright bass" still names an upright bass). */
  readonly keep?: string;
  /** A structure the term rules out ("no drop"). */
  readonly withoutDrop?: boolean;
}

/**
 * Every genre term. "Drop" in "one drop" or "drop D" is a drum pattern or a tuning, not the EDM
 * drop; "bass" in "walking bass" is a playing style, not a request for a bass guitar.
 */
export const GENRE_TERMS: readonly GenreTerm[] = [
  { words: ['one drop', 'one drop riddim', 'one drop rhythm', 'one drop beat', 'one drop groove'], genre: 'reggae', feel: 'one-drop' },
  { words: ['steppers', 'steppers riddim', 'rockers riddim'], genre: 'reggae', feel: 'steppers' },
  {
    words: ['four on the floor', 'four to the floor', '4 on the floor', 'four on the floor kick'],
    genre: 'house',
    feel: 'four-on-the-floor',
  },
  { words: ['half time', 'halftime', 'half time feel', 'half time groove'], feel: 'half-time' },
  { words: ['double time', 'double time feel', 'double time hi hats', 'double time hats'], feel: 'double-time' },
  { words: ['blast beat', 'blast beats', 'blastbeat', 'blastbeats'], genre: 'metal', feel: 'blast-beat' },
  { words: ['boom bap', 'boom bap drums', 'boom bap beat'], genre: 'hip-hop' },
  { words: ['walking bass', 'walking bassline', 'walking bass line'], genre: 'jazz', walkingBass: true },
  { words: ['walking upright bass', 'walking double bass'], genre: 'jazz', walkingBass: true, keep: 'upright bass' },
  { words: ['palm muted', 'palm muting', 'palm mute', 'chugging'], genre: 'metal' },
  { words: ['call and response', 'call & response', 'call n response'], callAndResponse: true },
  { words: ['drop d', 'drop d tuning'], genre: 'metal', tonic: 2 },
  { words: ['drop c', 'drop c tuning'], genre: 'metal', tonic: 0 },
  { words: ['drop b', 'drop tuning', 'drop a'], genre: 'metal' },
  { words: ['no drop', 'without a drop', 'without the drop', 'no bass drop'], withoutDrop: true },
  { words: ['breakbeat', 'breakbeats', 'break beat', 'amen break'], genre: 'hip-hop' },
  { words: ['slow jam', 'quiet storm'], genre: 'funk' },
  // Everyday "drops" that are not the EDM drop.
  { words: ['tear drop', 'tear drops', 'rain drop', 'rain drops', 'dew drop', 'drop of rain', 'mic drop', 'needle drop', 'drop out'] },
];

/** One part of a named ensemble. */
export interface EnsemblePart {
  readonly name: string;
  readonly program: number;
  readonly role: InstrumentRole;
}

/** An ensemble named as a whole ("string quartet"): exactly these parts play. */
export interface EnsembleEntry {
  readonly words: readonly string[];
  readonly genre?: GenreId;
  readonly parts: readonly EnsemblePart[];
}

const VIOLIN = { name: 'Violin', program: 40, role: 'lead' } as const;
const VOICES = [
  { name: 'Voice oohs', program: 53, role: 'lead' },
  { name: 'Choir', program: 52, role: 'chords' },
  { name: 'Low voices', program: 52, role: 'bass' },
] as const;

/** Ensembles the prompt may name instead of listing instruments. */
export const ENSEMBLES: readonly EnsembleEntry[] = [
  {
    words: ['string quartet', 'string quartets'],
    genre: 'orchestral',
    parts: [
      VIOLIN,
      { ...VIOLIN, name: 'Second violin' },
      { name: 'Viola', program: 41, role: 'chords' },
      { name: 'Cello', program: 42, role: 'bass' },
    ],
  },
  {
    words: ['string trio'],
    genre: 'orchestral',
    parts: [VIOLIN, { name: 'Viola', program: 41, role: 'chords' }, { name: 'Cello', program: 42, role: 'bass' }],
  },
  {
    words: ['piano trio'],
    genre: 'orchestral',
    parts: [VIOLIN, { name: 'Piano', program: 0, role: 'chords' }, { name: 'Cello', program: 42, role: 'bass' }],
  },
  {
    words: ['jazz trio', 'piano jazz trio'],
    genre: 'jazz',
    parts: [
      { name: 'Piano', program: 0, role: 'lead' },
      { name: 'Piano', program: 0, role: 'chords' },
      { name: 'Upright bass', program: 32, role: 'bass' },
      { name: 'Brush kit', program: 40, role: 'drums' },
    ],
  },
  {
    words: ['power trio'],
    genre: 'rock',
    parts: [
      { name: 'Overdriven guitar', program: 29, role: 'lead' },
      { name: 'Distorted guitar', program: 30, role: 'chords' },
      { name: 'Bass guitar', program: 33, role: 'bass' },
      { name: 'Drum kit', program: 0, role: 'drums' },
    ],
  },
  {
    words: ['brass quintet', 'brass ensemble', 'brass band', 'brass choir'],
    parts: [
      { name: 'Trumpet', program: 56, role: 'lead' },
      { name: 'French horn', program: 60, role: 'chords' },
      { name: 'Trombone', program: 57, role: 'lead' },
      { name: 'Tuba', program: 58, role: 'bass' },
    ],
  },
  {
    words: ['woodwind quintet', 'wind quintet', 'woodwind ensemble', 'woodwinds'],
    parts: [
      { name: 'Flute', program: 73, role: 'lead' },
      { name: 'Clarinet', program: 71, role: 'chords' },
      { name: 'Oboe', program: 68, role: 'lead' },
      { name: 'Bassoon', program: 70, role: 'bass' },
    ],
  },
  {
    words: ['string orchestra', 'strings only', 'only strings', 'just strings'],
    genre: 'orchestral',
    parts: [VIOLIN, { name: 'Strings', program: 48, role: 'chords' }, { name: 'Contrabass', program: 43, role: 'bass' }],
  },
  {
    words: ['a cappella', 'acappella', 'a capella', 'acapella', 'barbershop quartet', 'unaccompanied choir', 'voices only'],
    parts: VOICES,
  },
];

/** Words that make the named instruments the whole ensemble. */
export const EXCLUSIVE_WORDS: readonly string[] = [
  'solo',
  'only',
  'just',
  'alone',
  'unaccompanied',
  'by itself',
  'on its own',
  'nothing else',
  'duet',
  'duo',
  'trio',
  'quartet',
  'quintet',
];

/** Words that negate the instrument named right after them ("no synths", "without a bass"). */
export const NEGATION_WORDS: readonly string[] = ['no', 'without', 'minus', 'sans', 'zero', 'not'];
