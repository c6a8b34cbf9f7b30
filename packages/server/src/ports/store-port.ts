import type { Currency, CurrencyAmounts } from '../domain/currency.js';
import type { JobState } from '../domain/job-state.js';
import type {
  AccountRecord, BalanceSnapshot, JobFailure, JobRecord, JobSuccess, KeyRecord, LedgerTotals, NewJob, NewKey, ReserveOutcome,
} from './store.js';

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
   * create the job and its hold, in one transaction; or create nothing.
   */
  enqueue(job: NewJob, price: CurrencyAmounts, now: number): Promise<ReserveOutcome<JobRecord>>;
  /** Reserve a price with no job (synchronous speech); settle it with `settleHold`. */
  reserve(accountId: string, keyId: string, price: CurrencyAmounts, now: number): Promise<ReserveOutcome<{ holdId: string; currency: Currency }>>;
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
  /** Fenced: give a running job back to the queue without spending an attempt (graceful shutdown). */
  returnJob(jobId: string, token: string): Promise<boolean>;

  /** The account's job, or undefined for an unknown or foreign id. */
  getJob(accountId: string, jobId: string): Promise<JobRecord | undefined>;
  /** Mark a done job's media deleted; true only for the one caller that changed it. */
  markMediaDeleted(jobId: string, now: number): Promise<boolean>;
  /** Media that is marked deleted (or expired) but whose bytes may still exist; oldest first. */
  listMediaToPurge(limit: number): Promise<{ jobId: string; mediaKey: string }[]>;
  /** Record that a job's media bytes are gone. */
  markMediaPurged(jobId: string): Promise<void>;

  /**
   * Housekeeping, idempotent and safe on every node at once: requeue or fail jobs whose lease
   * expired, expire done jobs past retention, release open job-less holds older than `orphanHoldMs`.
   */
  reap(now: number, orphanHoldMs: number): Promise<{ requeued: number; failed: number; expired: number; released: number }>;

  /** Total times (enqueue → done, ms) of the model's most recent done jobs, newest first. */
  recentTotals(modelId: string, limit: number): Promise<number[]>;
  /** Number of jobs in each state. */
  countJobs(): Promise<Record<JobState, number>>;
  /** Ledger totals over one account (or all) and both currencies, for invariant checks. */
  ledgerTotals(accountId?: string): Promise<LedgerTotals>;

  close(): Promise<void>;
}
