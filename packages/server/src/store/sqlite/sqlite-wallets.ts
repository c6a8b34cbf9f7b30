import type Database from 'better-sqlite3';
import type { NewWallet, NewWalletPayment, WalletPaymentRecord, WalletPaymentState } from '../../ports/store/wallet-records.js';
import { KEY_COLUMNS, keyValues } from '../sql-rows.js';
import { pendingPaymentValues, toWalletPayment, WALLET_PAYMENT_COLUMNS, walletKey } from '../wallet-rows.js';
import { grantUsd } from './sqlite-ledger.js';
import { statement } from './sqlite-statements.js';

type Db = Database.Database;

/** Create a wallet's account and pseudo key unless they exist (one transaction). */
export function ensureWalletRows(db: Db, wallet: NewWallet, now: number): void {
  db.transaction(() => {
    statement(db, 'INSERT OR IGNORE INTO accounts (id, name, pro, diem_daily, created_at) VALUES (?, ?, 0, 0, ?)').run(
      wallet.accountId,
      wallet.address,
      now,
    );
    statement(db, `INSERT OR IGNORE INTO api_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      ...keyValues(walletKey(wallet), now),
    );
  }).immediate();
}

/** Record a payment as pending unless its id is known; the state it had, or `new`. */
export function beginPayment(db: Db, payment: NewWalletPayment, now: number): 'new' | WalletPaymentState {
  return db
    .transaction((): 'new' | WalletPaymentState => {
      const inserted = statement(
        db,
        `INSERT OR IGNORE INTO wallet_payments (${WALLET_PAYMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(...pendingPaymentValues(payment, now));
      if (inserted.changes === 1) return 'new';
      return (statement(db, 'SELECT state FROM wallet_payments WHERE id = ?').get(payment.id) as { state: WalletPaymentState }).state;
    })
    .immediate();
}

/** Pending → credited and the grant, in one transaction; false when not pending. */
export function creditPayment(db: Db, paymentId: string, transaction: string | null, now: number): boolean {
  return db
    .transaction(() => {
      const row = statement(db, `SELECT account_id, amount FROM wallet_payments WHERE id = ? AND state = 'pending'`).get(paymentId) as
        | { account_id: string; amount: number }
        | undefined;
      if (!row) return false;
      statement(db, `UPDATE wallet_payments SET state = 'credited', tx_hash = ?, credited_at = ? WHERE id = ?`).run(
        transaction,
        now,
        paymentId,
      );
      grantUsd(db, row.account_id, row.amount, `x402 top-up ${paymentId}`, now);
      return true;
    })
    .immediate();
}

export function abandonPayment(db: Db, paymentId: string): void {
  statement(db, `DELETE FROM wallet_payments WHERE id = ? AND state = 'pending'`).run(paymentId);
}

export function listPayments(db: Db, limit: number): WalletPaymentRecord[] {
  const rows = statement(db, 'SELECT * FROM wallet_payments ORDER BY created_at DESC, id LIMIT ?').all(limit) as Record<string, unknown>[];
  return rows.map(toWalletPayment);
}
