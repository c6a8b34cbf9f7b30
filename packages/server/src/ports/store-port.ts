import type { Currency, CurrencyAmounts } from '../domain/currency.js';
import type { HistoryCursor } from '../domain/job-history.js';
import type { JobState } from '../domain/job-state.js';
import type {
  AccountRecord,
  BalanceSnapshot,
  CancelOutcome,
  EnqueueOutcome,
  IdempotencyClaim,
  IdempotencyState,
  JobFailure,
  JobRecord,
  JobSuccess,
  KeyRecord,
  LedgerTotals,
  ModelCostLine,
  NewJob,
  NewKey,
  OpenJobCount,
  ReserveOutcome,
  UpstreamNote,
  WebhookDelivery,
} from './store.js';
import type { NewWallet, NewWalletPayment, WalletPaymentRecord, WalletPaymentState } from './wallet-records.js';

/** Housekeeping settings passed to `reap`. */
export interface ReapOptions {
  /** Open holds with no job older than this are released (a crashed synchronous request). */
  readonly orphanHoldMs: number;
  /** Jobs with a webhook get a `media.expiring` event this long before their media expires. */
  readonly expiringNoticeMs: number;
}

/**
 * The persistence port: accounts, keys, the ledger and jobs. Each method is one atomic
 * operation; adapters (SQLite, PostgreSQL) run each in one transaction. Money only ever moves
 * inside these operations, so the ledger's invariants hold whatever the caller does.
 * Times are milliseconds since the epoch, passed in so tests can move the clock.
 */
export interface Store {
  /** Create schema or apply pending migrations. Safe to call on every start. */
  migrate(): Promise<void>;

  /** Create an account with an initial USD grant and its first keys, atomically. */
  createAccount(account: Omit<AccountRecord, 'createdAt'>, grantUsd: number, keys: readonly NewKey[], now: number): Promise<AccountRecord>;
  /** Add USD to an account (a grant). False when the account does not exist. */
  creditAccount(accountId: string, usd: number, note: string, now: number): Promise<boolean>;
  getAccount(accountId: string): Promise<AccountRecord | undefined>;
  countAccounts(): Promise<number>;

  createKey(key: NewKey, now: number): Promise<KeyRecord>;
  /** The live (not deleted) key with this hash, and its account. */
  findKeyByHash(hash: string): Promise<{ key: KeyRecord; account: AccountRecord } | undefined>;
  listKeys(accountId: string): Promise<KeyRecord[]>;
  /** Soft-delete a key of this account; false when there is none. */
  deleteKey(accountId: string, keyId: string, now: number): Promise<boolean>;
  /** What a key has spent (held + captured) in the current epoch, per currency. */
  keyUsage(keyId: string, now: number): Promise<CurrencyAmounts>;

  /** Balances now (the DIEM line is the current epoch's, created lazily from the allocation). */
  getBalance(accountId: string, now: number): Promise<BalanceSnapshot>;

  /**
   * Reserve the price (DIEM first, then USD — whichever single currency covers it whole) and
   * create the job, its hold and its idempotency key, in one transaction; or create nothing.
   * A key already used with the same request hash replays the first job.
   */
  enqueue(job: NewJob, price: CurrencyAmounts, now: number): Promise<EnqueueOutcome>;
  /** Reserve a price with no job (synchronous speech); settle it with `settleHold`. */
  reserve(
    accountId: string,
    keyId: string,
    price: CurrencyAmounts,
    now: number,
  ): Promise<ReserveOutcome<{ holdId: string; currency: Currency }>>;
  /** Capture (all of `amount`, at most the hold) or release an open hold with no job. False if already settled. */
  settleHold(holdId: string, outcome: 'capture' | 'release', now: number): Promise<boolean>;

  /** Mark up to `limit` runnable jobs of `engine` running under a fresh lease token, oldest first. */
  claimJobs(engine: string, limit: number, leaseMs: number, now: number): Promise<JobRecord[]>;
  /** Extend a lease and record progress; false when the lease is no longer this token's (stop work). */
  renewLease(jobId: string, token: string, leaseUntil: number, progress: number, stage: string | null): Promise<boolean>;
  /** Fenced: store the result, mark done and capture the hold. False (and nothing changes) when stale. */
  completeJob(jobId: string, token: string, success: JobSuccess, now: number): Promise<boolean>;
  /** Fenced: requeue (retryable, attempts left) or fail and release the hold. */
  failJob(jobId: string, token: string, failure: JobFailure, now: number): Promise<'requeued' | 'failed' | 'stale'>;
  /**
   * Fenced: note on a running job the remote engine instance serving it and its upstream
   * request, so a later attempt resumes that request instead of paying for another. Latency
   * and cost, when given, are kept; when absent, earlier values stay. False when stale.
   */
  recordUpstream(jobId: string, token: string, note: UpstreamNote): Promise<boolean>;
  /** Fenced: give a running job back to the queue without spending an attempt (graceful shutdown). */
  returnJob(jobId: string, token: string): Promise<boolean>;

