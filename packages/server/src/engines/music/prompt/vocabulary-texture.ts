/** Texture and intensity words: how the sound is coloured (noise, roll-off, saturation) and how busy it is. Data only. */
import type { GenreId } from './vocabulary-genres.js';

/** Colour applied to the rendered mix before mastering. All zero/undefined = clean. */
export interface Texture {
  /** Hiss and vinyl crackle, 0 (none) .. 1 (old record). */
  readonly noise: number;
  /** Low-pass corner in Hz (12 dB/octave), or undefined for no roll-off. */
  readonly rollOffHz: number | undefined;
  /** Soft-clipping drive, 0 (clean) .. 1 (heavily saturated). */
  readonly saturation: number;
}

/** No colour at all. */
export const CLEAN_TEXTURE: Texture = { noise: 0, rollOffHz: undefined, saturation: 0 };

/** One row of the texture table; the strongest value of each matched row wins. */
export interface TextureWord {
  readonly words: readonly string[];
  readonly noise?: number;
  readonly rollOffHz?: number;
  readonly saturation?: number;
  /** Multiplies how many notes the parts play (0.5 sparse .. 2 busy). */
  readonly density?: number;
}

/** Texture words. */
export const TEXTURE_WORDS: readonly TextureWord[] = [
  { words: ['dusty', 'dust', 'dusty vinyl', 'dusted'], noise: 0.55, rollOffHz: 5500, saturation: 0.25, density: 0.7 },
  { words: ['vinyl', 'vinyl crackle', 'crackle', 'crackly', 'crackling', 'record crackle'], noise: 0.7, rollOffHz: 8000 },
  {
    words: ['tape', 'tape hiss', 'hiss', 'hissy', 'cassette', 'tape saturation', 'tape warble'],
    noise: 0.4,
    rollOffHz: 9000,
    saturation: 0.3,
  },
  { words: ['gramophone', 'phonograph', 'old record', 'old radio', '78 rpm', 'shellac'], noise: 1, rollOffHz: 3500, saturation: 0.35 },
  { words: ['muffled', 'underwater', 'muted', 'through a wall', 'from another room', 'submerged'], rollOffHz: 1200 },
  { words: ['warm analog', 'analog', 'analogue', 'analog warmth', 'tube'], rollOffHz: 11000, saturation: 0.3 },
  { words: ['saturated', 'saturation', 'fuzz', 'fuzzy', 'dirty', 'grimy', 'gritty', 'crushed', 'blown out'], saturation: 0.6 },
  { words: ['degraded', 'worn', 'warped', 'vhs', 'old tape'], noise: 0.6, rollOffHz: 4500, saturation: 0.3 },
];

/** Words that clear every texture, including a genre's default ("clean lo-fi"). */
export const CLEAN_WORDS: readonly string[] = ['clean', 'pristine', 'crisp', 'polished', 'hi fi', 'hifi', 'studio quality', 'glossy'];

/** Intensity words: how many notes the parts play, as a multiplier (product of all matched rows). */
export const DENSITY_WORDS: readonly { readonly words: readonly string[]; readonly density: number }[] = [
  { words: ['battle', 'war', 'combat', 'fight', 'fighting', 'chase', 'action', 'frantic', 'boss fight', 'siege'], density: 1.9 },
  {
    words: ['intense', 'aggressive', 'driving', 'relentless', 'pounding', 'busy', 'dense', 'ostinato', 'staccato', 'urgent'],
    density: 1.5,
  },
  {
    words: ['sparse', 'minimal', 'spacious', 'bare', 'stripped back', 'stripped down', 'lots of space', 'sparse arrangement'],
    density: 0.6,
  },
  { words: ['lazy', 'sleepy', 'drowsy'], density: 0.75 },
];

/** Texture a genre has unless the prompt says "clean". */
export const GENRE_TEXTURE: Readonly<Partial<Record<GenreId, Texture>>> = {
  'lo-fi': { noise: 0.3, rollOffHz: 9000, saturation: 0.15 },
};
