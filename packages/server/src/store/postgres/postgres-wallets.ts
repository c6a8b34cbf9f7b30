import type pg from 'pg';
import type { NewWallet, NewWalletPayment, WalletPaymentRecord, WalletPaymentState } from '../../ports/store/wallet-records.js';
import { KEY_COLUMNS, keyValues } from '../sql-rows.js';
import { pendingPaymentValues, toWalletPayment, WALLET_PAYMENT_COLUMNS, walletKey } from '../wallet-rows.js';
import { inTransaction, whole } from './postgres-database.js';
import { grantUsd } from './postgres-ledger.js';

/** Create a wallet's account and pseudo key unless they exist (one transaction, race-safe). */
export async function ensureWalletRows(pool: pg.Pool, wallet: NewWallet, now: number): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(
      'INSERT INTO accounts (id, name, pro, diem_daily, created_at) VALUES ($1, $2, FALSE, 0, $3) ON CONFLICT (id) DO NOTHING',
      [wallet.accountId, wallet.address, whole(now)],
    );
    await client.query(
      `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
      keyValues(walletKey(wallet), whole(now)),
    );
  });
}

/** Record a payment as pending unless its id is known; the state it had, or `new`. */
export async function beginPayment(pool: pg.Pool, payment: NewWalletPayment, now: number): Promise<'new' | WalletPaymentState> {
  const inserted = await pool.query(
    `INSERT INTO wallet_payments (${WALLET_PAYMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (id) DO NOTHING`,
    pendingPaymentValues(payment, whole(now)),
  );
  if (inserted.rowCount === 1) return 'new';
  const row = (await pool.query('SELECT state FROM wallet_payments WHERE id = $1', [payment.id])).rows[0];
  // Abandoned between the insert and this read: the id is free again, so try once more.
  return row ? (row.state as WalletPaymentState) : beginPayment(pool, payment, now);
}

/** Pending → credited and the grant, in one transaction; false when not pending. */
export async function creditPayment(pool: pg.Pool, paymentId: string, transaction: string | null, now: number): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const updated = await client.query(
      `UPDATE wallet_payments SET state = 'credited', tx_hash = $2, credited_at = $3 WHERE id = $1 AND state = 'pending'
       RETURNING account_id, amount`,
      [paymentId, transaction, whole(now)],
    );
    const row = updated.rows[0];
    if (!row) return false;
    await grantUsd(client, row.account_id, Number(row.amount), `x402 top-up ${paymentId}`, whole(now));
    return true;
  });
}

export async function abandonPayment(pool: pg.Pool, paymentId: string): Promise<void> {
  await pool.query(`DELETE FROM wallet_payments WHERE id = $1 AND state = 'pending'`, [paymentId]);
}

export async function listPayments(pool: pg.Pool, limit: number): Promise<WalletPaymentRecord[]> {
  const result = await pool.query('SELECT * FROM wallet_payments ORDER BY created_at DESC, id LIMIT $1', [limit]);
  return result.rows.map(toWalletPayment);
}
