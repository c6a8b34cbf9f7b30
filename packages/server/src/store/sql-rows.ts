import { type Micros, micros, summedMicros, ZERO_MICROS } from '../domain/money.js';
import type { WebhookSubject } from '../domain/webhook-events.js';
import type {
  AccountRecord,
  BalanceLine,
  JobRecord,
  KeyRecord,
  ModelCostLine,
  NewJob,
  NewKey,
  UpstreamNote,
  UpstreamRecord,
  WebhookDelivery,
} from '../ports/store/store-records.js';

/**
 * A money column as micro-units: SQLite answers a number, PostgreSQL a BIGINT as a string or a
 * number. The schema keeps every money column a whole number in the safe range (money-columns.ts).
 */
export const microsColumn = (value: unknown): Micros => micros(Number(value));

const nullableMicrosColumn = (value: unknown) => (value === null || value === undefined ? null : microsColumn(value));

/** A `SUM` over a money column as micro-units (PostgreSQL answers it as a string). */
export const summedMicrosColumn = (value: unknown): Micros => summedMicros(Number(value));

/** A balance line that does not exist yet. */
export const EMPTY_BALANCE_LINE: BalanceLine = { available: ZERO_MICROS, held: ZERO_MICROS, captured: ZERO_MICROS, granted: ZERO_MICROS };

/** A `balances` row's `available`, `held`, `captured` and `granted` columns. */
export function toBalanceLine(row: Record<string, unknown>): BalanceLine {
  return {
    available: microsColumn(row.available),
    held: microsColumn(row.held),
    captured: microsColumn(row.captured),
    granted: microsColumn(row.granted),
  };
}

/** Column names → records, shared by the SQL adapters (SQLite, PostgreSQL): both use these snake_case names. */
export function toAccount(row: Record<string, unknown>): AccountRecord {
  return {
    id: row.id as string,
    name: row.name as string,
    pro: Boolean(row.pro),
    diemDaily: microsColumn(row.diem_daily),
    createdAt: Number(row.created_at),
  };
}

const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export function toKey(row: Record<string, unknown>): KeyRecord {
  return {
    id: row.id as string,
    accountId: row.account_id as string,
    type: row.type as KeyRecord['type'],
    description: row.description as string,
    hash: row.hash as string,
    lastChars: row.last_chars as string,
    createdAt: Number(row.created_at),
    expiresAt: nullableNumber(row.expires_at),
    limitUsd: nullableMicrosColumn(row.limit_usd),
    limitDiem: nullableMicrosColumn(row.limit_diem),
    webhookUrl: (row.webhook_url as string | null) ?? null,
  };
}

const parseJson = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : (value ?? null));

/**
 * The record of a job just inserted as queued, built from what was inserted rather than read
 * back. Its request is parsed from the stored text, so the record equals a later read.
 */
export function queuedJobRecord(
  job: NewJob,
  storedRequest: string,
  hold: { holdId: string; currency: JobRecord['currency']; amount: Micros },
  now: number,
): JobRecord {
  return {
    id: job.id,
    accountId: job.accountId,
    keyId: job.keyId,
    modelId: job.modelId,
    engine: job.engine,
    request: JSON.parse(storedRequest),
    state: 'queued',
    attempt: 0,
    maxAttempts: job.maxAttempts,
    leaseToken: null,
    leaseUntil: null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    progress: 0,
    stage: null,
    holdId: hold.holdId,
    currency: hold.currency,
    price: hold.amount,
    mediaKey: null,
    mediaBytes: null,
    durationSeconds: null,
    inferenceMs: null,
    errorStatus: null,
    errorBody: null,
    mediaDeletedAt: null,
    expiresAt: null,
    webhookUrl: job.webhookUrl ?? null,
    upstream: null,
  };
}

export function toJob(row: Record<string, unknown>): JobRecord {
  return {
    id: row.id as string,
    accountId: row.account_id as string,
    keyId: row.key_id as string,
    modelId: row.model_id as string,
    engine: row.engine as string,
    request: parseJson(row.request),
    state: row.state as JobRecord['state'],
    attempt: Number(row.attempt),
    maxAttempts: Number(row.max_attempts),
    leaseToken: (row.lease_token as string | null) ?? null,
    leaseUntil: nullableNumber(row.lease_until),
    createdAt: Number(row.created_at),
    startedAt: nullableNumber(row.started_at),
    finishedAt: nullableNumber(row.finished_at),
    progress: Number(row.progress),
    stage: (row.stage as string | null) ?? null,
    holdId: row.hold_id as string,
    currency: row.currency as JobRecord['currency'],
    price: microsColumn(row.price),
    mediaKey: (row.media_key as string | null) ?? null,
    mediaBytes: nullableNumber(row.media_bytes),
    durationSeconds: nullableNumber(row.duration_seconds),
    inferenceMs: nullableNumber(row.inference_ms),
    errorStatus: nullableNumber(row.error_status),
    errorBody: parseJson(row.error_body),
    mediaDeletedAt: nullableNumber(row.media_deleted_at),
    expiresAt: nullableNumber(row.expires_at),
    webhookUrl: (row.webhook_url as string | null) ?? null,
    upstream: toUpstream(row),
  };
}

