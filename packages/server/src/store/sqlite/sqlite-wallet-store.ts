import type Database from 'better-sqlite3';
import type { AccountStore } from '../../ports/store/account-store.js';
import type { WalletStore } from '../../ports/store/wallet-store.js';
import type { NewWallet, NewWalletPayment, WalletPaymentState } from '../../ports/store/wallet-records.js';
import { KEY_COLUMNS, keyValues, microsColumn } from '../sql-rows.js';
import { pendingPaymentValues, toWalletPayment, WALLET_PAYMENT_COLUMNS, walletKey } from '../wallet-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { grantUsd } from './sqlite-ledger.js';
import { statement } from './sqlite-statements.js';

/** x402 wallets in SQLite: their accounts and pseudo keys, and their top-up payments. */
export class SqliteWalletStore implements WalletStore {
  private readonly db: Database.Database;

  /** `accounts` reads back the wallet's key and account once they exist. */
  constructor(
    context: SqliteContext,
    private readonly accounts: Pick<AccountStore, 'findKeyByHash'>,
  ) {
    this.db = context.db;
  }

  /** Create the wallet's account and pseudo key unless they exist (one transaction), then read them. */
  async ensureWallet(wallet: NewWallet, now: number) {
    this.db
      .transaction(() => {
        statement(this.db, 'INSERT OR IGNORE INTO accounts (id, name, pro, diem_daily, created_at) VALUES (?, ?, 0, 0, ?)').run(
          wallet.accountId,
          wallet.address,
          now,
        );
        statement(this.db, `INSERT OR IGNORE INTO api_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
          ...keyValues(walletKey(wallet), now),
        );
      })
      .immediate();
    const found = await this.accounts.findKeyByHash(wallet.keyHash);
    if (!found) throw new Error(`wallet account ${wallet.accountId} could not be created`);
    return found;
  }

  /** Record a payment as pending unless its id is known; the state it had, or `new`. */
  async beginWalletPayment(payment: NewWalletPayment, now: number) {
    return this.db
      .transaction((): 'new' | WalletPaymentState => {
        const inserted = statement(
          this.db,
          `INSERT OR IGNORE INTO wallet_payments (${WALLET_PAYMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(...pendingPaymentValues(payment, now));
        if (inserted.changes === 1) return 'new';
        return (statement(this.db, 'SELECT state FROM wallet_payments WHERE id = ?').get(payment.id) as { state: WalletPaymentState })
          .state;
      })
      .immediate();
  }

  /** Pending → credited and the grant, in one transaction; false when not pending. */
  async creditWalletPayment(paymentId: string, transaction: string | null, now: number) {
    return this.db
      .transaction(() => {
        const row = statement(this.db, `SELECT account_id, amount FROM wallet_payments WHERE id = ? AND state = 'pending'`).get(
          paymentId,
        ) as { account_id: string; amount: number } | undefined;
        if (!row) return false;
        statement(this.db, `UPDATE wallet_payments SET state = 'credited', tx_hash = ?, credited_at = ? WHERE id = ?`).run(
          transaction,
          now,
          paymentId,
        );
        grantUsd(this.db, row.account_id, microsColumn(row.amount), `x402 top-up ${paymentId}`, now);
        return true;
      })
      .immediate();
  }

  async abandonWalletPayment(paymentId: string) {
    statement(this.db, `DELETE FROM wallet_payments WHERE id = ? AND state = 'pending'`).run(paymentId);
  }

  async listWalletPayments(limit: number) {
    const rows = statement(this.db, 'SELECT * FROM wallet_payments ORDER BY created_at DESC, id LIMIT ?').all(limit) as Record<
      string,
      unknown
    >[];
    return rows.map(toWalletPayment);
  }
}
