import type { WebhookDelivery } from './store-records.js';

/**
 * The webhook outbox: deliveries queued with job transitions, sent and logged.
 * Part of the persistence port (`store.ts`): each method is one atomic operation, run by the
 * adapter in one transaction. Times are milliseconds since the epoch, passed in.
 */
export interface WebhookStore {
  /** Pending deliveries due now, leased for `leaseMs` so only one process sends each. */
  claimDeliveries(now: number, limit: number, leaseMs: number): Promise<WebhookDelivery[]>;
  /** Record one attempt: delivered, or failed with the time of the next try (null: give up). */
  recordDelivery(
    id: string,
    result: { status: number | null; error: string | null; nextAttemptAt: number | null },
    now: number,
  ): Promise<void>;
  /** The delivery log of one job of this account, oldest first. */
  listDeliveries(accountId: string, jobId: string): Promise<WebhookDelivery[]>;
}
