import type { Model, ModelSpec } from '../../../sdk/src/model-types.js';
import { callJson } from './api-client.js';

// The rows of `GET /models` are the SDK's types (see docs/catalog.md); a type-only import bundles nothing.
export type { Model, ModelSpec };

/** Every music and speech model; the route is public, so this works before a key is entered. */
export async function loadModels(): Promise<Model[]> {
  const answer = await callJson<{ data: Model[] }>('/models?type=all', { keyed: false });
  return answer.data.filter((model) => model.type === 'music' || model.type === 'tts');
}

/** A short price line from the model's one pricing shape. */
export function describePrice(spec: ModelSpec): string {
  const [shape, value] = Object.entries(spec.pricing)[0] ?? [];
  const usd = (price: unknown) => (price as { usd?: number } | undefined)?.usd;
  switch (shape) {
    case 'generation':
      return `$${usd(value)} a track`;
    case 'per_second':
      return `$${usd(value)} a second`;
    case 'per_thousand_characters':
      return `$${usd(value)} per 1,000 characters`;
    case 'input':
      return `$${usd(value)} per million characters`;
    case 'durations':
      return Object.entries(value as Record<string, { usd: number; min_seconds: number; max_seconds: number }>)
        .map(([, tier]) => `$${tier.usd} for ${tier.min_seconds}–${tier.max_seconds} s`)
        .join(', ');
    default:
      return 'price on quote';
  }
}

/** Does the model take a duration (and so a `duration_seconds` on quote and queue)? */
export function hasDuration(spec: ModelSpec): boolean {
  return (spec.duration_options?.length ?? 0) > 0 || spec.min_duration !== undefined || spec.default_duration !== undefined;
}
