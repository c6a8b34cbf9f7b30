import { EFFECT_FAMILIES, type EffectFamily, familiesByGroup } from './effect-families.js';
import { findFamilies, type LayerModifiers, modifiersFor, NEUTRAL_MODIFIERS, promptWords } from './prompt-analysis.js';
import { countsFor, type EffectEnvelope, envelopesFor } from './prompt-timing.js';

/** One family to render and how. */
export interface EffectLayer {
  readonly family: EffectFamily;
  readonly modifiers: LayerModifiers;
  /** Exactly this many events ("twice" → 2), or null: repeat at the family's natural rate. */
  readonly count: number | null;
  /** How its loudness changes over the file. */
  readonly envelope: EffectEnvelope;
  /** The family's variants the prompt chose (a surface, a vehicle's events), in the family's order. */
  readonly variants: readonly string[];
  /** A continuous bed under another layer (rain under a thunderstorm), not named by itself. */
  readonly bed: boolean;
}

/** What the engine will render for a prompt: its layers (the first is the main one) and its words. */
export interface EffectPlan {
  readonly layers: readonly EffectLayer[];
  readonly words: readonly string[];
}

/** A plan, or why there is none: the prompt names no sound the engine can make. */
export type PlanOutcome = { readonly ok: true; readonly plan: EffectPlan } | { readonly ok: false; readonly message: string };

function variantsOf(family: EffectFamily, words: readonly string[]): string[] {
  return Object.entries(family.variants ?? {})
    .filter(([, list]) => words.some((word) => list.includes(word)))
    .map(([name]) => name);
}

/** The count of a family the prompt gives none: its variant's, else its own; null repeats. */
function defaultCount(family: EffectFamily, words: readonly string[]): number | null {
  const variant = variantsOf(family, words).find((name) => family.variantCounts?.[name] !== undefined);
  return variant ? (family.variantCounts?.[variant] ?? null) : (family.defaultCount ?? null);
}

/**
 * Plan a sound effect from its prompt: pure and cheap, so queue time can refuse a prompt the
 * engine cannot make before any money is held. Every family the prompt names is a layer (several
 * sounds are layered, never refused); a family with a bed adds it ("thunderstorm" → rain under
 * thunder), which follows its family's envelope and modifiers.
 */
export function planEffect(prompt: string): PlanOutcome {
  const words = promptWords(prompt);
  const hits = findFamilies(words);
  if (hits.length === 0)
    return {
      ok: false,
      message: `The effects engine cannot make this prompt: it names none of the sounds it knows. It makes: ${familiesByGroup()}.`,
    };
  const modifiers = modifiersFor(words, hits);
  const counts = countsFor(words, hits);
  const envelopes = envelopesFor(words, hits);
  const layers: EffectLayer[] = hits.map((hit) => ({
    family: hit.family,
    modifiers: modifiers.get(hit.family) ?? NEUTRAL_MODIFIERS,
    count: counts.has(hit.family) ? (counts.get(hit.family) ?? null) : defaultCount(hit.family, words),
    envelope: envelopes.get(hit.family) ?? hit.family.defaultEnvelope ?? 'steady',
    variants: variantsOf(hit.family, words),
    bed: false,
  }));
  for (const layer of [...layers]) {
    const bed = layer.family.bed;
    const family = bed && words.some((word) => bed.words.includes(word)) ? EFFECT_FAMILIES.find((f) => f.name === bed.family) : undefined;
    if (!family || layers.some((other) => other.family === family)) continue;
    layers.push({ family, modifiers: layer.modifiers, count: null, envelope: layer.envelope, variants: [], bed: true });
  }
  return { ok: true, plan: { layers, words } };
}
