import type { CurrencyAmounts } from './currency.js';
import type { CatalogModel, PricePair } from './model-spec.js';
import { type Micros, scaleMicros, toMicros } from './money.js';

/** What a price depends on besides the model. */
export interface PriceInput {
  /** Seconds of audio asked for (already defaulted); used by `per_second` and `durations`. */
  readonly durationSeconds?: number;
  /** Characters to speak; used by `per_thousand_characters` and tts `input`. */
  readonly characterCount?: number;
}

/** Thrown when the input does not fall in any price (e.g. a duration outside every tier). */
export class PricingError extends Error {
  override name = 'PricingError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Catalog prices in micro-units, converted once per price (catalogs are frozen after loading). */
const microRates = new WeakMap<PricePair, { readonly usd: Micros; readonly diem: Micros }>();

function pair(price: PricePair, units = 1, divisor = 1): CurrencyAmounts {
  let rate = microRates.get(price);
  if (!rate) microRates.set(price, (rate = { usd: toMicros(price.usd), diem: toMicros(price.diem) }));
  return { usd: scaleMicros(rate.usd, units, divisor), diem: scaleMicros(rate.diem, units, divisor) };
}

type Tiers = Extract<CatalogModel['model_spec']['pricing'], { durations: unknown }>['durations'];
const tierLists = new WeakMap<Tiers, Tiers[string][]>();

/** A model's duration tiers as a list, listed once: their keys are numbers, which makes listing slow. */
function tiersOf(durations: Tiers): readonly Tiers[string][] {
  let list = tierLists.get(durations);
  if (!list) tierLists.set(durations, (list = Object.values(durations)));
  return list;
}

/**
 * The price of one job in micro-units of each currency.
 * - `generation`: flat.   - `per_second`: rate × seconds.
 * - `per_thousand_characters`: rate × characters ÷ 1000.
 * - `durations`: the tier whose inclusive [min_seconds, max_seconds] holds the duration.
 * - `input`: rate per million characters × characters ÷ 1,000,000.
 * Each is computed exactly and rounded half up to a whole micro-unit once.
 */
export function priceJob(model: CatalogModel, input: PriceInput): CurrencyAmounts {
  const pricing = model.model_spec.pricing;
  if ('generation' in pricing) return pair(pricing.generation);
  if ('per_second' in pricing) return pair(pricing.per_second, requireDuration(model, input));
  if ('per_thousand_characters' in pricing) return pair(pricing.per_thousand_characters, requireCharacters(input), 1000);
  if ('input' in pricing) return pair(pricing.input, requireCharacters(input), 1_000_000);
  const seconds = requireDuration(model, input);
  for (const tier of tiersOf(pricing.durations)) {
    if (seconds >= tier.min_seconds && seconds <= tier.max_seconds) return pair(tier);
  }
  throw new PricingError('duration_seconds', `No price tier covers ${seconds} seconds`);
}

function requireDuration(model: CatalogModel, input: PriceInput): number {
  const seconds = input.durationSeconds ?? model.model_spec.default_duration;
  if (seconds === undefined) throw new PricingError('duration_seconds', 'duration_seconds is required');
  return seconds;
}

function requireCharacters(input: PriceInput): number {
  if (input.characterCount === undefined) throw new PricingError('character_count', 'character_count is required');
  return input.characterCount;
}
