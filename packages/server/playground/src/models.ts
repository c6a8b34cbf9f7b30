import { callJson } from './api-client.js';

/** The `model_spec` fields the playground builds its forms from (see docs/catalog.md). */
export interface ModelSpec {
  readonly name: string;
  readonly description?: string;
  readonly pricing: Record<string, unknown>;
  readonly supports_lyrics?: boolean;
  readonly lyrics_required?: boolean;
  readonly supports_lyrics_optimizer?: boolean;
  readonly supports_force_instrumental?: boolean;
  readonly supports_loop?: boolean;
  readonly supports_speed?: boolean;
  readonly min_speed?: number;
  readonly max_speed?: number;
  readonly default_speed?: number;
  readonly supports_language_code?: boolean;
  readonly voices?: readonly string[];
  readonly default_voice?: string;
  readonly duration_options?: readonly number[];
  readonly min_duration?: number;
  readonly max_duration?: number;
  readonly default_duration?: number;
  readonly supported_formats?: readonly string[];
  readonly default_format?: string;
  readonly min_prompt_length?: number;
  readonly prompt_character_limit?: number;
  readonly lyrics_character_limit?: number;
}

/** One row of `GET /models`. */
export interface Model {
  readonly id: string;
  readonly type: 'music' | 'tts';
  readonly model_spec: ModelSpec;
}

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
