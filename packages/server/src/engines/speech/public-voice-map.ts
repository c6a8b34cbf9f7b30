import { findSpeechVoice, SPEECH_VOICES, type SpeechGender, voiceForLanguage } from './speech-voices.js';

/** Kokoro voice prefixes (`af_sky`): first letter = language/accent, second = gender. */
const KOKORO_LANGUAGES: Readonly<Record<string, { language: string; british?: boolean }>> = {
  a: { language: 'en' },
  b: { language: 'en', british: true },
  e: { language: 'es' },
  f: { language: 'fr' },
  h: { language: 'hi' },
  i: { language: 'it' },
  j: { language: 'ja' },
  p: { language: 'pt' },
  z: { language: 'zh' },
};

/**
 * OpenAI's speech voices (platform.openai.com/docs/guides/text-to-speech), each mapped to the
 * built-in voice closest in gender and character; the table is in docs/catalog.md.
 */
export const OPENAI_VOICES: Readonly<Record<string, string>> = {
  alloy: 'ava',
  ash: 'noah',
  ballad: 'hugo',
  coral: 'ava',
  echo: 'felix',
  fable: 'oscar',
  nova: 'iris',
  onyx: 'oscar',
  sage: 'alba',
  shimmer: 'maya',
  verse: 'noah',
  marin: 'iris',
  cedar: 'felix',
};

/** Names from other vendors' voice lists (Venice's catalogue) that are female. */
const FEMALE_NAMES = new Set(
  (
    'alice aria aurora britney charlotte jessica laura lily matilda rachel sarah siobhan vicky emma eva elise mia ' +
    'valentina ashley elizabeth luna olivia pixie priya serena sohee vivian ono_anna jess leah tara zoe ara carina ' +
    'celeste eve iris lux ursa achernar aoede autonoe callirrhoe despina erinome gacrux kore laomedeia leda ' +
    'pulcherrima sulafat vindemiatrix zephyr dacey vivi mindy vienna gigi esther tracy minimi stokie river'
  ).split(' '),
);

/** Names that are male although a name-shape guess would say otherwise. */
const MALE_NAMES = new Set(
  (
    'luca nikola sasha joshua elijah noah jonah ezra charlie davi felipe algieba rasalgethi sadachbia zubenelgenubi ' +
    'andy billy harry henry gary jerry larry roy ray tony jimmy bobby johnny danny eddie jeremy anthony zachary rory'
  ).split(' '),
);

const FEMALE_WORDS = /(woman|girl|lady|female|mother|grandma|queen)/i;
const MALE_WORDS = /(man|guy|boy|male|knight|father|grandpa|king|manner)/i;

/** Guess a gender from a voice name: known names, telling words, then the name's ending. */
export function guessGender(name: string): SpeechGender {
  const lower = name.trim().toLowerCase();
  if (FEMALE_NAMES.has(lower) || FEMALE_WORDS.test(lower)) return 'female';
  if (MALE_NAMES.has(lower) || MALE_WORDS.test(lower)) return 'male';
  return /(a|i|y|ah|elle|ette|ine|ise|ice|ace|ose|ane|ene|yn|lyn)$/.test(lower) ? 'female' : 'male';
}

/** FNV-1a 32-bit hash, so the same name always picks the same voice. */
function hashName(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function kokoroVoice(lower: string): string | undefined {
  const match = /^([a-z])([fm])_[a-z0-9_]+$/.exec(lower);
  if (!match) return undefined;
  const family = KOKORO_LANGUAGES[match[1] as string];
  if (!family) return undefined;
  const gender: SpeechGender = match[2] === 'f' ? 'female' : 'male';
  if (family.language === 'en') {
    const english = SPEECH_VOICES.filter(
      (entry) => entry.language === 'en' && entry.gender === gender && (entry.accent !== 'en-us') === (family.british ?? false),
    );
    return english[hashName(lower) % english.length]?.name;
  }
  return voiceForLanguage(family.language, gender)?.name;
}

/**
 * Map any voice name to a built-in voice name. Built-in names map to themselves, OpenAI's names
 * as `OPENAI_VOICES` says, Kokoro names
 * (`af_sky`, `bm_george`, `jf_alpha`...) to a voice of that language and gender, and anything
 * else ("Aria", "Roger", "CalmWoman") to an English voice of the guessed gender chosen by a hash
 * of the name: deterministic, and different names spread over the voices.
 */
export function mapPublicVoice(name: string): string {
  const lower = name.trim().toLowerCase();
  const builtIn = findSpeechVoice(lower);
  if (builtIn) return builtIn.name;
  const openai = OPENAI_VOICES[lower];
  if (openai) return openai;
  const kokoro = kokoroVoice(lower);
  if (kokoro) return kokoro;
  const gender = guessGender(lower);
  const english = SPEECH_VOICES.filter((entry) => entry.language === 'en' && entry.gender === gender);
  return (english[hashName(lower) % english.length] ?? SPEECH_VOICES[0])!.name;
}
