import type pg from 'pg';

/*
 * Server-side functions for the hot paths, so an enqueue is one round trip instead of six. They
 * are not numbered migrations: every process replaces them (CREATE OR REPLACE) right after
 * migrating, under the migration lock, so the process that started last installed the bodies
 * everyone runs. A change that alters what a function means to its callers must change its
 * arguments (a new overload), so processes of the previous version keep theirs. Each
 * statement inside a PL/pgSQL function takes a fresh snapshot (READ COMMITTED), so "lock the
 * balance line, then read the key's usage" keeps its meaning. The lock order is the ledger's:
 * hold row → balance row → key_usage row.
 *
 * The reserve/capture rule is written twice on purpose: here in PL/pgSQL, so each hot operation
 * stays one round trip, and in TypeScript for SQLite (`store/sqlite/sqlite-ledger.ts`). The
 * shared conformance suite (`test/store/store-conformance*.ts`), run against both adapters, is
 * what keeps the two in agreement: change one, change the other and run it.
 */

/**
 * Reserve `p_amounts[i]` of `p_currencies[i]` (in spending order) as one open hold: the first
 * currency whose available balance covers it whole, within the key's per-epoch limit. Creates the
 * account's DIEM line for `p_diem_epoch` with its daily allocation first (kept on refusal).
 * `r_outcome`: 'ok', 'consumption_limit' or 'insufficient_balance'.
 */
const reserve = (schema: string) => `
CREATE OR REPLACE FUNCTION ${schema}.overture_reserve(
  p_account TEXT, p_key TEXT, p_job TEXT, p_now BIGINT, p_diem_epoch TEXT,
  p_currencies TEXT[], p_epochs TEXT[], p_amounts BIGINT[],
  OUT r_outcome TEXT, OUT r_hold TEXT, OUT r_currency TEXT, OUT r_amount BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
  v_limit_usd BIGINT;
  v_limit_diem BIGINT;
  v_limit BIGINT;
  v_used BIGINT;
  v_limited BOOLEAN := FALSE;
  v_hold TEXT;
BEGIN
  WITH line AS (
    INSERT INTO balances SELECT id, 'diem', p_diem_epoch, diem_daily, 0, 0, diem_daily FROM accounts WHERE id = p_account
    ON CONFLICT DO NOTHING RETURNING account_id, granted)
  INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, note, created_at)
  SELECT account_id, 'diem', p_diem_epoch, 'grant', granted, 'daily allocation', p_now FROM line WHERE granted > 0;
  SELECT limit_usd, limit_diem INTO v_limit_usd, v_limit_diem FROM api_keys WHERE id = p_key;
  FOR i IN 1 .. COALESCE(array_length(p_currencies, 1), 0) LOOP
    v_limit := CASE WHEN p_currencies[i] = 'usd' THEN v_limit_usd ELSE v_limit_diem END;
    IF v_limit IS NOT NULL THEN
      -- Serialise this key's reserves on the balance line, then read its usage afresh.
      PERFORM 1 FROM balances WHERE account_id = p_account AND currency = p_currencies[i] AND epoch = p_epochs[i] FOR UPDATE;
      SELECT used INTO v_used FROM key_usage WHERE key_id = p_key AND currency = p_currencies[i] AND epoch = p_epochs[i];
      IF COALESCE(v_used, 0) + p_amounts[i] > v_limit THEN
        v_limited := TRUE;
        CONTINUE;
      END IF;
    END IF;
    v_hold := gen_random_uuid()::TEXT;
    WITH moved AS (
      UPDATE balances SET available = available - p_amounts[i], held = held + p_amounts[i]
      WHERE account_id = p_account AND currency = p_currencies[i] AND epoch = p_epochs[i] AND available >= p_amounts[i]
      RETURNING account_id),
    usage AS (
      INSERT INTO key_usage SELECT p_key, p_currencies[i], p_epochs[i], p_amounts[i] FROM moved
      ON CONFLICT (key_id, currency, epoch) DO UPDATE SET used = key_usage.used + excluded.used RETURNING 1),
    hold AS (
      INSERT INTO holds (id, account_id, key_id, currency, epoch, amount, job_id, state, created_at, settled_at)
      SELECT v_hold, p_account, p_key, p_currencies[i], p_epochs[i], p_amounts[i], p_job, 'open', p_now, NULL FROM usage
      RETURNING id)
    INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, hold_id, created_at)
    SELECT p_account, p_currencies[i], p_epochs[i], 'hold', p_amounts[i], id, p_now FROM hold;
    IF FOUND THEN
      r_outcome := 'ok';
      r_hold := v_hold;
      r_currency := p_currencies[i];
      r_amount := p_amounts[i];
      RETURN;
    END IF;
  END LOOP;
  r_outcome := CASE WHEN v_limited THEN 'consumption_limit' ELSE 'insufficient_balance' END;
END $$`;

