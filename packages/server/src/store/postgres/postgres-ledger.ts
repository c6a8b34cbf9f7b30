import { randomUUID } from 'node:crypto';
import { type Currency, type CurrencyAmounts, epochOf, SPENDING_ORDER } from '../../domain/currency.js';
import type { BalanceLine, ReserveOutcome } from '../../ports/store.js';
import type { Queryable } from './postgres-database.js';

/*
 * Lock order, everywhere: job row → hold row → balance row → key_usage row. Keeping one order
 * means two transactions never wait on each other in a circle.
 */

/**
 * Create the account's DIEM line for this epoch with its daily allocation, once, and read the
 * key's limits: one round trip on the enqueue's hot path.
 */
async function ensureDiemEpochAndReadKey(db: Queryable, accountId: string, keyId: string, now: number) {
  const result = await db.query(
    `WITH line AS (
       INSERT INTO balances SELECT id, 'diem', $2, diem_daily, 0, 0, diem_daily FROM accounts WHERE id = $1
       ON CONFLICT DO NOTHING RETURNING account_id, granted),
     entry AS (
       INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, note, created_at)
       SELECT account_id, 'diem', $2, 'grant', granted, 'daily allocation', $3 FROM line WHERE granted > 0)
     SELECT limit_usd, limit_diem FROM api_keys WHERE id = $4`,
    [accountId, epochOf('diem', now), now, keyId],
  );
  return result.rows[0] as { limit_usd: string | null; limit_diem: string | null } | undefined;
}

/** Grant USD: the line is created on first use. */
export async function grantUsd(db: Queryable, accountId: string, amount: number, note: string, now: number): Promise<void> {
  await db.query(
    `INSERT INTO balances VALUES ($1, 'usd', '', $2, 0, 0, $2)
     ON CONFLICT (account_id, currency, epoch) DO UPDATE SET available = balances.available + excluded.available,
       granted = balances.granted + excluded.granted`,
    [accountId, amount],
  );
  await db.query(
    `INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, note, created_at) VALUES ($1, 'usd', '', 'grant', $2, $3, $4)`,
    [accountId, amount, note, now],
  );
}

/** Move the amount to held only if available covers it; then count the key's usage, open the hold, log it. */
const RESERVE = `
  WITH moved AS (
    UPDATE balances SET available = available - $4, held = held + $4
    WHERE account_id = $1 AND currency = $3 AND epoch = $5 AND available >= $4 RETURNING account_id),
  usage AS (
    INSERT INTO key_usage SELECT $2, $3, $5, $4 FROM moved
    ON CONFLICT (key_id, currency, epoch) DO UPDATE SET used = key_usage.used + excluded.used RETURNING 1),
  hold AS (
    INSERT INTO holds SELECT $6, $1, $2, $3, $5, $4, $7, 'open', $8, NULL FROM usage RETURNING id)
  INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, hold_id, created_at)
  SELECT $1, $3, $5, 'hold', $4, id, $8 FROM hold RETURNING 1`;

/**
 * Move `price` from available to held in the first currency that covers it whole (DIEM, then
 * USD), within the key's per-epoch limit. Runs inside the caller's transaction; writes nothing
 * but the epoch's DIEM line on refusal. The conditional UPDATE needs no lock of its own; a key
 * with a limit first locks the balance line, which serialises every reserve of that key.
 */
export async function reserveHold(
  db: Queryable,
  accountId: string,
  keyId: string,
  price: CurrencyAmounts,
  jobId: string | null,
  now: number,
): Promise<ReserveOutcome<{ holdId: string; currency: Currency; amount: number }>> {
  const key = await ensureDiemEpochAndReadKey(db, accountId, keyId, now);
  let limited = false;
  for (const currency of SPENDING_ORDER) {
    const amount = price[currency];
    const epoch = epochOf(currency, now);
    const limit = currency === 'usd' ? key?.limit_usd : key?.limit_diem;
    if (limit !== null && limit !== undefined) {
      await db.query('SELECT 1 FROM balances WHERE account_id = $1 AND currency = $2 AND epoch = $3 FOR UPDATE', [
        accountId,
        currency,
        epoch,
      ]);
      const usage = await db.query('SELECT used FROM key_usage WHERE key_id = $1 AND currency = $2 AND epoch = $3', [
        keyId,
        currency,
        epoch,
      ]);
      if (Number(usage.rows[0]?.used ?? 0) + amount > Number(limit)) {
        limited = true;
        continue;
      }
    }
    const holdId = randomUUID();
    const moved = await db.query(RESERVE, [accountId, keyId, currency, amount, epoch, holdId, jobId, now]);
    if (moved.rowCount !== 1) continue;
    return { ok: true, value: { holdId, currency, amount } };
  }
  return { ok: false, reason: limited ? 'consumption_limit' : 'insufficient_balance' };
}

/** Settle an open hold exactly once: capture it whole or release it back. Inside a transaction. */
export async function settleHoldRow(db: Queryable, holdId: string, outcome: 'capture' | 'release', now: number): Promise<boolean> {
  const state = outcome === 'capture' ? 'captured' : 'released';
  const changed = await db.query(
    `UPDATE holds SET state = $1, settled_at = $2 WHERE id = $3 AND state = 'open' RETURNING account_id, key_id, currency, epoch, amount`,
    [state, now, holdId],
  );
  const hold = changed.rows[0] as { account_id: string; key_id: string; currency: Currency; epoch: string; amount: string } | undefined;
  if (!hold) return false;
  const target = outcome === 'capture' ? 'captured' : 'available';
  await db.query(
    `WITH line AS (
       UPDATE balances SET held = held - $1, ${target} = ${target} + $1 WHERE account_id = $2 AND currency = $3 AND epoch = $4)
     INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, hold_id, created_at) VALUES ($2, $3, $4, $5, $1, $6, $7)`,
    [hold.amount, hold.account_id, hold.currency, hold.epoch, outcome, holdId, now],
  );
  if (outcome === 'release')
    await db.query('UPDATE key_usage SET used = used - $1 WHERE key_id = $2 AND currency = $3 AND epoch = $4', [
      hold.amount,
      hold.key_id,
      hold.currency,
      hold.epoch,
    ]);
  return true;
}

/** One balance line, zero when it does not exist yet. */
export async function readLine(db: Queryable, accountId: string, currency: Currency, epoch: string): Promise<BalanceLine> {
  const row = (
    await db.query('SELECT available, held, captured, granted FROM balances WHERE account_id = $1 AND currency = $2 AND epoch = $3', [
      accountId,
      currency,
      epoch,
    ])
  ).rows[0] as Record<keyof BalanceLine, string> | undefined;
  if (!row) return { available: 0, held: 0, captured: 0, granted: 0 };
  return { available: Number(row.available), held: Number(row.held), captured: Number(row.captured), granted: Number(row.granted) };
}
