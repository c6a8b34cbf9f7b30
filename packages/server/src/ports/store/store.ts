import type { AccountStore } from './account-store.js';
import type { HousekeepingStore } from './housekeeping-store.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { JobLeaseStore } from './job-lease-store.js';
import type { JobStatisticsStore } from './job-statistics-store.js';
import type { JobStore } from './job-store.js';
import type { LedgerStore } from './ledger-store.js';
import type { WalletStore } from './wallet-store.js';
import type { WebhookStore } from './webhook-store.js';

/**
 * The persistence port, in parts by concern: each part is a small port of its own, and a
 * service takes only the parts it uses. An adapter (SQLite, PostgreSQL) implements every part
 * over one database, in files named after the part (`sqlite-ledger-store.ts` ↔ `ledger-store.ts`).
 * Money only ever moves inside the parts' operations, so the ledger's invariants hold whatever
 * the caller does; the shared conformance suite (`test/store/`) holds both adapters to that.
 */
export interface Store {
  readonly accounts: AccountStore;
  readonly ledger: LedgerStore;
  readonly jobs: JobStore;
  readonly leases: JobLeaseStore;
  readonly housekeeping: HousekeepingStore;
  readonly statistics: JobStatisticsStore;
  readonly idempotency: IdempotencyStore;
  readonly webhooks: WebhookStore;
  readonly wallets: WalletStore;

  /** Create schema or apply pending migrations. Safe to call on every start. */
  migrate(): Promise<void>;
  /**
   * Optional capability: call `listener` with the engine's name whenever a new job is committed
   * (PostgreSQL: by any process, through LISTEN/NOTIFY; SQLite: by this process, as soon as its
   * group commits, before the fsync that acknowledges it), so idle workers wake at once instead
   * of at their next poll. Best effort (workers still poll); returns a function that unsubscribes.
   * Stores without it rely on the queue service waking the local pool after each enqueue.
   */
  onJobQueued?(listener: (engine: string) => void): () => void;
  /** Release the database (connections, file handles). */
  close(): Promise<void>;
}