/**
 * The whole durable enqueue: claim the idempotency key (when given; a racer with the same key
 * waits for this commit), reserve, insert the job. `r_outcome`: 'queued' with `r_job`; 'replay'
 * when the key was already taken (the caller reads the earlier job); or the reserve's refusal,
 * after which the key is free again.
 */
const enqueue = (schema: string) => `
CREATE OR REPLACE FUNCTION ${schema}.overture_enqueue(
  p_id TEXT, p_account TEXT, p_key TEXT, p_model TEXT, p_engine TEXT, p_request JSONB, p_max_attempts INTEGER,
  p_now BIGINT, p_webhook_url TEXT, p_idempotency_key TEXT, p_request_hash TEXT, p_idempotency_response TEXT,
  p_idempotency_expires BIGINT,
  p_diem_epoch TEXT, p_currencies TEXT[], p_epochs TEXT[], p_amounts BIGINT[],
  OUT r_outcome TEXT, OUT r_job ${schema}.jobs)
LANGUAGE plpgsql AS $$
DECLARE
  v_hold RECORD;
BEGIN
  IF p_idempotency_key IS NOT NULL THEN
    INSERT INTO idempotency_keys (account_id, key, request_hash, state, status, response, media_key, created_at, expires_at)
    VALUES (p_account, p_idempotency_key, p_request_hash, 'done', 200, p_idempotency_response, NULL, p_now, p_idempotency_expires)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      r_outcome := 'replay';
      RETURN;
    END IF;
  END IF;
  SELECT * INTO v_hold FROM overture_reserve(p_account, p_key, p_id, p_now, p_diem_epoch, p_currencies, p_epochs, p_amounts);
  IF v_hold.r_outcome <> 'ok' THEN
    IF p_idempotency_key IS NOT NULL THEN
      DELETE FROM idempotency_keys WHERE account_id = p_account AND key = p_idempotency_key;
    END IF;
    r_outcome := v_hold.r_outcome;
    RETURN;
  END IF;
  INSERT INTO jobs (id, account_id, key_id, model_id, engine, request, state, attempt, max_attempts, run_after,
    created_at, hold_id, currency, price, webhook_url)
  VALUES (p_id, p_account, p_key, p_model, p_engine, p_request, 'queued', 0, p_max_attempts, p_now, p_now,
    v_hold.r_hold, v_hold.r_currency, v_hold.r_amount, p_webhook_url)
  RETURNING * INTO r_job;
  r_outcome := 'queued';
END $$`;

/**
 * Settle an open hold exactly once: 'capture' it whole or 'release' it back (giving the key its
 * usage back). False when it was settled already. Runs in the caller's transaction.
 */
