import { DEFAULT_FAMILY, EFFECT_FAMILIES, type EffectFamily } from './effect-families.js';

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
}

/** One family to render and how. */
export interface EffectLayer {
  readonly family: EffectFamily;
  readonly modifiers: LayerModifiers;
}

/** The analysed prompt: its layers (first is the main one) and its words. */
export interface EffectPlan {
  readonly layers: readonly EffectLayer[];
  readonly words: readonly string[];
}

const MODIFIER_WORDS: Readonly<Record<string, Partial<Record<keyof LayerModifiers, boolean | number>>>> = {
  distant: { distant: true },
  far: { distant: true },
  faraway: { distant: true },
  remote: { distant: true },
  muffled: { distant: true },
  close: { close: true },
  near: { close: true },
  nearby: { close: true },
  intimate: { close: true },
  heavy: { intensity: 1.6 },
  intense: { intensity: 1.6 },
  loud: { intensity: 1.4 },
  strong: { intensity: 1.5 },
  huge: { intensity: 1.6 },
  big: { intensity: 1.4 },
  massive: { intensity: 1.6 },
  torrential: { intensity: 1.6 },
  violent: { intensity: 1.6 },
  light: { intensity: 0.5 },
  gentle: { intensity: 0.55 },
  soft: { intensity: 0.55 },
  quiet: { intensity: 0.6 },
  small: { intensity: 0.6 },
  calm: { intensity: 0.6 },
  subtle: { intensity: 0.5 },
  faint: { intensity: 0.5 },
  short: { short: true },
  quick: { short: true, speed: 1.3 },
  brief: { short: true },
  tiny: { short: true, intensity: 0.6 },
  metallic: { metallic: true },
  metal: { metallic: true },
  steel: { metallic: true },
  iron: { metallic: true },
  robotic: { metallic: true },
  fast: { speed: 1.6 },
  rapid: { speed: 1.6 },
  racing: { speed: 1.6 },
  hurried: { speed: 1.4 },
  slow: { speed: 0.6 },
  lazy: { speed: 0.65 },
  sluggish: { speed: 0.6 },
};

const NEUTRAL: LayerModifiers = { distant: false, close: false, intensity: 1, speed: 1, short: false, metallic: false };

/** Lower-case words of the prompt (letters, digits and hyphens). */
export function promptWords(prompt: string): string[] {
  return prompt.toLowerCase().match(/[a-z0-9-]+/g) ?? [];
}

function familyAt(word: string): EffectFamily | undefined {
  const singular = word.endsWith('s') ? word.slice(0, -1) : word;
  return EFFECT_FAMILIES.find((family) => family.triggers.includes(word) || family.triggers.includes(singular));
}

/**
 * Choose the families named in `prompt` and the modifiers that apply to each. A modifier word
 * applies to the next family named within three words after it (or the previous one within two);
 * modifiers next to no family apply to every layer. No family: the ambient default.
 */
export function analysePrompt(prompt: string): EffectPlan {
  const words = promptWords(prompt);
  const positions: { family: EffectFamily; index: number }[] = [];
  words.forEach((word, index) => {
    const family = familyAt(word);
    if (family && !positions.some((found) => found.family === family)) positions.push({ family, index });
  });
  const own = new Map<EffectFamily, Partial<Record<keyof LayerModifiers, boolean | number>>>();
  let global: Partial<Record<keyof LayerModifiers, boolean | number>> = {};
  words.forEach((word, index) => {
    const modifier = MODIFIER_WORDS[word];
    if (!modifier) return;
    const after = positions.find((found) => found.index > index && found.index - index <= 3);
    const before = [...positions].reverse().find((found) => found.index < index && index - found.index <= 2);
    const target = after ?? before;
    if (target) own.set(target.family, { ...own.get(target.family), ...modifier });
    else global = { ...global, ...modifier };
  });
  const layers = positions.length > 0 ? positions.map((found) => found.family) : [DEFAULT_FAMILY];
  return {
    words,
    layers: layers.map((family) => ({
      family,
      modifiers: { ...NEUTRAL, ...global, ...own.get(family) } as LayerModifiers,
    })),
  };
}
