import { sleep } from './abort.js';
import type { RateLimitState, RetrieveCompleted, RetrieveRequest, RetrieveResult } from './audio-types.js';
import { RateLimitError } from './errors.js';
import type { RequestOptions } from './transport.js';

/** How `generate()` and `audio.follow()` poll `retrieve` when the server has no status stream. */
export interface PollingOptions {
  /** The first wait after queueing (default 250 ms). */
  readonly firstDelayMs: number;
  /** Each later wait is the previous one times this (default 1.6). */
  readonly multiplier: number;
  /** The longest wait between two polls (default 5 000 ms). */
  readonly maxDelayMs: number;
}

/** The default poll timing: short at first, backing off to 5 s. */
export const DEFAULT_POLLING: PollingOptions = { firstDelayMs: 250, multiplier: 1.6, maxDelayMs: 5_000 };

/** What one poll saw while the job was not done. */
export interface PollReport {
  readonly averageExecutionTime: number;
  readonly executionDuration: number;
}

/** The retrieve call the poller makes (an `AudioResource`'s, usually). */
export type RetrieveFunction = (body: RetrieveRequest, options?: RequestOptions) => Promise<RetrieveResult>;

/** Parse the contract's rate-limit headers; undefined when any is missing. */
export function rateLimitOf(headers: Headers): RateLimitState | undefined {
  const limit = Number(headers.get('x-ratelimit-limit-requests') ?? Number.NaN);
  const remaining = Number(headers.get('x-ratelimit-remaining-requests') ?? Number.NaN);
  const resetSeconds = Number(headers.get('x-ratelimit-reset-requests') ?? Number.NaN);
  return [limit, remaining, resetSeconds].every(Number.isFinite) ? { limit, remaining, resetSeconds } : undefined;
}

/**
 * The least wait the rate limit asks for: none while more than a quarter of the window's budget
 * remains, then the rest of the window spread evenly over the requests left.
 */
export function rateLimitPaceMs(state: RateLimitState | undefined): number {
  if (!state || state.remaining > state.limit / 4) return 0;
  return (state.resetSeconds * 1000) / Math.max(1, state.remaining);
}

/**
 * Poll `retrieve` until the audio is ready: the first poll after `firstDelayMs`, each later wait
 * `multiplier` times longer up to `maxDelayMs`, never sooner than the rate limit allows, and after
 * a 429 not before its `Retry-After`. `deadline` (epoch ms) bounds the waiting; past it,
 * `onTimeout` decides what is thrown.
 */
export async function pollUntilReady(
  retrieve: RetrieveFunction,
  body: RetrieveRequest,
  options: {
    readonly polling?: Partial<PollingOptions>;
    readonly signal?: AbortSignal;
    readonly deadline?: number;
    readonly onTimeout: () => Error;
    readonly onPoll?: (report: PollReport) => void;
    /** Poll at once, without the first wait (the job is known to be done). */
    readonly immediately?: boolean;
  },
): Promise<RetrieveCompleted> {
  const polling = { ...DEFAULT_POLLING, ...options.polling };
  let delay = Math.max(0, polling.firstDelayMs);
  let wait = options.immediately ? 0 : delay;
  for (;;) {
    if (options.deadline !== undefined && Date.now() + wait > options.deadline) {
      await sleep(Math.max(0, options.deadline - Date.now()), options.signal);
      throw options.onTimeout();
    }
    await sleep(wait, options.signal);
    delay = Math.min(polling.maxDelayMs, Math.max(delay * polling.multiplier, 1));
    try {
      const result = await retrieve(body, { signal: options.signal });
      if (result.status === 'COMPLETED') return result;
      options.onPoll?.({ averageExecutionTime: result.averageExecutionTime, executionDuration: result.executionDuration });
      wait = Math.max(delay, rateLimitPaceMs(result.rateLimit));
    } catch (error) {
      if (!(error instanceof RateLimitError)) throw error;
      wait = Math.max(delay, (error.retryAfter ?? delay / 1000) * 1000);
    }
  }
}