const settle = (schema: string) => `
CREATE OR REPLACE FUNCTION ${schema}.overture_settle(p_hold TEXT, p_outcome TEXT, p_now BIGINT) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
  v_hold ${schema}.holds%ROWTYPE;
BEGIN
  UPDATE holds SET state = CASE WHEN p_outcome = 'capture' THEN 'captured' ELSE 'released' END, settled_at = p_now
  WHERE id = p_hold AND state = 'open' RETURNING * INTO v_hold;
  IF NOT FOUND THEN
    RETURN FALSE;
  END IF;
  IF p_outcome = 'capture' THEN
    UPDATE balances SET held = held - v_hold.amount, captured = captured + v_hold.amount
    WHERE account_id = v_hold.account_id AND currency = v_hold.currency AND epoch = v_hold.epoch;
  ELSE
    UPDATE balances SET held = held - v_hold.amount, available = available + v_hold.amount
    WHERE account_id = v_hold.account_id AND currency = v_hold.currency AND epoch = v_hold.epoch;
    UPDATE key_usage SET used = used - v_hold.amount
    WHERE key_id = v_hold.key_id AND currency = v_hold.currency AND epoch = v_hold.epoch;
  END IF;
  INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, hold_id, created_at)
  VALUES (v_hold.account_id, v_hold.currency, v_hold.epoch, p_outcome, v_hold.amount, p_hold, p_now);
  RETURN TRUE;
END $$`;

/**
 * Complete a running job without a webhook, fenced by its lease token, and capture its hold.
 * 'done', or 'other' having changed nothing: the lease is stale or the job has a webhook (whose
 * event the caller queues in the same transaction, on the slower path).
 */
const complete = (schema: string) => `
CREATE OR REPLACE FUNCTION ${schema}.overture_complete(
  p_job TEXT, p_token TEXT, p_now BIGINT, p_media_key TEXT, p_media_bytes BIGINT, p_duration DOUBLE PRECISION,
  p_inference_ms DOUBLE PRECISION, p_expires BIGINT, OUT r_outcome TEXT)
LANGUAGE plpgsql AS $$
DECLARE
  v_hold TEXT;
BEGIN
  UPDATE jobs SET state = 'done', finished_at = p_now, progress = 1, lease_token = NULL, lease_until = NULL,
    media_key = p_media_key, media_bytes = p_media_bytes, duration_seconds = p_duration, inference_ms = p_inference_ms,
    expires_at = p_expires
  WHERE id = p_job AND state = 'running' AND lease_token = p_token AND webhook_url IS NULL RETURNING hold_id INTO v_hold;
  IF NOT FOUND THEN
    r_outcome := 'other';
    RETURN;
  END IF;
  PERFORM overture_settle(v_hold, 'capture', p_now);
  r_outcome := 'done';
END $$`;

/**
 * Claim up to `p_limit` runnable jobs of an engine, oldest first, skipping rows other workers
 * hold, each with a fresh lease token. This transaction's commit does not wait for its WAL flush
 * (synchronous_commit off, for it alone; like the SQLite store's claims): a claim lost in a crash
 * only runs the job again, and the attempt that held it is fenced off by its token. Any later
 * synchronous commit, such as the job's settle, flushes it anyway.
 */
const claim = (schema: string) => `
CREATE OR REPLACE FUNCTION ${schema}.overture_claim(p_engine TEXT, p_now BIGINT, p_limit INTEGER, p_lease_until BIGINT)
RETURNS SETOF ${schema}.jobs
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('synchronous_commit', 'off', TRUE);
  RETURN QUERY
  WITH picked AS (
    SELECT id FROM jobs WHERE engine = p_engine AND state = 'queued' AND run_after <= p_now
    ORDER BY run_after, seq LIMIT p_limit FOR UPDATE SKIP LOCKED)
  UPDATE jobs SET state = 'running', attempt = attempt + 1, lease_token = gen_random_uuid()::TEXT, lease_until = p_lease_until,
    started_at = COALESCE(started_at, p_now), progress = 0, stage = NULL
  FROM picked WHERE jobs.id = picked.id RETURNING jobs.*;
END $$`;

/** Create or replace every function, in the caller's transaction (which holds the migration lock). */
export async function installPostgresFunctions(client: pg.PoolClient, schema: string): Promise<void> {
  await client.query(reserve(schema));
  await client.query(enqueue(schema));
  await client.query(settle(schema));
  await client.query(complete(schema));
  await client.query(claim(schema));
}
