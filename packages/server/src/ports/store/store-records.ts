import type { Currency } from '../../domain/currency.js';
import type { JobState } from '../../domain/job-state.js';
import type { Micros } from '../../domain/money.js';
import type { JobRequest } from '../../domain/validate-request.js';

/** A customer: owns keys, balances and jobs. */
export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly pro: boolean;
  /** DIEM granted every epoch (day), in micro-units. */
  readonly diemDaily: Micros;
  readonly createdAt: number;
}

export type KeyType = 'INFERENCE' | 'ADMIN';

/** An API key; only its SHA-256 hash is stored. */
export interface KeyRecord {
  readonly id: string;
  readonly accountId: string;
  readonly type: KeyType;
  readonly description: string;
  readonly hash: string;
  readonly lastChars: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  /** Per-epoch consumption limits in micro-units; null means none. */
  readonly limitUsd: Micros | null;
  readonly limitDiem: Micros | null;
  /** Where events of this key's jobs are sent, unless a job names its own. */
  readonly webhookUrl: string | null;
}

export type NewKey = Omit<KeyRecord, 'createdAt'>;

/** One currency's balance in micro-units. available + held + captured = granted. */
export interface BalanceLine {
  readonly available: Micros;
  readonly held: Micros;
  readonly captured: Micros;
  readonly granted: Micros;
}

/** An account's balances now: USD for all time, DIEM for the current epoch. */
export interface BalanceSnapshot {
  readonly usd: BalanceLine;
  readonly diem: BalanceLine;
}

/** A job as stored. */
export interface JobRecord {
  readonly id: string;
  readonly accountId: string;
  readonly keyId: string;
  readonly modelId: string;
  readonly engine: string;
  readonly request: JobRequest;
  readonly state: JobState;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly leaseToken: string | null;
  readonly leaseUntil: number | null;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly progress: number;
  readonly stage: string | null;
  readonly holdId: string;
  readonly currency: Currency;
  /** What the job costs (held, then captured or released), in micro-units of `currency`. */
  readonly price: Micros;
  readonly mediaKey: string | null;
  readonly mediaBytes: number | null;
  readonly durationSeconds: number | null;
  readonly inferenceMs: number | null;
  readonly errorStatus: number | null;
  readonly errorBody: ({ error: string } & Record<string, unknown>) | null;
  /** When the media was deleted (complete, delete-on-retrieve, expiry); null while it is served. */
  readonly mediaDeletedAt: number | null;
  /** When the media stops being served. */
  readonly expiresAt: number | null;
  /** Where this job's events are sent (its own, or its key's). */
  readonly webhookUrl: string | null;
  /** The remote engine instance serving (or that served) the job, with its upstream request; null for built-in engines. */
  readonly upstream: UpstreamRecord | null;
}

/** What a job notes about the upstream request serving it (see `Store.recordUpstream`). */
export interface UpstreamNote {
  /** The engine instance (from the engines file) the request went to. */
  readonly instance: string;
  /** The key the submission is sent with; a resumed attempt sends the same one. */
  readonly submissionKey: string | null;
  /** The upstream's id for the request, once it answered the submission. */
  readonly requestId: string | null;
  /** Submission to result, in milliseconds (recorded when the attempt succeeds). */
  readonly latencyMs?: number;
  /** What the upstream charged, in micro-USD (recorded when known). */
  readonly costMicros?: Micros;
}

/** The upstream note as stored on a job. */
export interface UpstreamRecord {
  readonly instance: string;
  readonly submissionKey: string | null;
  readonly requestId: string | null;
  readonly latencyMs: number | null;
  readonly costMicros: Micros | null;
}

/** Revenue against upstream cost for one model over a period (money in micro-units). */
export interface ModelCostLine {
  readonly modelId: string;
  /** Jobs that finished in the period (done, failed, cancelled or expired). */
  readonly jobs: number;
  /** Of those, the jobs that delivered audio (done or expired), which are the ones charged. */
  readonly delivered: number;
  /** Captured from customers, per currency. */
  readonly revenueUsd: Micros;
  readonly revenueDiem: Micros;
  /** Recorded upstream cost of every job of the period, delivered or not, in micro-USD. */
  readonly upstreamCostUsd: Micros;
}

/** What enqueue needs besides money: the fields of the record that the caller chooses. */
export interface NewJob extends Pick<JobRecord, 'id' | 'accountId' | 'keyId' | 'modelId' | 'engine' | 'request' | 'maxAttempts'> {
  /** Where this job's events go (absent: none). */
  readonly webhookUrl?: string | null;
  /** Claim this idempotency key in the same transaction; a replay returns the first job. */
  readonly idempotency?: IdempotencyClaim;
}

/** An `Idempotency-Key` with the hash of the request it was first used with. */
export interface IdempotencyClaim {
  readonly key: string;
  readonly requestHash: string;
  readonly expiresAt: number;
}

/** What enqueue did: created a job, replayed an earlier one, or refused. */
export type EnqueueOutcome =
  | { readonly ok: true; readonly value: JobRecord; readonly replayed: boolean }
  | { readonly ok: false; readonly reason: ReserveRefusal | 'idempotency_mismatch' };

/** The state of an idempotency key claimed outside a job (synchronous speech). */
export type IdempotencyState =
  | { readonly state: 'new' }
  | { readonly state: 'in_flight' }
  | { readonly state: 'mismatch' }
  | { readonly state: 'done'; readonly status: number; readonly response: string; readonly mediaKey: string | null };

/** What cancel did. */
export type CancelOutcome =
  | { readonly outcome: 'cancelled'; readonly was: 'queued' | 'running' }
  | { readonly outcome: 'final'; readonly state: JobState };

/** One webhook event on its way to a receiver (the transactional outbox). */
export interface WebhookDelivery {
  readonly id: string;
  readonly accountId: string;
  readonly jobId: string;
  readonly url: string;
  readonly event: string;
  readonly payload: string;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

/** Why money could not be reserved. */
export type ReserveRefusal = 'insufficient_balance' | 'consumption_limit';

export type ReserveOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: ReserveRefusal };

/** What a finished attempt stores. Media is durable before this is called. */
export interface JobSuccess {
  readonly mediaKey: string;
  readonly mediaBytes: number;
  readonly durationSeconds: number;
  readonly inferenceMs: number;
  readonly expiresAt: number;
}

/** What a failed attempt stores. */
export interface JobFailure {
  readonly status: number;
  readonly body: { error: string } & Record<string, unknown>;
  /** Try again (if attempts remain) rather than fail now. */
  readonly retryable: boolean;
  readonly retryAt: number;
}

/** Totals used to check the ledger's invariants (sums of money in micro-units, then counts). */
export interface LedgerTotals {
  readonly granted: Micros;
  readonly available: Micros;
  readonly held: Micros;
  readonly captured: Micros;
  readonly openHolds: Micros;
  readonly captureEntries: Micros;
  readonly negativeRows: number;
  readonly holdsSettledTwice: number;
}

/** How many jobs of one route (a job's `engine` field) are in one open state. */
export interface OpenJobCount {
  readonly engine: string;
  readonly state: 'queued' | 'running';
  readonly count: number;
}
