import type { QueueRequest } from './audio-types.js';
import { detailedMessage } from './error-from-response.js';
import { type ErrorDetails, ValidationError, type ValidationIssue } from './errors.js';
import type { Model, ModelSpec } from './model-types.js';

const QUEUE_FIELDS = new Set([
  'model',
  'prompt',
  'lyrics_prompt',
  'duration_seconds',
  'force_instrumental',
  'lyrics_optimizer',
  'loop',
  'voice',
  'language_code',
  'speed',
  'webhook_url',
  'quote_id',
]);

const FLAGS: readonly (readonly [keyof QueueRequest, keyof ModelSpec])[] = [
  ['force_instrumental', 'supports_force_instrumental'],
  ['lyrics_optimizer', 'supports_lyrics_optimizer'],
  ['loop', 'supports_loop'],
  ['speed', 'supports_speed'],
  ['language_code', 'supports_language_code'],
];

/** Whether the model takes `duration_seconds` at all. */
export function hasDurationMetadata(spec: ModelSpec): boolean {
  return spec.duration_options !== undefined || spec.min_duration !== undefined || spec.default_duration !== undefined;
}

/** `duration_seconds` as a number, or NaN when it is not a positive integer or digit string. */
export function wholeSeconds(value: number | string): number {
  const number = typeof value === 'string' ? (/^\d+$/.test(value) ? Number(value) : Number.NaN) : value;
  return Number.isInteger(number) && number > 0 ? number : Number.NaN;
}

function durationIssues(spec: ModelSpec, value: number | string | undefined): string[] {
  if (value === undefined) return [];
  if (!hasDurationMetadata(spec)) return ['This model does not accept duration_seconds'];
  const seconds = wholeSeconds(value);
  if (Number.isNaN(seconds)) return ['Must be a positive integer or a string of digits'];
  if (spec.duration_options && spec.duration_options.length > 0)
    return spec.duration_options.includes(seconds) ? [] : [`Must be one of: ${spec.duration_options.join(', ')}`];
  const min = spec.min_duration ?? 1;
  const max = spec.max_duration ?? Number.MAX_SAFE_INTEGER;
  return seconds >= min && seconds <= max ? [] : [`Must be between ${min} and ${max} seconds`];
}

/** Every problem of a queue request against its model's `model_spec`, in the server's issue shape. */
export function queueRequestIssues(model: Model, request: QueueRequest): ValidationIssue[] {
  const spec = model.model_spec;
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string, code = 'custom') => issues.push({ path: [field], message, code });
  for (const field of Object.keys(request)) if (!QUEUE_FIELDS.has(field)) add(field, `Unrecognized field: ${field}`, 'unrecognized_keys');
  for (const [field, flag] of FLAGS)
    if (request[field] !== undefined && spec[flag] !== true) add(field, `${field} is not supported by this model`);
  const prompt = typeof request.prompt === 'string' ? request.prompt.trim() : '';
  const minPrompt = spec.min_prompt_length ?? 1;
  const maxPrompt = spec.prompt_character_limit ?? 4096;
  if (prompt.length < minPrompt) add('prompt', `Must be at least ${minPrompt} characters`);
  if (prompt.length > maxPrompt) add('prompt', `Must be at most ${maxPrompt} characters`);
  const lyrics = request.lyrics_prompt;
  const lyricsLimit = spec.lyrics_character_limit ?? 4096;
  if (lyrics !== undefined && spec.supports_lyrics !== true) add('lyrics_prompt', 'lyrics_prompt is not supported by this model');
  else if (spec.lyrics_required && (lyrics === undefined || lyrics.trim() === ''))
    add('lyrics_prompt', 'lyrics_prompt is required by this model');
  if (lyrics !== undefined && lyrics.length > lyricsLimit) add('lyrics_prompt', `Must be at most ${lyricsLimit} characters`);
  if (request.lyrics_optimizer === true && lyrics !== undefined && lyrics.trim() !== '')
    add('lyrics_optimizer', 'lyrics_optimizer cannot be combined with a non-empty lyrics_prompt');
  for (const message of durationIssues(spec, request.duration_seconds)) add('duration_seconds', message);
  // A row that lists no voices may take its upstream's (`GET /audio/voices`): the server decides.
  if (request.voice !== undefined && spec.voices !== undefined && !spec.voices.includes(request.voice))
    add('voice', "Must be one of the model's voices");
  const minSpeed = Math.max(spec.min_speed ?? 0.25, 0.25);
  const maxSpeed = Math.min(spec.max_speed ?? 4, 4);
  if (request.speed !== undefined && spec.supports_speed && !(request.speed >= minSpeed && request.speed <= maxSpeed))
    add('speed', `Must be between ${minSpeed} and ${maxSpeed}`);
  if (request.language_code !== undefined && !/^[a-z]{2}$/i.test(request.language_code)) add('language_code', 'Must be an ISO 639-1 code');
  return issues;
}

/** The `details` tree of the contract built from flat issues. */
export function detailsOf(issues: readonly ValidationIssue[]): ErrorDetails {
  type Node = { _errors: string[]; [key: string]: unknown };
  const root: Node = { _errors: [] };
  for (const issue of issues) {
    let node = root;
    for (const key of issue.path) {
      node[String(key)] ??= { _errors: [] };
      node = node[String(key)] as Node;
    }
    node._errors.push(issue.message);
  }
  return root as unknown as ErrorDetails;
}

/** Throw a `ValidationError` (status 400, the server's body shape) when the request does not fit the model. */
export function assertValidQueueRequest(model: Model, request: QueueRequest): void {
  const issues = queueRequestIssues(model, request);
  if (issues.length === 0) return;
  const details = detailsOf(issues);
  throw new ValidationError(detailedMessage('Invalid request parameters', { issues }), {
    status: 400,
    details,
    issues,
    body: { error: 'Invalid request parameters', details, issues },
  });
}
