/** How each genre is played: progressions, default instruments, comping, bass and drum styles. Data only. */
import type { GenreId } from '../prompt/vocabulary-genres.js';
import type { DrumFeel } from '../prompt/vocabulary-terms.js';

/** How the chord instrument plays. */
export type CompingStyle = 'block' | 'stabs' | 'arpeggio' | 'strum' | 'power' | 'jazz' | 'skank' | 'sustain' | 'ostinato';
/** How the bass plays. */
export type BassStyle = 'half' | 'eighths' | 'walking' | 'funk' | 'offbeat' | 'sustain' | 'sub' | 'reggae';

/** The playing style of one genre. */
export interface GenreStyle {
  /** Progressions (roman numerals, one chord per `barsPerChord` bars) for major and minor keys. */
  readonly progressions: { readonly major: readonly string[]; readonly minor: readonly string[] };
  readonly barsPerChord: number;
  /** Default GM programs per role; `pad` may be null for none. */
  readonly lead: number;
  readonly chords: number;
  readonly pad: number | null;
  readonly bass: number;
  /** GM drum kit (bank 128 preset number), or null for no drums by default. */
  readonly drumKit: number | null;
  readonly comping: CompingStyle;
  readonly bassStyle: BassStyle;
  /** Key into DRUM_PATTERNS. */
  readonly drums: string;
  /** Where the off-beat eighth falls within the beat: 0.5 straight, 0.667 triplet swing. */
  readonly swing: number;
  /** Reverb send 0..127. */
  readonly reverb: number;
  /** Melody notes per bar, roughly (density of the lead). */
  readonly melodyDensity: number;
  /** MIDI pitch the melody centres on. */
  readonly melodyCenter: number;
  /** How busy the parts are (1 = the genre's own; set from the prompt's intensity words). */
  readonly density?: number;
  /** A drum feel from the prompt ("one drop", "half time") that overrides the groove's lines. */
  readonly feel?: DrumFeel;
}

const POP_MAJOR = ['I V vi IV', 'vi IV I V', 'I vi IV V', 'IV I V vi'];
const POP_MINOR = ['i bVI bIII bVII', 'i bVII bVI bVII', 'i iv bVI bVII', 'bVI bVII i i'];

