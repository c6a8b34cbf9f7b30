import type { CheckedPayment, PaymentRequirements } from '../domain/x402-payment.js';

/** What a facilitator says of a payment: valid or not, with x402's reason code. */
export type FacilitatorVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** What settling did: the chain transaction (empty when nothing was sent on chain), or why not. */
export type FacilitatorSettlement =
  | { readonly ok: true; readonly transaction: string; readonly network: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The port that verifies and settles x402 payments (`exact` scheme: EIP-3009 authorizations).
 * The top-up service has already checked everything that needs no signature or chain (network,
 * token, recipient, amount bounds, time window) and records each payment's nonce in the store,
 * so a payment is credited at most once whichever adapter runs.
 */
export interface PaymentFacilitator {
  /** `local` (signature checked here, nothing sent on chain) or `http` (a remote x402 facilitator). */
  readonly name: 'local' | 'http';
  /**
   * Capability flag: true when `settle` moves the funds on chain; false when the operator must
   * collect the recorded signed authorizations and submit them.
   */
  readonly settlesOnChain: boolean;
  /** Is this payment, as signed, acceptable for these requirements? Never throws for a bad payment. */
  verify(payment: CheckedPayment, requirements: PaymentRequirements): Promise<FacilitatorVerdict>;
  /**
   * Settle a verified payment. Called after the payment's nonce is recorded as pending and may be
   * called again for the same payment (a retry after a crash); a refusal leaves nothing spent.
   */
  settle(payment: CheckedPayment, requirements: PaymentRequirements): Promise<FacilitatorSettlement>;
}

/** Thrown by a facilitator that cannot be reached or answers something that is not x402 (a 503). */
export class FacilitatorUnavailableError extends Error {
  override name = 'FacilitatorUnavailableError';
}
