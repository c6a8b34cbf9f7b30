/** A price in both currencies: `usd` and `diem` (1 DIEM = 1 USD). */
export interface Price {
  readonly usd: number;
  readonly diem: number;
}

/** One tier of `durations` pricing; bounds are inclusive seconds. */
export interface DurationTier extends Price {
  readonly min_seconds: number;
  readonly max_seconds: number;
}

/** A flat price per job. */
export interface GenerationPricing {
  readonly generation: Price;
}

/** Price × seconds generated (the requested `duration_seconds`, or the model default). */
export interface PerSecondPricing {
  readonly per_second: Price;
}

/** Price × characters / 1000; quotes need `character_count`. */
export interface PerThousandCharactersPricing {
  readonly per_thousand_characters: Price;
}

/** The price of the tier the duration falls in, keyed by tier name. */
export interface DurationsPricing {
  readonly durations: Readonly<Record<string, DurationTier>>;
}

/** Synchronous speech models: USD per one million input characters. */
export interface InputPricing {
  readonly input: Price;
}

/** Exactly one pricing shape per model. Narrow with the `in` operator. */
export type ModelPricing = GenerationPricing | PerSecondPricing | PerThousandCharactersPricing | DurationsPricing | InputPricing;

/** Audio container formats a model can produce. */
export type AudioFormat = 'mp3' | 'wav' | 'flac' | 'opus' | 'aac' | 'pcm';

/** The `model_spec` of a `/models` row: what a model accepts and what it costs. */
export interface ModelSpec {
  readonly name: string;
  readonly description?: string;
  readonly privacy?: 'private' | 'anonymized' | string;
  readonly offline?: boolean;
  readonly traits?: readonly string[];
  readonly pricing: ModelPricing;
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
  /** When listed, the only durations allowed (seconds). */
  readonly duration_options?: readonly number[];
  readonly min_duration?: number;
  readonly max_duration?: number;
  readonly default_duration?: number;
  readonly supported_formats?: readonly AudioFormat[];
  readonly default_format?: AudioFormat;
  readonly min_prompt_length?: number;
  readonly prompt_character_limit?: number;
  readonly lyrics_character_limit?: number;
}

/** Every type the public API knows; Overture serves `music` and `tts`. */
export type ModelType = 'asr' | 'embedding' | 'image' | 'music' | 'text' | 'tts' | 'upscale' | 'inpaint' | 'video' | 'all' | 'code';

/** One row of `GET /models`. */
export interface Model {
  readonly id: string;
  /** `music` for everything served through the queue, `tts` for synchronous speech. */
  readonly type: ModelType;
  readonly object: 'model';
  readonly owned_by?: string;
  /** Unix seconds. */
  readonly created: number;
  readonly model_spec: ModelSpec;
}

/** The answer of `GET /models`. */
export interface ModelList {
  readonly object: 'list';
  readonly type: ModelType;
  readonly data: readonly Model[];
}
