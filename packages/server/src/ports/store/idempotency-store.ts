import type { IdempotencyClaim, IdempotencyState } from './store-records.js';

/**
 * Idempotency keys of requests that create no job (synchronous speech).
 * Part of the persistence port (`store.ts`): each method is one atomic operation, run by the
 * adapter in one transaction. Times are milliseconds since the epoch, passed in.
 */
export interface IdempotencyStore {
  /** Claim an idempotency key for a request that creates no job (speech). */
  claimIdempotencyKey(accountId: string, claim: IdempotencyClaim, now: number): Promise<IdempotencyState>;
  /** Store the answer of a claimed key, so later requests replay it. */
  finishIdempotencyKey(accountId: string, key: string, status: number, response: string, mediaKey: string | null): Promise<void>;
  /** Forget a claimed key whose request failed, so it may be retried. */
  dropIdempotencyKey(accountId: string, key: string): Promise<void>;
}
