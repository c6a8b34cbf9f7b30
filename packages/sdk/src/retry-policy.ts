/** How the client backs off between attempts of a retryable request. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Delay before the first retry, doubled for each further one (before jitter). */
  readonly baseDelayMs: number;
  /** Upper bound of a computed delay, and of a server's `Retry-After`. */
  readonly maxDelayMs: number;
}

/** Statuses worth retrying on a request that cannot double-charge. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The wait before retry number `attempt` (0-based): the server's `Retry-After` when given (capped),
 * otherwise exponential backoff with jitter between half and the full delay.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterSeconds?: number, random = Math.random): number {
  if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, policy.maxDelayMs);
  const exponential = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
  return exponential / 2 + random() * (exponential / 2);
}