/** A job's `upstream_*` columns; null when no remote engine instance was noted. */
function toUpstream(row: Record<string, unknown>): UpstreamRecord | null {
  const instance = row.upstream_instance as string | null | undefined;
  if (instance === null || instance === undefined) return null;
  return {
    instance,
    submissionKey: (row.upstream_key as string | null) ?? null,
    requestId: (row.upstream_request_id as string | null) ?? null,
    latencyMs: nullableNumber(row.upstream_latency_ms),
    costMicros: nullableMicrosColumn(row.upstream_cost),
  };
}

/**
 * An upstream note's values in the order both adapters' `recordUpstream` binds them: instance,
 * key, request id, then latency and cost as integers (null when absent, so COALESCE keeps the
 * stored ones).
 */
export function upstreamValues(note: UpstreamNote): [string, string | null, string | null, number | null, number | null] {
  const integer = (value: number | undefined) => (value === undefined ? null : Math.round(value));
  return [note.instance, note.submissionKey, note.requestId, integer(note.latencyMs), integer(note.costMicros)];
}

/**
 * The `upstreamCosts` query, the same for both adapters but for its placeholders and the order
 * of model ids (`ORDER BY` the caller's expression). Jobs that finished in [from, to), per model:
 * every finished job is in a final state (the state list says so anyway). Delivered jobs (done
 * or expired) are the ones whose hold was captured whole, so their price is the revenue, in the
 * job's currency (stored as 'usd' / 'diem'). Upstream cost counts every job, delivered or not.
 */
export const upstreamCostsSql = (from: string, to: string, modelOrder: string) => `
  SELECT model_id, COUNT(*) AS jobs,
    SUM(CASE WHEN state IN ('done', 'expired') THEN 1 ELSE 0 END) AS delivered,
    SUM(CASE WHEN state IN ('done', 'expired') AND currency = 'usd' THEN price ELSE 0 END) AS revenue_usd,
    SUM(CASE WHEN state IN ('done', 'expired') AND currency = 'diem' THEN price ELSE 0 END) AS revenue_diem,
    COALESCE(SUM(upstream_cost), 0) AS upstream_cost
  FROM jobs WHERE finished_at >= ${from} AND finished_at < ${to} AND state IN ('done', 'failed', 'cancelled', 'expired')
  GROUP BY model_id ORDER BY ${modelOrder}`;

/** One `upstreamCosts` row (PostgreSQL answers COUNT and SUM as strings). */
export function toModelCostLine(row: Record<string, unknown>): ModelCostLine {
  return {
    modelId: row.model_id as string,
    jobs: Number(row.jobs),
    delivered: Number(row.delivered),
    revenueUsd: summedMicrosColumn(row.revenue_usd),
    revenueDiem: summedMicrosColumn(row.revenue_diem),
    upstreamCostUsd: summedMicrosColumn(row.upstream_cost),
  };
}

/** What a webhook event says of the job in `row` (a `jobs` row read just before it is queued). */
export function toWebhookSubject(row: Record<string, unknown>): WebhookSubject {
  return {
    id: row.id as string,
    modelId: row.model_id as string,
    state: row.state as string,
    durationSeconds: nullableNumber(row.duration_seconds),
    expiresAt: nullableNumber(row.expires_at),
    errorStatus: nullableNumber(row.error_status),
    errorBody: parseJson(row.error_body),
  };
}

export function toDelivery(row: Record<string, unknown>): WebhookDelivery {
  return {
    id: row.id as string,
    accountId: row.account_id as string,
    jobId: row.job_id as string,
    url: row.url as string,
    event: row.event as string,
    payload: row.payload as string,
    state: row.state as WebhookDelivery['state'],
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: (row.last_error as string | null) ?? null,
    createdAt: Number(row.created_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
  };
}

/** A key row joined with its account's columns (aliased `a_name`, `a_pro`, `a_diem_daily`, `a_created_at`). */
export function toKeyWithAccount(row: Record<string, unknown>): { key: KeyRecord; account: AccountRecord } {
  const account = toAccount({
    id: row.account_id,
    name: row.a_name,
    pro: row.a_pro,
    diem_daily: row.a_diem_daily,
    created_at: row.a_created_at,
  });
  return { key: toKey(row), account };
}

/** Columns of an `api_keys` insert, in order; both adapters bind `keyValues` to them. */
export const KEY_COLUMNS =
  'id, account_id, type, description, hash, last_chars, created_at, expires_at, limit_usd, limit_diem, webhook_url';

/** A new key's values in `KEY_COLUMNS` order. */
export function keyValues(key: NewKey, now: number): unknown[] {
  return [
    key.id,
    key.accountId,
    key.type,
    key.description,
    key.hash,
    key.lastChars,
    now,
    key.expiresAt,
    key.limitUsd,
    key.limitDiem,
    key.webhookUrl,
  ];
}

/** Queued and running jobs by route and state (both stores index these states partially). */
export const OPEN_JOBS_SQL = "SELECT engine, state, COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running') GROUP BY engine, state";
