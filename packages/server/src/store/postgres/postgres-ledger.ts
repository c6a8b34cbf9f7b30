import type pg from 'pg';
import { type Currency, type CurrencyAmounts, epochOf, SPENDING_ORDER } from '../../domain/currency.js';
import type { BalanceLine, ReserveOutcome } from '../../ports/store/store-records.js';
import { balanceLimitError, MAX_BALANCE_MICROS, type Micros } from '../../domain/money.js';
import { EMPTY_BALANCE_LINE, toBalanceLine } from '../sql-rows.js';
import { type Queryable, queryRetrying } from './postgres-database.js';

/*
 * Lock order, everywhere: job row → hold row → balance row → key_usage row. Keeping one order
 * means two transactions never wait on each other in a circle.
 */

/**
 * Grant USD: the line is created on first use. A grant that would take the line past
 * MAX_BALANCE_MICROS changes no row and throws (the caller's transaction then rolls back); the
 * condition is checked on the locked row, so concurrent grants cannot pass it together.
 */
export async function grantUsd(db: Queryable, accountId: string, amount: Micros, note: string, now: number): Promise<void> {
  const granted = await db.query(
    `INSERT INTO balances VALUES ($1, 'usd', '', $2, 0, 0, $2)
     ON CONFLICT (account_id, currency, epoch) DO UPDATE SET available = balances.available + excluded.available,
       granted = balances.granted + excluded.granted WHERE balances.granted + excluded.granted <= ${MAX_BALANCE_MICROS}`,
    [accountId, amount],
  );
  if (granted.rowCount !== 1) throw balanceLimitError();
  await db.query(
    `INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, note, created_at) VALUES ($1, 'usd', '', 'grant', $2, $3, $4)`,
    [accountId, amount, note, now],
  );
}

/**
 * The spending order as `overture_reserve` and `overture_enqueue` take it (see
 * postgres-functions.ts): the DIEM epoch whose line to create, then per currency, in order, its
 * epoch and the price in it.
 */
export function reserveArguments(price: CurrencyAmounts, now: number): [string, Currency[], string[], number[]] {
  return [
    epochOf('diem', now),
    [...SPENDING_ORDER],
    SPENDING_ORDER.map((currency) => epochOf(currency, now)),
    SPENDING_ORDER.map((currency) => price[currency]),
  ];
}

/**
 * Move `price` from available to held in the first currency that covers it whole (DIEM, then
 * USD), within the key's per-epoch limit: one call of `overture_reserve`, its own transaction.
 * Writes nothing but the epoch's DIEM line on refusal.
 */
export async function reserveHold(
  pool: pg.Pool,
  accountId: string,
  keyId: string,
  price: CurrencyAmounts,
  now: number,
): Promise<ReserveOutcome<{ holdId: string; currency: Currency }>> {
  const result = await queryRetrying(pool, {
    name: 'overture_reserve',
    text: 'SELECT * FROM overture_reserve($1::TEXT, $2::TEXT, NULL::TEXT, $3::BIGINT, $4::TEXT, $5::TEXT[], $6::TEXT[], $7::BIGINT[])',
    values: [accountId, keyId, now, ...reserveArguments(price, now)],
  });
  const row = result.rows[0] as { r_outcome: string; r_hold: string; r_currency: Currency };
  if (row.r_outcome === 'ok') return { ok: true, value: { holdId: row.r_hold, currency: row.r_currency } };
  return { ok: false, reason: row.r_outcome as 'consumption_limit' | 'insufficient_balance' };
}

/** Settle an open hold exactly once: capture it whole or release it back (`overture_settle`). Inside a transaction. */
export async function settleHoldRow(db: Queryable, holdId: string, outcome: 'capture' | 'release', now: number): Promise<boolean> {
  const result = await db.query('SELECT overture_settle($1::TEXT, $2::TEXT, $3::BIGINT) AS settled', [holdId, outcome, now]);
  return result.rows[0]?.settled === true;
}

/** One balance line, zero when it does not exist yet. */
export async function readLine(db: Queryable, accountId: string, currency: Currency, epoch: string): Promise<BalanceLine> {
  const row = (
    await db.query('SELECT available, held, captured, granted FROM balances WHERE account_id = $1 AND currency = $2 AND epoch = $3', [
      accountId,
      currency,
      epoch,
    ])
  ).rows[0] as Record<keyof BalanceLine, unknown> | undefined;
  return row ? toBalanceLine(row) : EMPTY_BALANCE_LINE;
}