  /** The account's job, or undefined for an unknown or foreign id. */
  getJob(accountId: string, jobId: string): Promise<JobRecord | undefined>;
  /** At most `limit` of the account's jobs, newest first (creation time, then id), after the cursor. */
  listJobs(accountId: string, limit: number, after: HistoryCursor | null): Promise<JobRecord[]>;
  /** Mark a done job's media deleted; true only for the one caller that changed it. */
  markMediaDeleted(jobId: string, now: number): Promise<boolean>;
  /** Media that is marked deleted (or expired) but whose bytes may still exist; oldest first. */
  listMediaToPurge(limit: number): Promise<{ jobId: string; mediaKey: string }[]>;
  /** Record that a job's media bytes are gone. */
  markMediaPurged(jobId: string): Promise<void>;

  /**
   * Housekeeping, idempotent and safe on every node at once: requeue or fail jobs whose lease
   * expired, expire done jobs past retention, release orphaned holds, queue `media.expiring`
   * events, and forget expired idempotency keys (returning media keys to delete).
   */
  reap(
    now: number,
    options: ReapOptions,
  ): Promise<{ requeued: number; failed: number; expired: number; released: number; forgottenMedia: string[] }>;

  /**
   * Cancel a job of this account: a queued or running job becomes `cancelled` and its hold is
   * released in full, in one transaction (a running attempt then fails its fenced settle).
   * Undefined for an unknown or foreign id.
   */
  cancelJob(accountId: string, jobId: string, now: number): Promise<CancelOutcome | undefined>;
  /** How many runnable jobs of the same engine are ahead of this queued job. */
  queuePosition(jobId: string): Promise<number>;

  /** Claim an idempotency key for a request that creates no job (speech). */
  claimIdempotencyKey(accountId: string, claim: IdempotencyClaim, now: number): Promise<IdempotencyState>;
  /** Store the answer of a claimed key, so later requests replay it. */
  finishIdempotencyKey(accountId: string, key: string, status: number, response: string, mediaKey: string | null): Promise<void>;
  /** Forget a claimed key whose request failed, so it may be retried. */
  dropIdempotencyKey(accountId: string, key: string): Promise<void>;

  /** The account's signing secret (`whsec_…`: webhooks and binding quotes), created on first use. */
  webhookSecret(accountId: string, create: () => string): Promise<string>;
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

  /** Total times (enqueue → done, ms) of the model's most recent done jobs, newest first. */
  recentTotals(modelId: string, limit: number): Promise<number[]>;
  /** Revenue against upstream cost per model, over jobs that finished in [from, to), by model id. */
  upstreamCosts(from: number, to: number): Promise<ModelCostLine[]>;
  /** Number of jobs in each state. */
  countJobs(): Promise<Record<JobState, number>>;
  /** Queued and running jobs by route (a job's `engine`) and state: what `/metrics` shows as queue depth. */
  countOpenJobs(): Promise<readonly OpenJobCount[]>;
  /** Ledger totals over one account (or all) and both currencies, for invariant checks. */
  ledgerTotals(accountId?: string): Promise<LedgerTotals>;

  /**
   * The account and pseudo key of an x402 wallet, created on first use with no credit. Idempotent
   * and safe when several requests of one wallet race: all get the same account and key.
   */
  ensureWallet(wallet: NewWallet, now: number): Promise<{ key: KeyRecord; account: AccountRecord }>;
  /**
   * Record a top-up payment as `pending`, which spends its id (nonce) for good. Answers `new` when
   * recorded by this call, otherwise the state an earlier call left (`pending` or `credited`).
   */
  beginWalletPayment(payment: NewWalletPayment, now: number): Promise<'new' | WalletPaymentState>;
  /**
   * Credit a pending payment's amount to its account and mark it `credited` (with the settlement
   * transaction, if any), in one transaction. False, and nothing changes, when it is not pending.
   */
  creditWalletPayment(paymentId: string, transaction: string | null, now: number): Promise<boolean>;
  /** Forget a still-pending payment whose settlement was refused, so its nonce may be paid again. */
  abandonWalletPayment(paymentId: string): Promise<void>;
  /** Recorded top-up payments, newest first (the operator collects the signed authorizations). */
  listWalletPayments(limit: number): Promise<WalletPaymentRecord[]>;

  /**
   * Optional capability: call `listener` with the engine's name whenever a new job is committed
   * (PostgreSQL: by any process, through LISTEN/NOTIFY; SQLite: by this process, as soon as its
   * group commits, before the fsync that acknowledges it), so idle workers wake at once instead
   * of at their next poll. Best effort (workers still poll); returns a function that unsubscribes.
   * Stores without it rely on the queue service waking the local pool after each enqueue.
   */
  onJobQueued?(listener: (engine: string) => void): () => void;

  close(): Promise<void>;
}
