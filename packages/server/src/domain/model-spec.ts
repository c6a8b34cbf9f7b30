import { z } from 'zod';

/** A price in both currencies, in decimal units as published. */
export const pricePairSchema = z.strictObject({ usd: z.number().nonnegative(), diem: z.number().nonnegative() });

const durationTierSchema = z.strictObject({
  usd: z.number().nonnegative(),
  diem: z.number().nonnegative(),
  min_seconds: z.number().int().positive(),
  max_seconds: z.number().int().positive(),
});

/** Exactly one pricing shape per model. */
export const pricingSchema = z.union([
  z.strictObject({ generation: pricePairSchema }),
  z.strictObject({ per_second: pricePairSchema }),
  z.strictObject({ per_thousand_characters: pricePairSchema }),
  z.strictObject({ durations: z.record(z.string(), durationTierSchema) }),
  z.strictObject({ input: pricePairSchema }),
]);

/** The public `model_spec` of a `/models` row, as the contract describes it. */
export const modelSpecSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  privacy: z.enum(['private', 'anonymized']).default('private'),
  offline: z.boolean().default(false),
  traits: z.array(z.string()).default([]),
  pricing: pricingSchema,
  supports_lyrics: z.boolean().optional(),
  lyrics_required: z.boolean().optional(),
  supports_lyrics_optimizer: z.boolean().optional(),
  supports_force_instrumental: z.boolean().optional(),
  supports_loop: z.boolean().optional(),
  supports_speed: z.boolean().optional(),
  min_speed: z.number().min(0.25).max(4).optional(),
  max_speed: z.number().min(0.25).max(4).optional(),
  default_speed: z.number().min(0.25).max(4).optional(),
  supports_language_code: z.boolean().optional(),
  voices: z.array(z.string().min(1)).optional(),
  default_voice: z.string().optional(),
  duration_options: z.array(z.number().int().positive()).optional(),
  min_duration: z.number().int().positive().optional(),
  max_duration: z.number().int().positive().optional(),
  default_duration: z.number().int().positive().optional(),
  supported_formats: z.array(z.enum(['mp3', 'wav', 'flac', 'opus', 'aac', 'pcm'])).optional(),
  default_format: z.enum(['mp3', 'wav', 'flac', 'opus', 'aac', 'pcm']).optional(),
  min_prompt_length: z.number().int().nonnegative().optional(),
  prompt_character_limit: z.number().int().positive().optional(),
  lyrics_character_limit: z.number().int().positive().optional(),
});

export type ModelSpec = z.output<typeof modelSpecSchema>;
export type Pricing = z.output<typeof pricingSchema>;
export type PricePair = z.output<typeof pricePairSchema>;

const instanceName = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'an engine instance name');

/** A catalog row: the public row plus how Overture serves it. */
export const catalogModelSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dots, dashes'),
  type: z.enum(['music', 'tts']),
  owned_by: z.string().default('overture'),
  created: z.number().int().nonnegative().default(1771718400),
  /**
   * The engine instance that generates this model's audio, or an ordered list of instances
   * (failover: the next is used while the one before is down). Stored as the names joined by commas.
   */
  engine: z
    .union([instanceName, z.array(instanceName).min(1)])
    .transform((value) => (Array.isArray(value) ? [...new Set(value)].join(',') : value)),
  /** Settings passed to the engine as `EngineRequest.options`; `model` names the upstream's model id. */
  engine_options: z.record(z.string(), z.unknown()).default({}),
  /** Only accounts marked Pro may use it. */
  pro_only: z.boolean().default(false),
  /** While set, queue and speech answer the contract's 503 (at capacity) with this `Retry-After`; nothing is held. */
  paused: z.strictObject({ retry_after_seconds: z.number().int().min(1).max(86_400) }).optional(),
  /** How long this model's finished media is kept, overriding `OVERTURE_MEDIA_RETENTION_HOURS`. */
  media_retention_seconds: z.number().int().min(1).max(31_536_000).optional(),
  /** How long one webhook delivery of this model's jobs may take (default 10 s); 0: every delivery times out. */
  webhook_timeout_seconds: z.number().min(0).max(60).optional(),
  model_spec: modelSpecSchema,
});

export type CatalogModel = z.output<typeof catalogModelSchema>;

/** The file format of a catalog: `{ "models": [ … ] }`. */
export const catalogFileSchema = z.strictObject({
  $comment: z.string().optional(),
  models: z.array(catalogModelSchema).min(1),
});
