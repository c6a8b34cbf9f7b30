import type { NewKey } from '../ports/store/store-records.js';
import type { NewWallet, NewWalletPayment, WalletPaymentRecord } from '../ports/store/wallet-records.js';
import { microsColumn } from './sql-rows.js';

/** The pseudo key a wallet's jobs and holds are recorded under: no limits, never a bearer key. */
export function walletKey(wallet: NewWallet): NewKey {
  return {
    id: wallet.keyId,
    accountId: wallet.accountId,
    type: 'INFERENCE',
    description: `x402 wallet ${wallet.address}`,
    hash: wallet.keyHash,
    lastChars: wallet.address.slice(-4),
    expiresAt: null,
    limitUsd: null,
    limitDiem: null,
    webhookUrl: null,
  };
}

/** Column list of `wallet_payments` inserts, shared by the SQL adapters. */
export const WALLET_PAYMENT_COLUMNS =
  'id, account_id, wallet_address, network, asset, nonce, amount, authorization_json, signature, state, created_at';

/** A payment's values in `WALLET_PAYMENT_COLUMNS` order, recorded as pending. */
export function pendingPaymentValues(payment: NewWalletPayment, now: number): unknown[] {
  const { id, accountId, walletAddress, network, asset, nonce, amount, authorization, signature } = payment;
  return [id, accountId, walletAddress, network, asset, nonce, amount, authorization, signature, 'pending', now];
}

export function toWalletPayment(row: Record<string, unknown>): WalletPaymentRecord {
  return {
    id: row.id as string,
    accountId: row.account_id as string,
    walletAddress: row.wallet_address as string,
    network: row.network as string,
    asset: row.asset as string,
    nonce: row.nonce as string,
    amount: microsColumn(row.amount),
    authorization: row.authorization_json as string,
    signature: row.signature as string,
    state: row.state as WalletPaymentRecord['state'],
    transaction: (row.tx_hash as string | null) ?? null,
    createdAt: Number(row.created_at),
    creditedAt: row.credited_at === null || row.credited_at === undefined ? null : Number(row.credited_at),
  };
}
