import {
  AuthenticationError,
  BadRequestError,
  ContentPolicyError,
  type ErrorDetails,
  type ErrorInit,
  IdempotencyError,
  InsufficientBalanceError,
  ModelNotFoundError,
  NotFoundError,
  OvertureError,
  RateLimitError,
  ServerError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';

/** Seconds from a `Retry-After` header (delta seconds or an HTTP date); undefined if absent or invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text);
  } catch {
    return text === '' ? undefined : text;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** At most this many issues are spelled out in a message (all stay in `issues`). */
const ISSUES_IN_MESSAGE = 5;

/**
 * The server's message followed by what it said in detail: each issue as `field: why` (e.g.
 * `duration_seconds: Must be between 1 and 600 seconds`), and a `reason` or `message` field.
 */
export function detailedMessage(base: string, record: Record<string, unknown>): string {
  const parts: string[] = [];
  const issues = Array.isArray(record.issues) ? (record.issues as unknown[]).filter(isRecord) : [];
  for (const issue of issues.slice(0, ISSUES_IN_MESSAGE)) {
    const path = Array.isArray(issue.path) ? issue.path.join('.') : '';
    if (typeof issue.message === 'string') parts.push(path ? `${path}: ${issue.message}` : issue.message);
  }
  if (issues.length > ISSUES_IN_MESSAGE) parts.push(`and ${issues.length - ISSUES_IN_MESSAGE} more`);
  for (const field of ['reason', 'message', 'detail'])
    if (typeof record[field] === 'string' && record[field] !== base) parts.push(record[field] as string);
  return parts.length === 0 ? base : `${base}: ${parts.join('; ')}`;
}

/** What the request was about, to name it in the error (the `model` of its body). */
export interface ErrorContext {
  readonly model?: string;
  /** The type of model the route takes (`music` for the queue, `tts` for speech). */
  readonly modelType?: string;
}

/** Turn an error answer into the matching `OvertureError` subclass (reads the body). */
export async function errorFromResponse(response: Response, context: ErrorContext = {}): Promise<OvertureError> {
  const body = await readBody(response);
  const record = isRecord(body) ? body : {};
  const status = response.status;
  const base = typeof record.error === 'string' ? record.error : typeof body === 'string' && body ? body : `HTTP ${status}`;
  const message = detailedMessage(base, record);
  const init: ErrorInit = {
    status,
    body,
    requestId: response.headers.get('x-request-id') ?? undefined,
    details: isRecord(record.details) ? (record.details as unknown as ErrorDetails) : undefined,
    issues: Array.isArray(record.issues) ? (record.issues as ValidationIssue[]) : undefined,
  };
  // A 400 that lists what failed is the server's own validation of the request.
  if (status === 400) return init.issues ? new ValidationError(message, init) : new BadRequestError(message, init);
  if (status === 401 || status === 403) return new AuthenticationError(message, init);
  if (status === 402) return new InsufficientBalanceError(message, init);
  if (status === 404 && base === 'Specified model not found') return new ModelNotFoundError(context.model, init, context.modelType);
  if (status === 404) return new NotFoundError(message, init);
  if ((status === 409 || status === 422) && /idempotency-key/i.test(message)) return new IdempotencyError(message, init);
  if (status === 422) {
    const suggestedPrompt = typeof record.suggested_prompt === 'string' ? record.suggested_prompt : undefined;
    return new ContentPolicyError(message, { ...init, suggestedPrompt });
  }
  if (status === 429) return new RateLimitError(message, { ...init, retryAfter: parseRetryAfter(response.headers.get('retry-after')) });
  if (status >= 500) return new ServerError(message, init);
  return new OvertureError(message, init);
}
