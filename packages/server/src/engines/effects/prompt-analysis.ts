import { EFFECT_FAMILIES, type EffectFamily } from './effect-families.js';

/** How one layer is shaped by the words around it. */
export interface LayerModifiers {
  /** Far away: low-passed, more reverb, quieter in a mix. */
  readonly distant: boolean;
  /** Close up: dry and present. */
  readonly close: boolean;
  /** Density and force: 0.5 (light) … 1 … 1.6 (heavy). */
  readonly intensity: number;
  /** Tempo of repeating events: 0.6 (slow) … 1 … 1.6 (fast). */
  readonly speed: number;
  /** Shorter one-shots and tails. */
  readonly short: boolean;
  /** Ringing metallic resonance. */
  readonly metallic: boolean;
  /** A large echoing space (a canyon, a hall, a tunnel): a long, wet reverb. */
  readonly echo: boolean;
}

/** A family the prompt names, with every word position that named it (triggers and units). */
export interface FamilyHit {
  readonly family: EffectFamily;
  readonly indices: number[];
}

type ModifierSet = Partial<Record<keyof LayerModifiers, boolean | number>>;

/** The modifier words, grouped by what they set. */
const MODIFIER_GROUPS: readonly (readonly [ModifierSet, readonly string[]])[] = [
  [{ distant: true }, ['distant', 'far', 'faraway', 'distance', 'remote', 'muffled']],
  [{ close: true }, ['close', 'near', 'nearby', 'intimate']],
  [{ intensity: 1.6 }, ['heavy', 'intense', 'huge', 'massive', 'torrential', 'violent']],
  [{ intensity: 1.5 }, ['strong']],
  [{ intensity: 1.4 }, ['loud', 'big']],
  [{ intensity: 0.6 }, ['quiet', 'small', 'calm']],
  [{ intensity: 0.55 }, ['gentle', 'soft']],
  [{ intensity: 0.5 }, ['light', 'subtle', 'faint']],
  [{ short: true }, ['short', 'brief']],
  [{ short: true, speed: 1.3 }, ['quick']],
  [{ short: true, intensity: 0.6 }, ['tiny']],
  [{ metallic: true }, ['metallic', 'metal', 'steel', 'iron', 'robotic']],
  [
    { echo: true },
    ['echo', 'echoing', 'echoes', 'reverb', 'reverberating', 'canyon', 'cathedral', 'hall', 'tunnel', 'warehouse', 'cavern', 'stairwell'],
  ],
  [{ speed: 1.6 }, ['fast', 'rapid', 'racing']],
  [{ speed: 1.4 }, ['hurried']],
  [{ speed: 0.65 }, ['lazy']],
  [{ speed: 0.6 }, ['slow', 'sluggish']],
];

/** What each modifier word sets. */
const MODIFIER_WORDS: Readonly<Record<string, ModifierSet>> = Object.fromEntries(
  MODIFIER_GROUPS.flatMap(([modifier, words]) => words.map((word) => [word, modifier])),
);

/** Modifiers of a layer no word changes. */
export const NEUTRAL_MODIFIERS: LayerModifiers = {
  distant: false,
  close: false,
  intensity: 1,
  speed: 1,
  short: false,
  metallic: false,
  echo: false,
};

/** Lower-case words of the prompt (letters, digits and hyphens). */
export function promptWords(prompt: string): string[] {
  return prompt.toLowerCase().match(/[a-z0-9-]+/g) ?? [];
}

/** The word without a plural "s"/"es" ("barks" → "bark", "knocks" → "knock"). */
export function singular(word: string): string {
  return word.endsWith('s') && word.length > 3 && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

function named(word: string, list: readonly string[] | undefined): boolean {
  return list !== undefined && (list.includes(word) || list.includes(singular(word)));
}

function triggerFamily(word: string, scene: boolean): EffectFamily | undefined {
  const words = (family: EffectFamily) => (scene ? family.scene : family.triggers);
  // The word as written first ("chimes" are bells), then its singular ("chime" is an interface sound).
  return EFFECT_FAMILIES.find((family) => words(family)?.includes(word)) ?? EFFECT_FAMILIES.find((family) => named(word, words(family)));
}

/**
 * The families `words` name, in order of first mention. A unit of the family named just before
 * (or right after) is that family's ("laser shot" is a laser, not a gunshot; "howling wind" is
 * wind); a qualifier right before another
 * family's trigger only qualifies it ("car horn" is a horn, not an engine). Scene words
 * ("forest", "city") choose their family only when no other family is named.
 */
export function findFamilies(words: readonly string[]): FamilyHit[] {
  const hits: FamilyHit[] = [];
  const add = (family: EffectFamily, index: number) => {
    const hit = hits.find((found) => found.family === family);
    if (hit) hit.indices.push(index);
    else hits.push({ family, indices: [index] });
  };
  words.forEach((word, index) => {
    const owner = hits.find((hit) => hit.indices.some((at) => index - at > 0 && index - at <= 2) && named(word, hit.family.units));
    if (owner) {
      add(owner.family, index);
      return;
    }
    const family = triggerFamily(word, false);
    if (!family) return;
    const next = words[index + 1];
    const nextFamily = next === undefined ? undefined : triggerFamily(next, false);
    // A unit of the family named right after ("howling wind") describes that family.
    if (nextFamily && nextFamily !== family && named(word, nextFamily.units)) return;
    const qualifies =
      named(word, family.qualifiers) && next !== undefined && triggerFamily(next, false) !== undefined && !named(next, family.units);
    if (qualifies && triggerFamily(next as string, false) !== family) return;
    add(family, index);
  });
  if (hits.length > 0) return hits;
  words.forEach((word, index) => {
    const family = triggerFamily(word, true);
    if (family) add(family, index);
  });
  return hits;
}

/** The hit nearest `index`: one before it within `before` words first, else one after within `after`. */
export function nearestHit(hits: readonly FamilyHit[], index: number, before: number, after: number): FamilyHit | undefined {
  let best: { hit: FamilyHit; distance: number } | undefined;
  for (const hit of hits)
    for (const at of hit.indices) {
      const distance = at <= index ? index - at : at - index + 100;
      const allowed = at <= index ? index - at <= before : at - index <= after;
      if (allowed && (!best || distance < best.distance)) best = { hit, distance };
    }
  return best?.hit;
}

/**
 * The modifiers of each named family: a modifier word applies to the family named within three
 * words after it (or two before); modifiers next to no family apply to every layer.
 */
export function modifiersFor(words: readonly string[], hits: readonly FamilyHit[]): Map<EffectFamily, LayerModifiers> {
  const own = new Map<EffectFamily, ModifierSet>();
  let global: ModifierSet = {};
  words.forEach((word, index) => {
    const modifier = MODIFIER_WORDS[word];
    if (!modifier) return;
    const after = hits.find((hit) => hit.indices.some((at) => at > index && at - index <= 3));
    const target = after ?? nearestHit(hits, index, 2, 0);
    if (target) own.set(target.family, { ...own.get(target.family), ...modifier });
    else global = { ...global, ...modifier };
  });
  return new Map(hits.map((hit) => [hit.family, { ...NEUTRAL_MODIFIERS, ...global, ...own.get(hit.family) } as LayerModifiers]));
}
