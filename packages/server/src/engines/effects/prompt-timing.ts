import type { EffectFamily } from './effect-families.js';
import { ENVELOPE_PHRASES, ENVELOPE_WORDS } from './envelope-words.js';
import { type FamilyHit, nearestHit, singular } from './prompt-analysis.js';

/** How a layer's loudness changes over the file. */
export type EffectEnvelope = 'steady' | 'rising' | 'falling' | 'passing';

const NUMBERS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  double: 2,
  triple: 3,
};
const ADVERBS: Readonly<Record<string, number>> = { once: 1, twice: 2, thrice: 3 };
const ONE = new Set(['a', 'an', 'one', 'single', 'lone', 'solitary']);
const REPEAT = new Set([
  'gunfire',
  'barrage',
  'volley',
  'repeated',
  'repeatedly',
  'multiple',
  'several',
  'many',
  'series',
  'continuous',
  'constant',
  'rapid-fire',
]);
/** The most events a count may ask for; more reads as "many". */
const MAX_COUNT = 12;

function numberOf(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  const value = NUMBERS[word] ?? (/^\d{1,2}$/.test(word) ? Number(word) : undefined);
  return value !== undefined && value >= 1 && value <= MAX_COUNT ? value : undefined;
}

/**
 * How many events the prompt asks of each family: "twice", "three times", "two gunshots", "a
 * single bark", "a laser zap"; a plural unit ("zaps") or "repeated" lets it repeat (null). A
 * family the prompt gives no count is absent (its default applies).
 */
export function countsFor(words: readonly string[], hits: readonly FamilyHit[]): Map<EffectFamily, number | null> {
  const counts = new Map<EffectFamily, number | null>();
  const repeat = new Set<EffectFamily>();
  words.forEach((word, index) => {
    const times = ADVERBS[word] ?? (words[index + 1] === 'times' || words[index + 1] === 'time' ? numberOf(word) : undefined);
    if (times !== undefined) {
      const target = nearestHit(hits, index, 6, 4);
      if (target) counts.set(target.family, times);
      return;
    }
    const number = ONE.has(word) ? 1 : numberOf(word);
    for (let ahead = index + 1; ahead <= index + 3 && ahead < words.length; ahead++) {
      const unit = words[ahead] as string;
      const hit = hits.find((found) => found.indices.includes(ahead) && found.family.units?.includes(singular(unit)));
      if (!hit) continue;
      const plural = unit !== singular(unit) && !hit.family.units?.includes(unit);
      if (number !== undefined && (number > 1 || !plural) && !counts.has(hit.family)) counts.set(hit.family, number);
      break;
    }
    if (REPEAT.has(word)) {
      const target = nearestHit(hits, index, 0, 3) ?? nearestHit(hits, index, 3, 0);
      if (target) repeat.add(target.family);
    }
  });
  for (const hit of hits) {
    if (counts.has(hit.family)) continue;
    const pluralUnit = hit.indices.some((at) => {
      const word = words[at] as string;
      return word !== singular(word) && hit.family.units?.includes(singular(word)) === true && !hit.family.units?.includes(word);
    });
    if (pluralUnit || repeat.has(hit.family)) counts.set(hit.family, null);
  }
  return counts;
}

/** Words that start a new clause: "rain with thunder rolling in" rolls in the thunder only. */
const CLAUSE_WORDS = new Set(['with', 'and', 'while', 'as', 'then', 'over', 'under', 'plus', 'behind', 'followed', 'after', 'before']);

/** The clause number of each word. */
function clausesOf(words: readonly string[]): number[] {
  let clause = 0;
  return words.map((word) => (CLAUSE_WORDS.has(word) ? ++clause : clause));
}

/**
 * Changes over time: "rolling in", "approaching", "fade in" rise; "fading away", "dying down",
 * "receding" fall; "passing by", "overhead" rise then fall. A phrase shapes the families named
 * in its clause, else the one named just before it (or just after), else every layer.
 */
export function envelopesFor(words: readonly string[], hits: readonly FamilyHit[]): Map<EffectFamily, EffectEnvelope> {
  const envelopes = new Map<EffectFamily, EffectEnvelope>();
  const text = ` ${words.join(' ')} `;
  const found: { at: number; envelope: EffectEnvelope }[] = [];
  const taken = new Set<number>();
  for (const [envelope, phrase] of ENVELOPE_PHRASES) {
    const offset = text.indexOf(` ${phrase} `);
    if (offset < 0) continue;
    const at = text
      .slice(0, offset + 1)
      .trim()
      .split(' ')
      .filter(Boolean).length;
    for (let index = 0; index < phrase.split(' ').length; index++) taken.add(at + index);
    found.push({ at, envelope });
  }
  words.forEach((word, index) => {
    const envelope = ENVELOPE_WORDS[word];
    if (envelope && !taken.has(index)) found.push({ at: index, envelope });
  });
  const clause = clausesOf(words);
  for (const { at, envelope } of found.sort((a, b) => a.at - b.at)) {
    const together = hits.filter((hit) => hit.indices.some((index) => clause[index] === clause[at]));
    const nearest = nearestHit(hits, at, 6, 3);
    const targets = together.length > 0 ? together : nearest ? [nearest] : hits;
    for (const hit of targets) if (!envelopes.has(hit.family)) envelopes.set(hit.family, envelope);
  }
  return envelopes;
}
