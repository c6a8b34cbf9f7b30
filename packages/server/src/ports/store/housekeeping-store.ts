/** Housekeeping settings passed to `reap`. */
export interface ReapOptions {
  /** Open holds with no job older than this are released (a crashed synchronous request). */
  readonly orphanHoldMs: number;
  /** Jobs with a webhook get a `media.expiring` event this long before their media expires. */
  readonly expiringNoticeMs: number;
}

/**
 * Housekeeping: expired leases, retention, orphaned holds, and media bytes left to purge.
 * Part of the persistence port (`store.ts`): each method is one atomic operation, run by the
 * adapter in one transaction. Times are milliseconds since the epoch, passed in.
 */
export interface HousekeepingStore {
  /**
   * Housekeeping, idempotent and safe on every node at once: requeue or fail jobs whose lease
   * expired, expire done jobs past retention, release orphaned holds, queue `media.expiring`
   * events, and forget expired idempotency keys (returning media keys to delete).
   */
  reap(
    now: number,
    options: ReapOptions,
  ): Promise<{ requeued: number; failed: number; expired: number; released: number; forgottenMedia: string[] }>;
  /** Media that is marked deleted (or expired) but whose bytes may still exist; oldest first. */
  listMediaToPurge(limit: number): Promise<{ jobId: string; mediaKey: string }[]>;
  /** Record that a job's media bytes are gone. */
  markMediaPurged(jobId: string): Promise<void>;
}
