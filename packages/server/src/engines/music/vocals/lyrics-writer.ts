/** Write short rhymed verse/chorus lyrics on the prompt's theme from word banks, seeded by the prompt. Pure. */
import { normalizeText } from '../prompt/match-words.js';
import type { MoodId } from '../prompt/vocabulary-moods.js';
import { createRandom, hashText, type Random } from '../../seeded-random.js';

/** Rhyming nouns that can end a line after "the". */
export const RHYME_FAMILIES: readonly (readonly string[])[] = [
  ['night', 'light', 'flight', 'sight'],
  ['heart', 'start', 'spark', 'dark'],
  ['rain', 'lane', 'train', 'flame'],
  ['fire', 'wire', 'choir', 'desire'],
  ['sea', 'tree', 'breeze', 'melody'],
  ['day', 'way', 'bay', 'ray'],
  ['dream', 'stream', 'beam', 'gleam'],
  ['sky', 'lullaby', 'firefly', 'goodbye'],
  ['sun', 'run', 'one', 'horizon'],
  ['shore', 'door', 'floor', 'core'],
  ['moon', 'dune', 'tune', 'afternoon'],
];

/** Theme words picked up from the prompt and sung in the chorus hook. */
export const THEME_WORDS: readonly string[] = [
  'summer',
  'winter',
  'ocean',
  'city',
  'love',
  'night',
  'rain',
  'road',
  'stars',
  'sun',
  'moon',
  'fire',
  'dream',
  'heart',
  'sky',
  'home',
  'river',
  'morning',
  'freedom',
  'forest',
  'dance',
  'friends',
  'sunset',
  'highway',
  'snow',
  'spring',
];

const ADJECTIVES: Readonly<Partial<Record<MoodId, readonly string[]>>> & { readonly default: readonly string[] } = {
  default: ['open', 'silver', 'endless', 'distant', 'golden'],
  happy: ['golden', 'shining', 'summer', 'endless', 'bright'],
  sad: ['empty', 'fading', 'silent', 'broken', 'lonely'],
  dark: ['cold', 'hollow', 'midnight', 'burning', 'shadowed'],
  calm: ['quiet', 'gentle', 'easy', 'open', 'soft'],
  energetic: ['electric', 'wild', 'neon', 'burning', 'racing'],
  romantic: ['tender', 'velvet', 'glowing', 'secret', 'warm'],
  epic: ['mighty', 'endless', 'rising', 'ancient', 'burning'],
  dreamy: ['floating', 'hazy', 'velvet', 'faded', 'silver'],
};
const VERBS: Readonly<Record<'up' | 'down', readonly string[]>> = {
  up: ['dance', 'run', 'drive', 'shine', 'rise', 'fly'],
  down: ['drift', 'wait', 'fall', 'walk', 'dream', 'sway'],
};
const VERSE_TEMPLATES: readonly string[] = [
  '{we} {verb} beneath the {adj} {rhyme}',
  '{we} keep on {verbing} into the {rhyme}',
  'hold me close until the {rhyme}',
  'every {thing} is calling from the {rhyme}',
  '{we} {verb} across the {adj} {rhyme}',
  'I can feel it in the {rhyme}',
  'we were born to chase the {rhyme}',
  'all the {things} are waiting by the {rhyme}',
];
const THINGS = ['heartbeat', 'shadow', 'whisper', 'color', 'voice', 'signal'];

function fill(template: string, random: Random, words: { adjectives: readonly string[]; verbs: readonly string[]; rhyme: string }): string {
  const verb = random.pick(words.verbs);
  return template
    .replace('{we}', random.pick(['we', 'I', 'you']))
    .replace('{verb}', verb)
    .replace('{verbing}', verb.endsWith('e') ? `${verb.slice(0, -1)}ing` : verb === 'run' ? 'running' : `${verb}ing`)
    .replace('{adj}', random.pick(words.adjectives))
    .replace('{things}', `${random.pick(THINGS)}s`)
    .replace('{thing}', random.pick(THINGS))
    .replace('{rhyme}', words.rhyme);
}

/** Two distinct rhyming words from one family. */
function rhymePair(random: Random, family: readonly string[]): [string, string] {
  const first = random.integer(family.length);
  const second = (first + 1 + random.integer(family.length - 1)) % family.length;
  return [family[first] as string, family[second] as string];
}

/** Lyrics for a prompt: a four-line verse (AABB) and a four-line chorus around a hook, tagged "[Verse]"/"[Chorus]". */
export function writeLyrics(prompt: string, mood: MoodId | undefined, seed = 0): string {
  const random = createRandom(hashText(prompt, seed));
  const text = normalizeText(prompt);
  const theme = THEME_WORDS.find((word) => text.includes(` ${word} `)) ?? random.pick(['tonight', 'forever', 'together']);
  const adjectives = (mood && ADJECTIVES[mood]) || ADJECTIVES.default;
  const verbs = mood === 'sad' || mood === 'calm' || mood === 'dreamy' ? VERBS.down : VERBS.up;
  const families = [...RHYME_FAMILIES];
  const pick = () => families.splice(random.integer(families.length), 1)[0] as readonly string[];
  const verse: string[] = [];
  for (let couplet = 0; couplet < 2; couplet++) {
    const [first, second] = rhymePair(random, pick());
    verse.push(fill(random.pick(VERSE_TEMPLATES), random, { adjectives, verbs, rhyme: first }));
    verse.push(fill(random.pick(VERSE_TEMPLATES), random, { adjectives, verbs, rhyme: second }));
  }
  const [hookRhyme, answerRhyme] = rhymePair(random, pick());
  const verb = random.pick(verbs);
  const hook = `oh ${theme}, we ${verb} into the ${hookRhyme}`;
  const answer = fill(random.pick(VERSE_TEMPLATES), random, { adjectives, verbs, rhyme: answerRhyme });
  const chorus = [hook, answer, hook, `and we will never lose the ${random.pick(adjectives)} ${hookRhyme}`];
  return ['[Verse]', ...verse, '', '[Chorus]', ...chorus].join('\n');
}
