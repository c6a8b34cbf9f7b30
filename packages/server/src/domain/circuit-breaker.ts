/** The state an instance's breaker is in: `closed` (healthy), `open` (skipped), `half_open` (one trial call). */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** When a breaker opens and how long it stays open. */
export interface CircuitSettings {
  /** Consecutive failures that open the circuit. */
  readonly failures: number;
  /** How long an open circuit refuses calls before it lets one trial call through. */
  readonly cooldownMs: number;
}

/**
 * A circuit breaker for one engine instance, pure (the clock is passed in): after `failures`
 * consecutive failed calls it opens, so work goes to the next instance; after the cooldown one
 * trial call is let through (half open) — its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | undefined;
  private trialRunning = false;

  constructor(private readonly settings: CircuitSettings) {}

  /** The state at `now`. */
  state(now: number): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return now - this.openedAt >= this.settings.cooldownMs ? 'half_open' : 'open';
  }

  /** May a call start now? In half-open state only one trial call at a time is allowed. */
  allows(now: number): boolean {
    const state = this.state(now);
    return state === 'closed' || (state === 'half_open' && !this.trialRunning);
  }

  /** A call starts; returns false (and changes nothing) when it is not allowed. */
  begin(now: number): boolean {
    if (!this.allows(now)) return false;
    if (this.state(now) === 'half_open') this.trialRunning = true;
    return true;
  }

  /** The call worked: the instance is healthy. */
  succeeded(): void {
    this.consecutive = 0;
    this.openedAt = undefined;
    this.trialRunning = false;
  }

  /** The call failed for a reason that says the instance is unwell (network, 5xx, timeout). */
  failed(now: number): void {
    this.consecutive++;
    if (this.trialRunning || this.consecutive >= this.settings.failures) this.openedAt = now;
    this.trialRunning = false;
  }

  /** The call ended without telling anything about the instance's health (cancelled, refused input). */
  released(): void {
    this.trialRunning = false;
  }

  /** Consecutive failures so far. */
  get failureCount(): number {
    return this.consecutive;
  }
}
