import type { GenerationRequest } from './generation-request.js';
import type { CatalogModel } from './model-spec.js';
import type { QueueBody, QuoteBody } from './request-schemas.js';
import { invalidParameters, type RequestIssue } from './validation-error.js';

/** A queue request after validation against its model, with every default applied. */
export interface JobRequest extends GenerationRequest {
  /** Characters of `prompt`, for per-character prices. */
  readonly characterCount: number;
}

const flagFields = [
  ['force_instrumental', 'supports_force_instrumental'],
  ['lyrics_optimizer', 'supports_lyrics_optimizer'],
  ['loop', 'supports_loop'],
  ['speed', 'supports_speed'],
  ['language_code', 'supports_language_code'],
] as const;

/** Does the model take a duration at all? */
export function hasDurationMetadata(model: CatalogModel): boolean {
  const spec = model.model_spec;
  return spec.duration_options !== undefined || spec.min_duration !== undefined || spec.default_duration !== undefined;
}

/** Check a duration against the model's options or range; returns the issues found. */
export function checkDuration(model: CatalogModel, seconds: number | undefined): RequestIssue[] {
  if (seconds === undefined) return [];
  const spec = model.model_spec;
  const path = ['duration_seconds'];
  if (!hasDurationMetadata(model)) return [{ path, message: 'This model does not accept duration_seconds' }];
  if (spec.duration_options && spec.duration_options.length > 0) {
    return spec.duration_options.includes(seconds) ? [] : [{ path, message: `Must be one of: ${spec.duration_options.join(', ')}` }];
  }
  const min = spec.min_duration ?? 1;
  const max = spec.max_duration ?? Number.MAX_SAFE_INTEGER;
  return seconds >= min && seconds <= max ? [] : [{ path, message: `Must be between ${min} and ${max} seconds` }];
}

/** Validate a quote body against its model. Throws the contract's 400 on any problem. */
export function validateQuote(model: CatalogModel, body: QuoteBody): void {
  const issues = checkDuration(model, body.duration_seconds);
  const spec = model.model_spec;
  const perCharacter = 'per_thousand_characters' in spec.pricing || 'input' in spec.pricing;
  if (perCharacter && body.character_count === undefined)
    issues.push({ path: ['character_count'], message: 'character_count is required for this model' });
  if (!perCharacter && body.character_count !== undefined)
    issues.push({ path: ['character_count'], message: 'This model is not priced per character' });
  const limit = spec.prompt_character_limit;
  if (body.character_count !== undefined && limit !== undefined && body.character_count > limit)
    issues.push({ path: ['character_count'], message: `Must be at most ${limit}` });
  if (issues.length > 0) throw invalidParameters(issues);
}

/**
 * The voices a request may name: a list (the row's `voices`, or those its upstream lists when the
 * row lists none), or `any` while the upstream's list cannot be had (a wrong voice then fails the job).
 */
export type AllowedVoices = readonly string[] | 'any';

/** The issue of a `voice` the model does not offer, naming a few it does. */
export function voiceIssues(model: CatalogModel, voice: string | undefined, allowed: AllowedVoices): RequestIssue[] {
  if (voice === undefined || allowed === 'any' || allowed.includes(voice)) return [];
  const few = allowed.slice(0, 5).join(', ');
  const all = allowed.length > 5 ? `; GET /api/v1/audio/voices?model=${model.id} lists all ${allowed.length}` : '';
  return [
    {
      path: ['voice'],
      message: allowed.length === 0 ? "Must be one of the model's voices" : `Must be one of the model's voices (${few}${all})`,
    },
  ];
}

/**
 * Validate a queue body against its model's spec and apply defaults. Throws the contract's 400.
 * `voices`: what `voice` may be (default: the row's list).
 */
export function validateQueue(model: CatalogModel, body: QueueBody, voices: AllowedVoices = model.model_spec.voices ?? []): JobRequest {
  const spec = model.model_spec;
  const issues: RequestIssue[] = [];
  for (const [field, flag] of flagFields) {
    if (body[field] !== undefined && spec[flag] !== true)
      issues.push({ path: [field], message: `${field} is not supported by this model` });
  }
  const prompt = body.prompt.trim();
  const minPrompt = spec.min_prompt_length ?? 1;
  const maxPrompt = spec.prompt_character_limit ?? 4096;
  if (prompt.length < minPrompt) issues.push({ path: ['prompt'], message: `Must be at least ${minPrompt} characters` });
  if (prompt.length > maxPrompt) issues.push({ path: ['prompt'], message: `Must be at most ${maxPrompt} characters` });
  const lyrics = body.lyrics_prompt;
  if (lyrics !== undefined && spec.supports_lyrics !== true)
    issues.push({ path: ['lyrics_prompt'], message: 'lyrics_prompt is not supported by this model' });
  else if (spec.lyrics_required && (lyrics === undefined || lyrics.trim() === ''))
    issues.push({ path: ['lyrics_prompt'], message: 'lyrics_prompt is required by this model' });
  if (lyrics !== undefined && lyrics.length > (spec.lyrics_character_limit ?? 4096))
    issues.push({ path: ['lyrics_prompt'], message: `Must be at most ${spec.lyrics_character_limit ?? 4096} characters` });
  if (body.lyrics_optimizer === true && lyrics !== undefined && lyrics.trim() !== '')
    issues.push({ path: ['lyrics_optimizer'], message: 'lyrics_optimizer cannot be combined with a non-empty lyrics_prompt' });
  issues.push(...checkDuration(model, body.duration_seconds));
  issues.push(...voiceIssues(model, body.voice, voices));
  const speed = body.speed ?? spec.default_speed ?? 1;
  if (body.speed !== undefined && (body.speed < (spec.min_speed ?? 0.25) || body.speed > (spec.max_speed ?? 4)))
    issues.push({ path: ['speed'], message: `Must be between ${spec.min_speed ?? 0.25} and ${spec.max_speed ?? 4}` });
  if (issues.length > 0) throw invalidParameters(issues);
  return {
    prompt,
    lyrics: lyrics?.trim() === '' ? undefined : lyrics,
    durationSeconds: hasDurationMetadata(model) ? (body.duration_seconds ?? spec.default_duration) : undefined,
    forceInstrumental: body.force_instrumental ?? false,
    lyricsOptimizer: body.lyrics_optimizer ?? false,
    loop: body.loop ?? false,
    voice: body.voice ?? spec.default_voice,
    languageCode: body.language_code?.toLowerCase(),
    speed,
    format: spec.default_format ?? 'mp3',
    characterCount: prompt.length,
  };
}
