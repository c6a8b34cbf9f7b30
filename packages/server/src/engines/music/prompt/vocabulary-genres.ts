/** Genre vocabulary: which prompt words select which genre, and that genre's usual tempo. */

/** Identifier of a genre the composer knows how to write. */
export type GenreId =
  | 'pop'
  | 'rock'
  | 'metal'
  | 'indie-folk'
  | 'country'
  | 'hip-hop'
  | 'lo-fi'
  | 'house'
  | 'techno'
  | 'jazz'
  | 'blues'
  | 'funk'
  | 'reggae'
  | 'orchestral'
  | 'ambient';

/** One row of the genre table. */
export interface GenreEntry {
  readonly id: GenreId;
  /** Words and phrases (lower case) that select the genre. */
  readonly words: readonly string[];
  /** Typical tempo range in BPM; the mood picks a point inside it. */
  readonly tempo: readonly [number, number];
  /** Probability of a minor key when neither the prompt nor the mood decides. */
  readonly minorBias: number;
  /** Baseline energy 0..1. */
  readonly energy: number;
}

/** Every genre and the words that select it. Longer phrases win over shorter ones. */
export const GENRES: readonly GenreEntry[] = [
  {
    id: 'pop',
    words: ['pop', 'synthpop', 'synth pop', 'k pop', 'kpop', 'dance pop', 'radio', 'catchy'],
    tempo: [96, 124],
    minorBias: 0.3,
    energy: 0.6,
  },
  {
    id: 'rock',
    words: [
      'rock',
      'punk',
      'grunge',
      'alternative',
      'garage rock',
      'classic rock',
      'power ballad',
      'rock and roll',
      'indie rock',
      'soft rock',
      'space rock',
    ],
    tempo: [100, 150],
    minorBias: 0.4,
    energy: 0.75,
  },
  {
    id: 'metal',
    words: ['metal', 'heavy metal', 'thrash', 'djent', 'metalcore', 'hard rock'],
    tempo: [120, 170],
    minorBias: 0.9,
    energy: 0.95,
  },
  {
    id: 'indie-folk',
    words: ['folk', 'indie folk', 'indie', 'acoustic', 'singer songwriter', 'campfire', 'americana', 'bluegrass'],
    tempo: [84, 118],
    minorBias: 0.3,
    energy: 0.4,
  },
  {
    id: 'country',
    words: ['country', 'western', 'honky tonk', 'nashville', 'cowboy', 'acoustic country', 'country ballad'],
    tempo: [90, 126],
    minorBias: 0.1,
    energy: 0.55,
  },
  {
    id: 'hip-hop',
    words: ['hip hop', 'hiphop', 'rap', 'trap', 'boom bap', 'drill', 'beat tape', '808'],
    tempo: [84, 98],
    minorBias: 0.75,
    energy: 0.65,
  },
  {
    id: 'lo-fi',
    words: ['lo fi', 'lofi', 'lo fi hip hop', 'lofi hip hop', 'chillhop', 'study beats', 'beats to study', 'chill beats'],
    tempo: [70, 88],
    minorBias: 0.4,
    energy: 0.3,
  },
  {
    id: 'house',
    words: [
      'house',
      'edm',
      'deep house',
      'dance',
      'club',
      'electro',
      'progressive house',
      'future bass',
      'festival',
      'trance',
      'disco',
      'space disco',
      'nu disco',
      'italo disco',
    ],
    tempo: [120, 128],
    minorBias: 0.5,
    energy: 0.8,
  },
  {
    id: 'techno',
    words: ['techno', 'minimal techno', 'industrial', 'rave', 'warehouse', 'acid'],
    tempo: [125, 135],
    minorBias: 0.9,
    energy: 0.85,
  },
  {
    id: 'jazz',
    words: ['jazz', 'swing', 'bebop', 'bossa', 'bossa nova', 'smooth jazz', 'big band', 'lounge', 'cocktail'],
    tempo: [90, 160],
    minorBias: 0.3,
    energy: 0.5,
  },
  { id: 'blues', words: ['blues', 'delta blues', 'shuffle', 'twelve bar', '12 bar'], tempo: [70, 110], minorBias: 0.2, energy: 0.55 },
  {
    id: 'funk',
    words: ['funk', 'funky', 'r&b', 'rnb', 'soul', 'neo soul', 'motown', 'groove'],
    tempo: [92, 112],
    minorBias: 0.55,
    energy: 0.7,
  },
  { id: 'reggae', words: ['reggae', 'dub', 'ska', 'dancehall', 'island', 'caribbean'], tempo: [70, 90], minorBias: 0.35, energy: 0.5 },
  {
    id: 'orchestral',
    words: [
      'orchestral',
      'orchestra',
      'cinematic',
      'film score',
      'soundtrack',
      'epic',
      'trailer',
      'classical',
      'symphonic',
      'score',
      'fantasy',
      'adventure',
      'heroic',
    ],
    tempo: [72, 110],
    minorBias: 0.6,
    energy: 0.6,
  },
  {
    id: 'ambient',
    words: ['ambient', 'drone', 'meditation', 'atmospheric', 'soundscape', 'new age', 'spa', 'sleep', 'relaxation', 'space'],
    tempo: [60, 80],
    minorBias: 0.4,
    energy: 0.15,
  },
];

/** Genre used when the prompt names none. */
export const DEFAULT_GENRE: GenreId = 'pop';
