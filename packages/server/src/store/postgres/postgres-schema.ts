import { MONEY_COLUMNS } from '../money-columns.js';

/**
 * Money columns are BIGINT already, so only whole micro-units fit; one CHECK per table keeps each
 * in its range (never negative, at most its maximum). NULL passes a CHECK, as nullable columns need.
 */
const POSTGRES_MONEY_MIGRATION = MONEY_COLUMNS.map(
  (group) =>
    `ALTER TABLE ${group.table} ADD CONSTRAINT ${group.table}_${group.columns.join('_')}_money CHECK (${group.columns
      .map((column) => `${column} BETWEEN 0 AND ${group.maximum}`)
      .join(' AND ')});`,
).join('\n');

/**
 * Numbered PostgreSQL migrations: each runs once, in order, in its own transaction, while the
 * migrating process holds an advisory lock (so processes starting together apply each once).
 * Money and times are BIGINT (micro-units, milliseconds since the epoch); JSON is JSONB.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, pro BOOLEAN NOT NULL, diem_daily BIGINT NOT NULL,
    created_at BIGINT NOT NULL);
  CREATE TABLE balances (
    account_id TEXT NOT NULL REFERENCES accounts(id), currency TEXT NOT NULL, epoch TEXT NOT NULL,
    available BIGINT NOT NULL CHECK (available >= 0), held BIGINT NOT NULL CHECK (held >= 0),
    captured BIGINT NOT NULL CHECK (captured >= 0), granted BIGINT NOT NULL,
    PRIMARY KEY (account_id, currency, epoch));
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id), type TEXT NOT NULL,
    description TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, last_chars TEXT NOT NULL,
    created_at BIGINT NOT NULL, expires_at BIGINT, limit_usd BIGINT, limit_diem BIGINT,
    deleted_at BIGINT);
  CREATE INDEX api_keys_account ON api_keys(account_id);
  CREATE TABLE key_usage (
    key_id TEXT NOT NULL, currency TEXT NOT NULL, epoch TEXT NOT NULL, used BIGINT NOT NULL,
    PRIMARY KEY (key_id, currency, epoch));
  CREATE TABLE holds (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, key_id TEXT NOT NULL, currency TEXT NOT NULL,
    epoch TEXT NOT NULL, amount BIGINT NOT NULL CHECK (amount >= 0), job_id TEXT,
    state TEXT NOT NULL, created_at BIGINT NOT NULL, settled_at BIGINT);
  CREATE INDEX holds_orphans ON holds(created_at) WHERE state = 'open' AND job_id IS NULL;
  CREATE TABLE ledger_entries (
    id BIGSERIAL PRIMARY KEY, account_id TEXT NOT NULL, currency TEXT NOT NULL, epoch TEXT NOT NULL,
    kind TEXT NOT NULL, amount BIGINT NOT NULL, hold_id TEXT, note TEXT, created_at BIGINT NOT NULL);
  CREATE UNIQUE INDEX ledger_settle_once ON ledger_entries(hold_id, kind) WHERE hold_id IS NOT NULL;
  CREATE INDEX ledger_account ON ledger_entries(account_id);
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY, seq BIGSERIAL NOT NULL, account_id TEXT NOT NULL, key_id TEXT NOT NULL,
    model_id TEXT NOT NULL, engine TEXT NOT NULL, request JSONB NOT NULL, state TEXT NOT NULL,
    attempt INTEGER NOT NULL, max_attempts INTEGER NOT NULL, run_after BIGINT NOT NULL,
    lease_token TEXT, lease_until BIGINT, created_at BIGINT NOT NULL, started_at BIGINT,
    finished_at BIGINT, progress DOUBLE PRECISION NOT NULL DEFAULT 0, stage TEXT,
    hold_id TEXT NOT NULL, currency TEXT NOT NULL, price BIGINT NOT NULL, media_key TEXT,
    media_bytes BIGINT, duration_seconds DOUBLE PRECISION, inference_ms DOUBLE PRECISION,
    error_status INTEGER, error_body JSONB, media_deleted_at BIGINT,
    media_purged BOOLEAN NOT NULL DEFAULT FALSE, expires_at BIGINT);
  CREATE INDEX jobs_claim ON jobs(engine, run_after, seq) WHERE state = 'queued';
  CREATE INDEX jobs_leases ON jobs(lease_until) WHERE state = 'running';
  CREATE INDEX jobs_retention ON jobs(expires_at) WHERE state = 'done' AND media_deleted_at IS NULL;
  CREATE INDEX jobs_purge ON jobs(media_deleted_at)
    WHERE media_deleted_at IS NOT NULL AND media_key IS NOT NULL AND NOT media_purged;
  CREATE INDEX jobs_model_done ON jobs(model_id, finished_at) WHERE state IN ('done', 'expired');
  `,
  `
  ALTER TABLE jobs ADD COLUMN webhook_url TEXT;
  ALTER TABLE jobs ADD COLUMN expiring_notified BOOLEAN NOT NULL DEFAULT FALSE;
  CREATE INDEX jobs_expiring ON jobs(expires_at)
    WHERE state = 'done' AND media_deleted_at IS NULL AND NOT expiring_notified AND webhook_url IS NOT NULL;
  ALTER TABLE api_keys ADD COLUMN webhook_url TEXT;
  ALTER TABLE accounts ADD COLUMN webhook_secret TEXT;
  CREATE TABLE idempotency_keys (
    account_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, state TEXT NOT NULL,
    status INTEGER, response TEXT, media_key TEXT, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, key));
  CREATE INDEX idempotency_expiry ON idempotency_keys(expires_at);
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY, seq BIGSERIAL NOT NULL, account_id TEXT NOT NULL, job_id TEXT NOT NULL, url TEXT NOT NULL,
    event TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL, last_status INTEGER, last_error TEXT, created_at BIGINT NOT NULL, delivered_at BIGINT);
  CREATE INDEX webhook_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
  CREATE INDEX webhook_job ON webhook_deliveries(job_id);
  `,
  `
  CREATE TABLE wallet_payments (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id), wallet_address TEXT NOT NULL,
    network TEXT NOT NULL, asset TEXT NOT NULL, nonce TEXT NOT NULL, amount BIGINT NOT NULL CHECK (amount > 0),
    authorization_json TEXT NOT NULL, signature TEXT NOT NULL, state TEXT NOT NULL, tx_hash TEXT,
    created_at BIGINT NOT NULL, credited_at BIGINT);
  CREATE INDEX wallet_payments_created ON wallet_payments(created_at);
  `,
  `
  ALTER TABLE jobs ADD COLUMN upstream_instance TEXT, ADD COLUMN upstream_key TEXT, ADD COLUMN upstream_request_id TEXT,
    ADD COLUMN upstream_latency_ms BIGINT, ADD COLUMN upstream_cost BIGINT CHECK (upstream_cost >= 0);
  CREATE INDEX jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL;
  `,
  POSTGRES_MONEY_MIGRATION,
  // 6: the job history (`GET /audio/jobs`) reads an account's jobs newest first.
  'CREATE INDEX jobs_account_history ON jobs(account_id, created_at DESC, id DESC);',
];
