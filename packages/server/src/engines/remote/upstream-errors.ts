import { EngineRejection } from '../../ports/engine.js';

/**
 * The upstream is at capacity (429, 503, or 409 "at capacity"): wait and ask again. It says
 * nothing against the instance's health and spends none of the job's attempts.
 */
export class UpstreamBusy extends Error {
  override name = 'UpstreamBusy';
  constructor(
    message: string,
    /** From `Retry-After`, when the upstream sent one. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

/**
 * The upstream could not be reached, timed out, answered 5xx, dropped the connection or sent
 * something malformed: the attempt fails (and is retried), and it counts against the instance.
 */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The human message in an error body: Venice `{error}`, OpenAI `{error:{message}}`, FastAPI `{detail}`, or the text. */
export function messageOf(body: unknown, text: string): string {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string')
    return (error as { message: string }).message;
  if (typeof record.message === 'string') return record.message;
  const detail = record.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map((item) => (item as { msg?: string })?.msg ?? JSON.stringify(item)).join('; ');
  if (typeof detail === 'object' && detail !== null && typeof (detail as { message?: unknown }).message === 'string')
    return (detail as { message: string }).message;
  return text.slice(0, 300) || 'no message';
}

const POLICY = /content[ _-]?policy|moderation|safety|not allowed|prohibited|violat/i;

/**
 * Map a non-2xx upstream answer to the error the engine throws: at capacity → `UpstreamBusy`;
 * 5xx and 408 → `UpstreamFailure`; a content-policy refusal → `EngineRejection('content_policy')`
 * with its `suggested_prompt`; other 400/413/422 → `invalid_input` (the request cannot succeed);
 * 401/403/404 and other 4xx → `refused` (a configuration problem: a final failure with a clear message).
 */
export function upstreamError(instance: string, status: number, headers: Headers, text: string): Error {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const message = messageOf(body, text);
  const capacity = /capacity|busy|queue is full|too many|overloaded|rate limit/i.test(message);
  if (status === 429 || status === 503 || (status === 409 && capacity))
    return new UpstreamBusy(`${instance} is at capacity (${status}): ${message}`, parseRetryAfter(headers.get('retry-after')));
  if (status >= 500 || status === 408) return new UpstreamFailure(`${instance} answered ${status}: ${message}`);
  const suggested = (body as { suggested_prompt?: unknown } | undefined)?.suggested_prompt;
  if ((status === 422 || status === 400) && (typeof suggested === 'string' || POLICY.test(message)))
    return new EngineRejection('content_policy', message, typeof suggested === 'string' ? suggested : undefined);
  if (status === 400 || status === 413 || status === 422)
    return new EngineRejection('invalid_input', `The model refused the request: ${message}`);
  return new EngineRejection('refused', `Upstream ${instance} refused Overture's request (${status}): ${message}`);
}
