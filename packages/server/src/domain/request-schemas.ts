import { z } from 'zod';
import { checkAmount } from './money.js';

/**
 * A USD or DIEM amount on the wire: a JSON number within the money rule (finite, not negative,
 * at most 6 decimals, at most MAX_AMOUNT_USD; above 0 with `positive`). Stays decimal; it
 * converts to micro-units exactly.
 */
export function amountSchema(options: { positive?: boolean } = {}) {
  return z.number().superRefine((value, context) => {
    const checked = checkAmount(value, options);
    if ('problem' in checked) context.addIssue({ code: 'custom', message: checked.problem });
  });
}

/** Fields that are digit strings or positive integers on the wire (`duration_seconds`). */
export const wholeSecondsSchema = z.union([z.number(), z.string()]).transform((value, context) => {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0) {
    context.addIssue({ code: 'custom', message: 'Must be a positive integer or a string of digits' });
    return z.NEVER;
  }
  return number;
});

/** Any id is accepted here; one that names no job of the caller is a 404, like the contract says. */
const uuidSchema = z.string().min(1).max(200);

export const MODEL_TYPES = ['asr', 'embedding', 'image', 'music', 'text', 'tts', 'upscale', 'inpaint', 'video', 'all', 'code'] as const;

/** `GET /models?type=` */
export const modelsQuerySchema = z.object({ type: z.enum(MODEL_TYPES).default('all') });

/** `POST /audio/quote` */
export const quoteBodySchema = z.strictObject({
  model: z.string().min(1),
  duration_seconds: wholeSecondsSchema.optional(),
  character_count: z.number().int().positive().optional(),
});

/** `POST /audio/queue` — every field is further checked against the model's spec. */
export const queueBodySchema = z.strictObject({
  model: z.string().min(1),
  prompt: z.string(),
  lyrics_prompt: z.string().optional(),
  duration_seconds: wholeSecondsSchema.optional(),
  force_instrumental: z.boolean().optional(),
  lyrics_optimizer: z.boolean().optional(),
  loop: z.boolean().optional(),
  voice: z.string().optional(),
  language_code: z
    .string()
    .regex(/^[a-z]{2}$/i, 'Must be an ISO 639-1 code')
    .optional(),
  speed: z.number().min(0.25).max(4).optional(),
  /** Overture extension: where this job's events are sent. */
  webhook_url: z.string().max(2048).optional(),
  /** Overture extension: lock the price of an earlier binding quote. */
  quote_id: z.string().max(1000).optional(),
});

/** Fields of the queue body that are Overture's extensions, not the contract's. */
export const EXTENSION_FIELDS = ['webhook_url', 'quote_id'] as const;

/** `POST /audio/cancel` (Overture extension) */
export const cancelBodySchema = z.strictObject({ model: z.string().min(1), queue_id: z.string().min(1).max(200) });

/** `POST /audio/retrieve` */
export const retrieveBodySchema = z.strictObject({
  model: z.string().min(1),
  queue_id: uuidSchema,
  delete_media_on_completion: z.boolean().optional(),
});

/** `POST /audio/complete` */
export const completeBodySchema = z.strictObject({ model: z.string().min(1), queue_id: uuidSchema });

/** `POST /audio/speech` — OpenAI-style clients send extra fields, so unknown ones are dropped. */
export const speechBodySchema = z.object({
  input: z.string().min(1).max(4096),
  model: z.string().min(1),
  voice: z.string().optional(),
  response_format: z.enum(['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm']).optional(),
  speed: z.number().min(0.25).max(4).optional(),
  streaming: z.boolean().optional(),
  language: z.string().optional(),
  prompt: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
});

const limitSchema = z.strictObject({
  usd: amountSchema().nullable().optional(),
  diem: amountSchema().nullable().optional(),
  vcu: z.number().nonnegative().nullable().optional(),
});

/** `POST /api_keys` */
export const createKeyBodySchema = z.strictObject({
  apiKeyType: z.enum(['INFERENCE', 'ADMIN']),
  description: z.string().min(1).max(200),
  consumptionLimit: limitSchema.optional(),
  expiresAt: z
    .union([z.iso.datetime({ offset: true }), z.iso.date(), z.literal('')])
    .nullable()
    .optional(),
  /** Overture extension: where events of this key's jobs are sent. */
  webhookUrl: z.string().max(2048).optional(),
});

/** `DELETE /api_keys?id=` */
export const deleteKeyQuerySchema = z.object({ id: z.string().min(1) });

/** Operator: create an account. */
export const createAccountBodySchema = z.strictObject({
  name: z.string().min(1).max(200),
  pro: z.boolean().default(false),
  usd: amountSchema().default(0),
  diem_daily: amountSchema().default(0),
});

/** Operator: credit an account. */
export const creditBodySchema = z.strictObject({ usd: amountSchema({ positive: true }), note: z.string().max(500).optional() });

export type QueueBody = z.output<typeof queueBodySchema>;
export type QuoteBody = z.output<typeof quoteBodySchema>;
export type SpeechBody = z.output<typeof speechBodySchema>;
