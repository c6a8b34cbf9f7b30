/*
 * The money rule — reserve a price as a hold, then capture or release it exactly once — is
 * written twice on purpose: here in TypeScript for SQLite (run inside the store's synchronous
 * transactions), and in PL/pgSQL for PostgreSQL (`../postgres/postgres-functions.ts`), where it
 * runs in the database in one round trip. The shared conformance suite
 * (`test/store/store-conformance*.ts`, run against both adapters) is what keeps the two in agreement:
 * a change to one is a change to both, with a conformance test that shows it.
 */
import { timeOrderedId } from '../time-ordered-id.js';
import type Database from 'better-sqlite3';
import { type Currency, type CurrencyAmounts, epochOf, SPENDING_ORDER } from '../../domain/currency.js';
import type { ReserveOutcome } from '../../ports/store/store-records.js';
import { balanceLimitError, MAX_BALANCE_MICROS, type Micros } from '../../domain/money.js';
import { statement } from './sqlite-statements.js';

type Db = Database.Database;

/** Make sure the account's DIEM line for this epoch exists, granting the daily allocation once. */
export function ensureDiemEpoch(db: Db, accountId: string, now: number): void {
  const epoch = epochOf('diem', now);
  const account = statement(db, 'SELECT diem_daily FROM accounts WHERE id = ?').get(accountId) as { diem_daily: number } | undefined;
  if (!account) return;
  const inserted = statement(db, `INSERT OR IGNORE INTO balances VALUES (?, 'diem', ?, ?, 0, 0, ?)`).run(
    accountId,
    epoch,
    account.diem_daily,
    account.diem_daily,
  );
  if (inserted.changes === 1 && account.diem_daily > 0)
    appendEntry(db, accountId, 'diem', epoch, 'grant', account.diem_daily, null, 'daily allocation', now);
}

export function appendEntry(
  db: Db,
  accountId: string,
  currency: Currency,
  epoch: string,
  kind: string,
  amount: number,
  holdId: string | null,
  note: string | null,
  now: number,
): void {
  statement(
    db,
    'INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, hold_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(accountId, currency, epoch, kind, amount, holdId, note, now);
}

/**
 * Grant USD: the line is created on first use. A grant that would take the line past
 * MAX_BALANCE_MICROS changes no row and throws (the caller's transaction then rolls back).
 */
export function grantUsd(db: Db, accountId: string, amount: Micros, note: string, now: number): void {
  const granted = statement(
    db,
    `INSERT INTO balances VALUES (?, 'usd', '', ?, 0, 0, ?)
     ON CONFLICT (account_id, currency, epoch) DO UPDATE SET available = available + excluded.available,
       granted = granted + excluded.granted WHERE granted + excluded.granted <= ${MAX_BALANCE_MICROS}`,
  ).run(accountId, amount, amount);
  if (granted.changes !== 1) throw balanceLimitError();
  appendEntry(db, accountId, 'usd', '', 'grant', amount, null, note, now);
}

/**
 * Move `price` from available to held in the first currency that covers it whole (DIEM, then
 * USD), within the key's per-epoch limit. Must run inside a transaction. Writes nothing on refusal.
 */
export function reserveHold(
  db: Db,
  accountId: string,
  keyId: string,
  price: CurrencyAmounts,
  jobId: string | null,
  now: number,
): ReserveOutcome<{ holdId: string; currency: Currency; amount: Micros }> {
  ensureDiemEpoch(db, accountId, now);
  const key = statement(db, 'SELECT limit_usd, limit_diem FROM api_keys WHERE id = ?').get(keyId) as
    | { limit_usd: number | null; limit_diem: number | null }
    | undefined;
  let limited = false;
  for (const currency of SPENDING_ORDER) {
    const amount = price[currency];
    const epoch = epochOf(currency, now);
    const limit = currency === 'usd' ? key?.limit_usd : key?.limit_diem;
    if (limit !== null && limit !== undefined) {
      const usage = statement(db, 'SELECT used FROM key_usage WHERE key_id = ? AND currency = ? AND epoch = ?').get(
        keyId,
        currency,
        epoch,
      ) as { used: number } | undefined;
      if ((usage?.used ?? 0) + amount > limit) {
        limited = true;
        continue;
      }
    }
    const moved = statement(
      db,
      'UPDATE balances SET available = available - @amount, held = held + @amount WHERE account_id = @accountId AND currency = @currency AND epoch = @epoch AND available >= @amount',
    ).run({ amount, accountId, currency, epoch });
    if (moved.changes !== 1) continue;
    statement(
      db,
      `INSERT INTO key_usage VALUES (?, ?, ?, ?) ON CONFLICT (key_id, currency, epoch) DO UPDATE SET used = used + excluded.used`,
    ).run(keyId, currency, epoch, amount);
    const holdId = timeOrderedId();
    statement(db, `INSERT INTO holds VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, NULL)`).run(
      holdId,
      accountId,
      keyId,
      currency,
      epoch,
      amount,
      jobId,
      now,
    );
    appendEntry(db, accountId, currency, epoch, 'hold', amount, holdId, null, now);
    return { ok: true, value: { holdId, currency, amount } };
  }
  return { ok: false, reason: limited ? 'consumption_limit' : 'insufficient_balance' };
}

/** Settle an open hold exactly once: capture it whole or release it back. Inside a transaction. */
export function settleHoldRow(db: Db, holdId: string, outcome: 'capture' | 'release', now: number): boolean {
  const state = outcome === 'capture' ? 'captured' : 'released';
  const changed = statement(db, `UPDATE holds SET state = ?, settled_at = ? WHERE id = ? AND state = 'open'`).run(state, now, holdId);
  if (changed.changes !== 1) return false;
  const hold = statement(db, 'SELECT * FROM holds WHERE id = ?').get(holdId) as {
    account_id: string;
    key_id: string;
    currency: Currency;
    epoch: string;
    amount: number;
  };
  const balance =
    outcome === 'capture'
      ? 'UPDATE balances SET held = held - @amount, captured = captured + @amount WHERE account_id = @account AND currency = @currency AND epoch = @epoch'
      : 'UPDATE balances SET held = held - @amount, available = available + @amount WHERE account_id = @account AND currency = @currency AND epoch = @epoch';
  statement(db, balance).run({ amount: hold.amount, account: hold.account_id, currency: hold.currency, epoch: hold.epoch });
  if (outcome === 'release')
    statement(db, 'UPDATE key_usage SET used = used - ? WHERE key_id = ? AND currency = ? AND epoch = ?').run(
      hold.amount,
      hold.key_id,
      hold.currency,
      hold.epoch,
    );
  appendEntry(db, hold.account_id, hold.currency, hold.epoch, outcome, hold.amount, holdId, null, now);
  return true;
}
