import { SQLITE_MONEY_MIGRATION } from './sqlite-money-triggers.js';

/** Numbered migrations; each runs once, in order, inside a transaction. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, pro INTEGER NOT NULL, diem_daily INTEGER NOT NULL,
    created_at INTEGER NOT NULL);
  CREATE TABLE balances (
    account_id TEXT NOT NULL REFERENCES accounts(id), currency TEXT NOT NULL, epoch TEXT NOT NULL,
    available INTEGER NOT NULL CHECK (available >= 0), held INTEGER NOT NULL CHECK (held >= 0),
    captured INTEGER NOT NULL CHECK (captured >= 0), granted INTEGER NOT NULL,
    PRIMARY KEY (account_id, currency, epoch));
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id), type TEXT NOT NULL,
    description TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, last_chars TEXT NOT NULL,
    created_at INTEGER NOT NULL, expires_at INTEGER, limit_usd INTEGER, limit_diem INTEGER,
    deleted_at INTEGER);
  CREATE INDEX api_keys_account ON api_keys(account_id);
  CREATE TABLE key_usage (
    key_id TEXT NOT NULL, currency TEXT NOT NULL, epoch TEXT NOT NULL, used INTEGER NOT NULL,
    PRIMARY KEY (key_id, currency, epoch));
  CREATE TABLE holds (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, key_id TEXT NOT NULL, currency TEXT NOT NULL,
    epoch TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount >= 0), job_id TEXT,
    state TEXT NOT NULL, created_at INTEGER NOT NULL, settled_at INTEGER);
  CREATE INDEX holds_orphans ON holds(created_at) WHERE state = 'open' AND job_id IS NULL;
  CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, currency TEXT NOT NULL, epoch TEXT NOT NULL,
    kind TEXT NOT NULL, amount INTEGER NOT NULL, hold_id TEXT, note TEXT, created_at INTEGER NOT NULL);
  CREATE UNIQUE INDEX ledger_settle_once ON ledger_entries(hold_id, kind) WHERE hold_id IS NOT NULL;
  CREATE INDEX ledger_account ON ledger_entries(account_id);
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, key_id TEXT NOT NULL, model_id TEXT NOT NULL,
    engine TEXT NOT NULL, request TEXT NOT NULL, state TEXT NOT NULL, attempt INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL, run_after INTEGER NOT NULL, lease_token TEXT, lease_until INTEGER,
    created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,
    progress REAL NOT NULL DEFAULT 0, stage TEXT, hold_id TEXT NOT NULL, currency TEXT NOT NULL,
    price INTEGER NOT NULL, media_key TEXT, media_bytes INTEGER, duration_seconds REAL,
    inference_ms INTEGER, error_status INTEGER, error_body TEXT, media_deleted_at INTEGER,
    media_purged INTEGER NOT NULL DEFAULT 0, expires_at INTEGER);
  CREATE INDEX jobs_claim ON jobs(engine, run_after) WHERE state = 'queued';
  CREATE INDEX jobs_leases ON jobs(lease_until) WHERE state = 'running';
  CREATE INDEX jobs_retention ON jobs(expires_at) WHERE state = 'done' AND media_deleted_at IS NULL;
  CREATE INDEX jobs_purge ON jobs(media_deleted_at)
    WHERE media_deleted_at IS NOT NULL AND media_key IS NOT NULL AND media_purged = 0;
  CREATE INDEX jobs_model_done ON jobs(model_id, finished_at) WHERE state IN ('done', 'expired');
  `,
  `
  ALTER TABLE jobs ADD COLUMN webhook_url TEXT;
  ALTER TABLE jobs ADD COLUMN expiring_notified INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX jobs_expiring ON jobs(expires_at) WHERE state = 'done' AND media_deleted_at IS NULL AND expiring_notified = 0 AND webhook_url IS NOT NULL;
  ALTER TABLE api_keys ADD COLUMN webhook_url TEXT;
  ALTER TABLE accounts ADD COLUMN webhook_secret TEXT;
  CREATE TABLE idempotency_keys (
    account_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, state TEXT NOT NULL,
    status INTEGER, response TEXT, media_key TEXT, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, key));
  CREATE INDEX idempotency_expiry ON idempotency_keys(expires_at);
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, job_id TEXT NOT NULL, url TEXT NOT NULL, event TEXT NOT NULL,
    payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
    last_status INTEGER, last_error TEXT, created_at INTEGER NOT NULL, delivered_at INTEGER);
  CREATE INDEX webhook_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
  CREATE INDEX webhook_job ON webhook_deliveries(job_id);
  `,
  `
  CREATE TABLE wallet_payments (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id), wallet_address TEXT NOT NULL,
    network TEXT NOT NULL, asset TEXT NOT NULL, nonce TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount > 0),
    authorization_json TEXT NOT NULL, signature TEXT NOT NULL, state TEXT NOT NULL, tx_hash TEXT,
    created_at INTEGER NOT NULL, credited_at INTEGER);
  CREATE INDEX wallet_payments_created ON wallet_payments(created_at);
  `,
  `
  ALTER TABLE jobs ADD COLUMN upstream_instance TEXT;
  ALTER TABLE jobs ADD COLUMN upstream_key TEXT;
  ALTER TABLE jobs ADD COLUMN upstream_request_id TEXT;
  ALTER TABLE jobs ADD COLUMN upstream_latency_ms INTEGER;
  ALTER TABLE jobs ADD COLUMN upstream_cost INTEGER CHECK (upstream_cost >= 0);
  CREATE INDEX jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL;
  `,
  SQLITE_MONEY_MIGRATION,
  // 6: the job history (`GET /audio/jobs`) reads an account's jobs newest first.
  'CREATE INDEX jobs_account_history ON jobs(account_id, created_at DESC, id DESC);',
];
