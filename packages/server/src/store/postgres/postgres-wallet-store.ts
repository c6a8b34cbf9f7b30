import type pg from 'pg';
import type { NewWallet, NewWalletPayment, WalletPaymentRecord, WalletPaymentState } from '../../ports/store/wallet-records.js';
import type { WalletStore } from '../../ports/store/wallet-store.js';
import { KEY_COLUMNS, keyValues, microsColumn } from '../sql-rows.js';
import { pendingPaymentValues, toWalletPayment, WALLET_PAYMENT_COLUMNS, walletKey } from '../wallet-rows.js';
import { selectLiveKey } from './postgres-account-store.js';
import type { PostgresContext } from './postgres-context.js';
import { inTransaction, whole } from './postgres-database.js';
import { grantUsd } from './postgres-ledger.js';

/** x402 wallets and their top-up payments, in PostgreSQL. */
export class PostgresWalletStore implements WalletStore {
  private readonly pool: pg.Pool;

  constructor(context: PostgresContext) {
    this.pool = context.pool;
  }

  /** Create the wallet's account and pseudo key unless they exist (one transaction, race-safe), then read them. */
  async ensureWallet(wallet: NewWallet, now: number) {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO accounts (id, name, pro, diem_daily, created_at) VALUES ($1, $2, FALSE, 0, $3) ON CONFLICT (id) DO NOTHING',
        [wallet.accountId, wallet.address, whole(now)],
      );
      await client.query(
        `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        keyValues(walletKey(wallet), whole(now)),
      );
    });
    const found = await selectLiveKey(this.pool, wallet.keyHash);
    if (!found) throw new Error(`wallet account ${wallet.accountId} could not be created`);
    return found;
  }

  async beginWalletPayment(payment: NewWalletPayment, now: number): Promise<'new' | WalletPaymentState> {
    const inserted = await this.pool.query(
      `INSERT INTO wallet_payments (${WALLET_PAYMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO NOTHING`,
      pendingPaymentValues(payment, whole(now)),
    );
    if (inserted.rowCount === 1) return 'new';
    const row = (await this.pool.query('SELECT state FROM wallet_payments WHERE id = $1', [payment.id])).rows[0];
    // Abandoned between the insert and this read: the id is free again, so try once more.
    return row ? (row.state as WalletPaymentState) : this.beginWalletPayment(payment, now);
  }

  /** Pending → credited and the grant, in one transaction; false when not pending. */
  async creditWalletPayment(paymentId: string, transaction: string | null, now: number): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const updated = await client.query(
        `UPDATE wallet_payments SET state = 'credited', tx_hash = $2, credited_at = $3 WHERE id = $1 AND state = 'pending'
         RETURNING account_id, amount`,
        [paymentId, transaction, whole(now)],
      );
      const row = updated.rows[0];
      if (!row) return false;
      await grantUsd(client, row.account_id, microsColumn(row.amount), `x402 top-up ${paymentId}`, whole(now));
      return true;
    });
  }

  async abandonWalletPayment(paymentId: string) {
    await this.pool.query(`DELETE FROM wallet_payments WHERE id = $1 AND state = 'pending'`, [paymentId]);
  }

  async listWalletPayments(limit: number): Promise<WalletPaymentRecord[]> {
    const result = await this.pool.query('SELECT * FROM wallet_payments ORDER BY created_at DESC, id LIMIT $1', [limit]);
    return result.rows.map(toWalletPayment);
  }
}
