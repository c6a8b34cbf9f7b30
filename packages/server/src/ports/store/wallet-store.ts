import type { AccountRecord, KeyRecord } from './store-records.js';
import type { NewWallet, NewWalletPayment, WalletPaymentRecord, WalletPaymentState } from './wallet-records.js';

/**
 * x402 wallets: their accounts and the top-up payments credited to them.
 * Part of the persistence port (`store.ts`): each method is one atomic operation, run by the
 * adapter in one transaction. Times are milliseconds since the epoch, passed in.
 */
export interface WalletStore {
  /**
   * The account and pseudo key of an x402 wallet, created on first use with no credit. Idempotent
   * and safe when several requests of one wallet race: all get the same account and key.
   */
  ensureWallet(wallet: NewWallet, now: number): Promise<{ key: KeyRecord; account: AccountRecord }>;
  /**
   * Record a top-up payment as `pending`, which spends its id (nonce) for good. Answers `new` when
   * recorded by this call, otherwise the state an earlier call left (`pending` or `credited`).
   */
  beginWalletPayment(payment: NewWalletPayment, now: number): Promise<'new' | WalletPaymentState>;
  /**
   * Credit a pending payment's amount to its account and mark it `credited` (with the settlement
   * transaction, if any), in one transaction. False, and nothing changes, when it is not pending.
   */
  creditWalletPayment(paymentId: string, transaction: string | null, now: number): Promise<boolean>;
  /** Forget a still-pending payment whose settlement was refused, so its nonce may be paid again. */
  abandonWalletPayment(paymentId: string): Promise<void>;
  /** Recorded top-up payments, newest first (the operator collects the signed authorizations). */
  listWalletPayments(limit: number): Promise<WalletPaymentRecord[]>;
}
