import type { Model, ModelType, OvertureClient } from '@overture/sdk';
import { CommandError, EXIT } from './exit-codes.js';
import { formatUsd } from './table.js';

/** A short human description of a model's price, e.g. `$0.0001 / s`. */
export function pricingSummary(model: Model): string {
  const pricing = model.model_spec.pricing;
  if ('generation' in pricing) return `${formatUsd(pricing.generation.usd)} / job`;
  if ('per_second' in pricing) return `${formatUsd(pricing.per_second.usd)} / s`;
  if ('per_thousand_characters' in pricing) return `${formatUsd(pricing.per_thousand_characters.usd)} / 1k chars`;
  if ('input' in pricing) return `${formatUsd(pricing.input.usd)} / 1M chars`;
  const tiers = Object.values(pricing.durations).sort((left, right) => left.max_seconds - right.max_seconds);
  return tiers.map((tier) => `${formatUsd(tier.usd)} ≤${tier.max_seconds}s`).join(', ');
}

/** The durations a model accepts, e.g. `1-600 s (10)` or `30, 60 s`. */
export function durationSummary(model: Model): string {
  const spec = model.model_spec;
  const fallback = spec.default_duration === undefined ? '' : ` (${spec.default_duration})`;
  if (spec.duration_options && spec.duration_options.length > 0) return `${spec.duration_options.join(', ')} s${fallback}`;
  if (spec.min_duration !== undefined || spec.max_duration !== undefined)
    return `${spec.min_duration ?? 1}-${spec.max_duration ?? '∞'} s${fallback}`;
  return '-';
}

/** The formats a model can produce, the default first. */
export function formatSummary(model: Model): string {
  const spec = model.model_spec;
  const formats = spec.supported_formats ?? [];
  const ordered = spec.default_format ? [spec.default_format, ...formats.filter((format) => format !== spec.default_format)] : formats;
  return ordered.join(', ') || '-';
}

/**
 * The model row for `id`, or the catalogue's default model of `type` (trait `default`, else the first).
 * Unknown ids are a not-found failure (exit 5).
 */
export async function findModel(client: OvertureClient, type: ModelType, id: string | undefined, signal: AbortSignal): Promise<Model> {
  const { data } = await client.models.list({ type }, { signal });
  if (id !== undefined) {
    const model = data.find((row) => row.id === id);
    if (model) return model;
    const other = (await client.models.list({}, { signal })).data.find((row) => row.id === id);
    const hint = other ? `it is a ${other.type} model` : 'see overture models';
    throw new CommandError(`Specified model not found: ${id} is not a ${type} model (${hint})`, EXIT.notFound, 'not_found');
  }
  const model = data.find((row) => row.model_spec.traits?.includes('default')) ?? data[0];
  if (!model) throw new CommandError(`The server has no ${type} model`, EXIT.notFound, 'not_found');
  return model;
}
