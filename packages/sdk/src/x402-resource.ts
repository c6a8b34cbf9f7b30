import type { RequestOptions, Transport } from './transport.js';
import type { WalletSigner } from './wallet-sign-in.js';

/** `GET /x402/balance/{walletAddress}`. */
export interface WalletBalance {
  readonly success: true;
  readonly data: {
    readonly walletAddress: string;
    readonly balanceUsd: number;
    readonly canConsume: boolean;
    readonly minimumTopUpUsd: number;
    readonly suggestedTopUpUsd: number;
    readonly diemBalanceUsd: number;
  };
}

/** A successful `POST /x402/top-up`. */
export interface WalletTopUp {
  readonly success: true;
  readonly data: {
    readonly walletAddress: string;
    readonly amountCredited: number;
    readonly newBalance: number;
    readonly paymentId: string;
  };
}

/**
 * x402 wallet routes. Payment options come back as an `InsufficientBalanceError` (402) whose
 * `body` holds `accepts` (and the `PAYMENT-REQUIRED` header); signing the EIP-3009 payment is
 * the wallet's job (x402 client libraries do it), and `topUp` sends it.
 */
export class X402Resource {
  constructor(
    private readonly transport: Transport,
    private readonly wallet: WalletSigner | undefined,
  ) {}

  /** The signed-in wallet's balance (the client needs the `wallet` option). */
  balance(options?: RequestOptions): Promise<WalletBalance> {
    if (!this.wallet) throw new TypeError('x402.balance needs a client created with the wallet option');
    return this.transport.json({ method: 'GET', path: `/x402/balance/${this.wallet.address}`, retry: true, options });
  }

  /**
   * Credit a payment: `paymentSignature` is the base64 x402 `PaymentPayload` (`PAYMENT-SIGNATURE`).
   * Without one the server answers 402 with the payment options (thrown as an error).
   * Never retried: a payment is credited once.
   */
  topUp(paymentSignature?: string, options?: RequestOptions): Promise<WalletTopUp> {
    return this.transport.json({
      method: 'POST',
      path: '/x402/top-up',
      retry: false,
      ...(paymentSignature ? { headers: { 'payment-signature': paymentSignature } } : {}),
      options,
    });
  }
}
