import type { Micros } from '../../domain/money.js';

/** A wallet's account and the pseudo key its jobs and holds are recorded under. */
export interface NewWallet {
  /** Checksummed address (EIP-55). */
  readonly address: string;
  readonly accountId: string;
  readonly keyId: string;
  /** Stored in the key's hash column: never the SHA-256 hex of any bearer secret. */
  readonly keyHash: string;
}

/** A top-up payment as recorded: its id (network, token, payer, nonce) is used once, ever. */
export interface NewWalletPayment {
  readonly id: string;
  readonly accountId: string;
  readonly walletAddress: string;
  readonly network: string;
  readonly asset: string;
  readonly nonce: string;
  /** Micro-USD (= atomic USDC units). */
  readonly amount: Micros;
  /** The signed EIP-3009 authorization (JSON) and its signature: what an operator submits on chain. */
  readonly authorization: string;
  readonly signature: string;
}

/** `pending`: nonce recorded, not credited yet; `credited`: the balance was credited once. */
export type WalletPaymentState = 'pending' | 'credited';

export interface WalletPaymentRecord extends NewWalletPayment {
  readonly state: WalletPaymentState;
  /** The settlement transaction hash (http facilitator); null when nothing was sent on chain. */
  readonly transaction: string | null;
  readonly createdAt: number;
  readonly creditedAt: number | null;
}
