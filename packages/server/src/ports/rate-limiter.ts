/** The answer of one rate-limit check. */
export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the window resets. */
  readonly resetMs: number;
}

/**
 * The rate-limit port: fixed windows counted per bucket (key + route family).
 * The memory adapter limits each process on its own; a shared adapter (Redis) limits a fleet.
 */
export interface RateLimiter {
  /** Count one request against `bucket` and say whether it may pass. */
  hit(bucket: string, limit: number, windowMs: number, now: number): Promise<RateDecision>;
  close?(): Promise<void>;
}
