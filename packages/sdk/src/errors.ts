/** One entry of a 400's flat `issues` list. */
export interface ValidationIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly code?: string;
}

/** A node of a 400's `details` tree: `_errors` plus one child per field. */
export interface ErrorDetails {
  readonly _errors: readonly string[];
  readonly [field: string]: ErrorDetails | readonly string[];
}

/** What an error carries besides its message. */
export interface ErrorInit {
  readonly status?: number;
  readonly details?: ErrorDetails;
  readonly issues?: readonly ValidationIssue[];
  readonly requestId?: string;
  /** The parsed error body, when there was one. */
  readonly body?: unknown;
  readonly cause?: unknown;
}

/** The base of every error the SDK throws (except aborts, which reject with an `AbortError`). */
export class OvertureError extends Error {
  override name = 'OvertureError';
  /** HTTP status; undefined for errors raised before or without an answer. */
  readonly status: number | undefined;
  /** The validation tree of a 400, when sent. */
  readonly details: ErrorDetails | undefined;
  /** The flat validation issues of a 400, when sent. */
  readonly issues: readonly ValidationIssue[];
  /** The `x-request-id` response header, when present. */
  readonly requestId: string | undefined;
  /** The parsed error body. */
  readonly body: unknown;

  constructor(message: string, init: ErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.details = init.details;
    this.issues = init.issues ?? [];
    this.requestId = init.requestId;
    this.body = init.body;
  }
}

/** 400: the request was malformed or invalid for the model. */
export class BadRequestError extends OvertureError {
  override name = 'BadRequestError';
}

/** 400 raised by the client before anything was sent (client-side validation). */
export class ValidationError extends BadRequestError {
  override name = 'ValidationError';
}

/** 401: missing or unknown key, Pro-only model, or admin key required. */
export class AuthenticationError extends OvertureError {
  override name = 'AuthenticationError';
}

/** 402: the balance (or the key's consumption limit) does not cover the price. */
export class InsufficientBalanceError extends OvertureError {
  override name = 'InsufficientBalanceError';
}

/** 404: unknown model, or unknown, foreign or expired `queue_id`. */
export class NotFoundError extends OvertureError {
  override name = 'NotFoundError';
}

/**
 * 404 `Specified model not found` (or the same found by `generate()` before anything was sent):
 * the server has no such model for this route. The message names the model and how to list them.
 */
export class ModelNotFoundError extends NotFoundError {
  override name = 'ModelNotFoundError';
  /** Always `model_not_found`, for callers that switch on codes. */
  readonly code = 'model_not_found';

  constructor(
    /** The model id that was asked for, when known. */
    readonly model: string | undefined,
    init: ErrorInit = {},
    /** Which models the route takes, e.g. `music` for the queue. */
    type?: string,
  ) {
    const list = `GET /models${type ? `?type=${type}` : ''} (client.models.list(${type ? `{ type: '${type}' }` : ''}))`;
    super(
      `Specified model not found: ${model === undefined ? 'the model' : `"${model}"`} is not served here; list the models with ${list}`,
      init,
    );
  }
}

/** 422: the prompt violates the content policy. */
export class ContentPolicyError extends OvertureError {
  override name = 'ContentPolicyError';
  /** A rewrite that would pass, when the server offers one. */
  readonly suggestedPrompt: string | undefined;

  constructor(message: string, init: ErrorInit & { suggestedPrompt?: string } = {}) {
    super(message, init);
    this.suggestedPrompt = init.suggestedPrompt;
  }
}

/**
 * 409 or 422 about an `Idempotency-Key`: the key is still in flight (409, retried with backoff),
 * or it was already used with a different request (422, never retried).
 */
export class IdempotencyError extends OvertureError {
  override name = 'IdempotencyError';
}

/** 429: too many requests. */
export class RateLimitError extends OvertureError {
  override name = 'RateLimitError';
  /** Seconds to wait, from `Retry-After`, when sent. */
  readonly retryAfter: number | undefined;

  constructor(message: string, init: ErrorInit & { retryAfter?: number } = {}) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
}

/** 5xx: the server or the model failed (500 inference failure, 503 capacity). */
export class ServerError extends OvertureError {
  override name = 'ServerError';
}

/** The request never got an answer: DNS, refused connection, reset, and the like. */
export class ConnectionError extends OvertureError {
  override name = 'ConnectionError';
}

/** No answer within `timeoutMs`. */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
}

/** A followed job ended without audio: it was cancelled, or its media expired or was deleted. */
export class JobEndedError extends OvertureError {
  override name = 'JobEndedError';

  constructor(
    /** The job's queue id. */
    readonly queueId: string,
    /** The final state the server reported (`cancelled`, `expired`, …). */
    readonly state: string,
  ) {
    super(`Job ${queueId} ended ${state === 'cancelled' ? 'cancelled (its hold is released)' : state}; it has no audio`);
  }
}

/** `generate()` refused to queue: the quote is above `maxPriceUsd`. Nothing was charged. */
export class BudgetExceededError extends OvertureError {
  override name = 'BudgetExceededError';

  constructor(
    /** The quoted price in USD. */
    readonly quote: number,
    /** The budget that was given. */
    readonly maxPriceUsd: number,
  ) {
    super(`The quote of ${quote} USD exceeds the budget of ${maxPriceUsd} USD`);
  }
}
