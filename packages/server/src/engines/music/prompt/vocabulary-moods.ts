/** Mood vocabulary: words that colour key, tempo and energy. */

/** Identifier of a mood. */
export type MoodId =
  | 'happy'
  | 'sad'
  | 'dark'
  | 'calm'
  | 'energetic'
  | 'epic'
  | 'romantic'
  | 'mysterious'
  | 'dreamy'
  | 'tense'
  | 'nostalgic';

/** One row of the mood table. */
export interface MoodEntry {
  readonly id: MoodId;
  readonly words: readonly string[];
  /** Preferred mode, or undefined when the mood does not decide it. */
  readonly mode?: 'major' | 'minor';
  /** Where in the genre's tempo range to sit: 0 = slowest, 1 = fastest. */
  readonly tempoPosition: number;
  /** Energy 0..1 this mood suggests. */
  readonly energy: number;
}

/** Every mood and the words that select it. */
export const MOODS: readonly MoodEntry[] = [
  {
    id: 'happy',
    words: [
      'happy',
      'joyful',
      'cheerful',
      'bright',
      'sunny',
      'fun',
      'playful',
      'uplifting',
      'feel good',
      'optimistic',
      'summer',
      'celebration',
    ],
    mode: 'major',
    tempoPosition: 0.7,
    energy: 0.65,
  },
  {
    id: 'sad',
    words: ['sad', 'melancholy', 'melancholic', 'sorrow', 'grief', 'heartbreak', 'lonely', 'tearful', 'emotional', 'somber', 'rainy'],
    mode: 'minor',
    tempoPosition: 0.15,
    energy: 0.3,
  },
  {
    id: 'dark',
    words: ['dark', 'sinister', 'evil', 'ominous', 'menacing', 'gritty', 'haunting', 'horror', 'brooding'],
    mode: 'minor',
    tempoPosition: 0.5,
    energy: 0.6,
  },
  {
    id: 'calm',
    words: [
      'calm',
      'chill',
      'relaxed',
      'relaxing',
      'peaceful',
      'gentle',
      'soft',
      'soothing',
      'mellow',
      'laid back',
      'tranquil',
      'quiet',
      'cozy',
    ],
    tempoPosition: 0.2,
    energy: 0.25,
  },
  {
    id: 'energetic',
    words: [
      'energetic',
      'upbeat',
      'driving',
      'powerful',
      'intense',
      'aggressive',
      'high energy',
      'hype',
      'pumping',
      'party',
      'workout',
      'fast',
    ],
    tempoPosition: 0.9,
    energy: 0.9,
  },
  {
    id: 'epic',
    words: ['epic', 'triumphant', 'heroic', 'majestic', 'grand', 'victory', 'anthem', 'anthemic', 'inspiring', 'inspirational'],
    tempoPosition: 0.55,
    energy: 0.85,
  },
  {
    id: 'romantic',
    words: ['romantic', 'love', 'tender', 'sweet', 'intimate', 'sensual', 'warm', 'lullaby', 'cradle song'],
    mode: 'major',
    tempoPosition: 0.3,
    energy: 0.4,
  },
  {
    id: 'mysterious',
    words: ['mysterious', 'mystery', 'eerie', 'suspense', 'spooky', 'strange', 'curious'],
    mode: 'minor',
    tempoPosition: 0.35,
    energy: 0.4,
  },
  {
    id: 'dreamy',
    words: ['dreamy', 'ethereal', 'floating', 'hazy', 'spacey', 'lush', 'nostalgic haze', 'wistful'],
    tempoPosition: 0.3,
    energy: 0.3,
  },
  {
    id: 'tense',
    words: ['tense', 'tension', 'anxious', 'urgent', 'chase', 'action', 'battle', 'thriller'],
    mode: 'minor',
    tempoPosition: 0.85,
    energy: 0.85,
  },
  { id: 'nostalgic', words: ['nostalgic', 'nostalgia', 'retro', 'vintage', 'memories', 'bittersweet'], tempoPosition: 0.4, energy: 0.45 },
];

/** Words that push tempo up or down regardless of genre, as a multiplier. */
export const TEMPO_WORDS: readonly { readonly words: readonly string[]; readonly factor: number }[] = [
  { words: ['very slow', 'glacial', 'largo'], factor: 0.75 },
  { words: ['slow', 'slowly', 'downtempo', 'adagio', 'ballad'], factor: 0.88 },
  { words: ['fast', 'quick', 'uptempo', 'up tempo', 'allegro', 'rapid'], factor: 1.12 },
  { words: ['very fast', 'frantic', 'presto'], factor: 1.25 },
];

/** Words that nudge energy, added to the blended energy. */
export const ENERGY_WORDS: readonly { readonly words: readonly string[]; readonly delta: number }[] = [
  { words: ['minimal', 'sparse', 'quiet', 'soft', 'gentle', 'low energy', 'subtle', 'background'], delta: -0.2 },
  { words: ['loud', 'big', 'huge', 'massive', 'heavy', 'hard', 'banging', 'high energy', 'full'], delta: 0.2 },
];