/** The style table, one row per genre. */
export const GENRE_STYLES: Readonly<Record<GenreId, GenreStyle>> = {
  pop: {
    progressions: { major: POP_MAJOR, minor: POP_MINOR },
    barsPerChord: 1,
    lead: 81,
    chords: 0,
    pad: 89,
    bass: 38,
    drumKit: 0,
    comping: 'block',
    bassStyle: 'eighths',
    drums: 'pop',
    swing: 0.5,
    reverb: 50,
    melodyDensity: 5,
    melodyCenter: 72,
  },
  rock: {
    progressions: {
      major: ['I IV V IV', 'I bVII IV I', 'I V vi IV', 'vi IV I V'],
      minor: ['i bVII bVI bVII', 'i bIII bVII iv', 'i bVI bIII bVII'],
    },
    barsPerChord: 1,
    lead: 29,
    chords: 30,
    pad: null,
    bass: 34,
    drumKit: 0,
    comping: 'power',
    bassStyle: 'eighths',
    drums: 'rock',
    swing: 0.5,
    reverb: 35,
    melodyDensity: 4,
    melodyCenter: 69,
  },
  metal: {
    progressions: { major: ['i bVI bVII i', 'i bII i bVII'], minor: ['i bVI bVII i', 'i bII i bVII', 'i iv bVI V'] },
    barsPerChord: 1,
    lead: 30,
    chords: 30,
    pad: null,
    bass: 34,
    drumKit: 16,
    comping: 'power',
    bassStyle: 'eighths',
    drums: 'metal',
    swing: 0.5,
    reverb: 30,
    melodyDensity: 6,
    melodyCenter: 67,
  },
  'indie-folk': {
    progressions: { major: ['I IV vi V', 'I V vi IV', 'IV I V V', 'I iii IV IV'], minor: ['vi IV I V', 'i bVII bVI bVII'] },
    barsPerChord: 1,
    lead: 73,
    chords: 25,
    pad: 48,
    bass: 32,
    drumKit: 8,
    comping: 'arpeggio',
    bassStyle: 'half',
    drums: 'folk',
    swing: 0.5,
    reverb: 60,
    melodyDensity: 4,
    melodyCenter: 72,
  },
  country: {
    progressions: { major: ['I IV V I', 'I I IV V', 'I V IV I', 'I vi IV V'], minor: ['vi IV I V', 'i bVII bVI V'] },
    barsPerChord: 1,
    lead: 40,
    chords: 25,
    pad: null,
    bass: 33,
    drumKit: 0,
    comping: 'strum',
    bassStyle: 'half',
    drums: 'country',
    swing: 0.5,
    reverb: 40,
    melodyDensity: 5,
    melodyCenter: 71,
  },
  'hip-hop': {
    progressions: { major: ['IVmaj7 iii7 vi7 vi7', 'I vi IV V'], minor: ['i bVI i bVI', 'i iv bVI V', 'i bVII bVI bVII'] },
    barsPerChord: 1,
    lead: 0,
    chords: 4,
    pad: 89,
    bass: 38,
    drumKit: 25,
    comping: 'sustain',
    bassStyle: 'sub',
    drums: 'hip-hop',
    swing: 0.56,
    reverb: 40,
    melodyDensity: 3,
    melodyCenter: 74,
  },
  'lo-fi': {
    progressions: {
      major: ['IVmaj7 iii7 ii7 Imaj7', 'Imaj7 vi7 ii7 V7', 'ii7 V7 Imaj7 vi7'],
      minor: ['i7 iv7 bVIImaj7 bIIImaj7', 'iv7 bVII7 i7 i7', 'i7 bVImaj7 iv7 v7'],
    },
    barsPerChord: 1,
    lead: 11,
    chords: 4,
    pad: null,
    bass: 33,
    drumKit: 0,
    comping: 'jazz',
    bassStyle: 'half',
    drums: 'lo-fi',
    swing: 0.6,
    reverb: 55,
    melodyDensity: 3,
    melodyCenter: 76,
  },
  house: {
    progressions: {
      major: ['vi7 IVmaj7 I V', 'I V vi IV', 'ii7 V7 Imaj7 vi7'],
      minor: ['i7 bVI bVII i7', 'i7 iv7 bVI bVII', 'i7 bVII bVI bVII'],
    },
    barsPerChord: 1,
    lead: 81,
    chords: 4,
    pad: 89,
    bass: 38,
    drumKit: 24,
    comping: 'stabs',
    bassStyle: 'offbeat',
    drums: 'house',
    swing: 0.5,
    reverb: 45,
    melodyDensity: 4,
    melodyCenter: 74,
  },
  techno: {
    progressions: { major: ['i i bVII bVII', 'i i i bVI'], minor: ['i i bVII bVII', 'i i i bVI', 'i i iv iv'] },
    barsPerChord: 2,
    lead: 81,
    chords: 90,
    pad: 95,
    bass: 38,
    drumKit: 24,
    comping: 'stabs',
    bassStyle: 'offbeat',
    drums: 'techno',
    swing: 0.5,
    reverb: 55,
    melodyDensity: 6,
    melodyCenter: 67,
  },
  jazz: {
    progressions: {
      major: ['ii7 V7 Imaj7 vi7', 'Imaj7 vi7 ii7 V7', 'iii7 vi7 ii7 V7'],
      minor: ['ii7 V7 i7 i7', 'i7 iv7 bVII7 bIIImaj7', 'i7 vi7 ii7 V7'],
    },
    barsPerChord: 1,
    lead: 65,
    chords: 0,
    pad: null,
    bass: 32,
    drumKit: 40,
    comping: 'jazz',
    bassStyle: 'walking',
    drums: 'jazz',
    swing: 0.667,
    reverb: 45,
    melodyDensity: 6,
    melodyCenter: 70,
  },
  blues: {
    progressions: { major: ['I7 IV7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7'], minor: ['i7 iv7 i7 i7 iv7 iv7 i7 i7 bVI7 V7 i7 V7'] },
    barsPerChord: 1,
    lead: 29,
    chords: 16,
    pad: null,
    bass: 33,
    drumKit: 0,
    comping: 'jazz',
    bassStyle: 'walking',
    drums: 'blues',
    swing: 0.667,
    reverb: 40,
    melodyDensity: 5,
    melodyCenter: 67,
  },
  funk: {
    progressions: { major: ['I7 I7 IV7 IV7', 'I7 IV7 I7 V7'], minor: ['i7 i7 IV7 IV7', 'i7 iv7 i7 bVII7', 'i7 bVII i7 bVII'] },
    barsPerChord: 1,
    lead: 61,
    chords: 27,
    pad: null,
    bass: 36,
    drumKit: 0,
    comping: 'stabs',
    bassStyle: 'funk',
    drums: 'funk',
    swing: 0.54,
    reverb: 30,
    melodyDensity: 5,
    melodyCenter: 72,
  },
  reggae: {
    progressions: { major: ['I IV I V', 'I V IV IV', 'I vi IV V'], minor: ['i iv i bVII', 'i bVII bVI bVII'] },
    barsPerChord: 1,
    lead: 16,
    chords: 16,
    pad: null,
    bass: 33,
    drumKit: 0,
    comping: 'skank',
    bassStyle: 'reggae',
    drums: 'reggae',
    swing: 0.54,
    reverb: 50,
    melodyDensity: 4,
    melodyCenter: 72,
  },
  orchestral: {
    progressions: {
      major: ['I V vi IV', 'I IV vi V', 'IV V iii vi'],
      minor: ['i bVI bIII bVII', 'i iv bVI V', 'i bVI iv V', 'bVI bVII i i'],
    },
    barsPerChord: 1,
    lead: 60,
    chords: 48,
    pad: 52,
    bass: 42,
    drumKit: 48,
    comping: 'sustain',
    bassStyle: 'sustain',
    drums: 'orchestral',
    swing: 0.5,
    reverb: 90,
    melodyDensity: 3,
    melodyCenter: 70,
  },
  ambient: {
    progressions: { major: ['Imaj7 IVmaj7 vi7 IVmaj7', 'Iadd9 IVadd9'], minor: ['i7 bVImaj7 bIIImaj7 bVII', 'iadd9 bVIadd9'] },
    barsPerChord: 2,
    lead: 11,
    chords: 46,
    pad: 89,
    bass: 48,
    drumKit: null,
    comping: 'arpeggio',
    bassStyle: 'sustain',
    drums: 'none',
    swing: 0.5,
    reverb: 110,
    melodyDensity: 2.5,
    melodyCenter: 76,
  },
};
