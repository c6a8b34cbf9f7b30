import { z } from 'zod';
import { EngineRejection, type EngineRequest } from '../../ports/engine.js';

/** MP3 `output_format`s of ElevenLabs (192 kbps needs the Creator tier, the 48 kHz ones are music only). */
const MP3_FORMATS = [
  'mp3_22050_32',
  'mp3_24000_48',
  'mp3_44100_32',
  'mp3_44100_64',
  'mp3_44100_96',
  'mp3_44100_128',
  'mp3_44100_192',
  'mp3_48000_128',
  'mp3_48000_192',
  'mp3_48000_240',
  'mp3_48000_320',
] as const;

/** Raw PCM rates of `output_format` (`pcm_<rate>`; 44.1 kHz and up need the Pro tier). */
const PCM_RATES = [8000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000] as const;

const seconds = (max: number) =>
  z
    .number({ error: 'must be a number of seconds' })
    .positive({ error: 'must be more than 0 seconds' })
    .max(max, { error: `must be at most ${max} seconds` });

/** The options an `elevenlabs` instance takes in the engines file; every one is optional. */
const instanceSchema = z.strictObject({
  /** Catalog voice name → ElevenLabs voice id (names not listed are sent as voice ids). */
  voices: z.record(z.string().min(1), z.string().min(1, { error: 'voice ids must not be empty' })).default({}),
  /** Voice id used when a request names no voice. */
  default_voice: z.string().min(1, { error: 'must be a voice id' }).optional(),
  /** MP3 asked for music and sound effects (every other client format is converted from it). */
  mp3_format: z.enum(MP3_FORMATS, { error: `must be one of ${MP3_FORMATS.join(', ')}` }).default('mp3_44100_128'),
  /** Rate of the raw PCM speech is asked in when the client wants wav, flac or opus. */
  speech_pcm_rate: z
    .union(
      PCM_RATES.map((rate) => z.literal(rate)),
      { error: `must be one of ${PCM_RATES.join(', ')}` },
    )
    .default(24_000),
  /** Wait after `too_many_concurrent_requests` (no Retry-After): a slot of the plan frees soon. */
  busy_retry_seconds: seconds(60).default(1),
  /** First wait after `system_busy` (no Retry-After), doubling up to 60 s. */
  system_busy_seconds: seconds(60).default(5),
  /** How long a synchronous `/audio/speech` waits for a free slot before answering 503. */
  speech_wait_seconds: z.number().min(0).max(120).default(10),
  /** Narration part size (characters per text-to-speech request). */
  max_characters: z.number().int().min(100).max(40_000).default(3000),
});

export type ElevenLabsOptions = z.output<typeof instanceSchema>;

/** Validate an instance's `options`; throws an Error naming every bad option. */
export function parseElevenLabsOptions(options: Readonly<Record<string, unknown>>): ElevenLabsOptions {
  const parsed = instanceSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const known = Object.keys(instanceSchema.shape).join(', ');
  const problems = parsed.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `options.${key}: unknown option (known: ${known})`).join('; ')
      : `options.${issue.path.join('.')}: ${issue.message}`,
  );
  throw new Error(problems.join('; '));
}

const unit = z.number().min(0).max(1);

/** A catalog row's `engine_options` for this adapter. */
const rowSchema = z.strictObject({
  /** The upstream `model_id` (music_v1, music_v2, eleven_text_to_sound_v2, eleven_multilingual_v2, …). */
  model: z.string().min(1).optional(),
  /** What a `music` row makes: songs (`/v1/music`), sound effects (`/v1/sound-generation`) or narration (text to speech). */
  kind: z.enum(['music', 'sound_effects', 'narration']).optional(),
  /** Sound effects: how closely the sound follows the prompt (ElevenLabs' default 0.3). */
  prompt_influence: unit.optional(),
  /** Sound effects: every generation loops (otherwise the request's `loop` decides). */
  loop: z.boolean().optional(),
  /** Speech: the voice settings sent with every request (speed comes from the request). */
  voice_settings: z
    .strictObject({ stability: unit, similarity_boost: unit, style: unit, use_speaker_boost: z.boolean() })
    .partial()
    .optional(),
});

export type ElevenLabsRow = z.output<typeof rowSchema>;

/** The row's options, or a `refused` rejection saying what is wrong with the catalog row. */
export function rowOptions(request: EngineRequest): ElevenLabsRow {
  const parsed = rowSchema.safeParse(request.options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `engine_options.${issue.path.join('.') || '(keys)'}: ${issue.message}`);
  throw new EngineRejection('refused', `The catalog row ${request.modelId} has invalid engine_options: ${problems.join('; ')}`);
}
