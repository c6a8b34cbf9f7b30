import { type CheckedPayment, type PaymentOffer, paymentSignedByPayer } from '../domain/x402-payment.js';
import type { FacilitatorSettlement, FacilitatorVerdict, PaymentFacilitator } from '../ports/payment-facilitator.js';

/**
 * The default facilitator: checks the EIP-712 signature of the EIP-3009 authorization here, with
 * no chain access, and sends nothing on chain. The signed authorizations are recorded by the
 * store; the operator lists them (`GET /operator/v1/x402/payments`) and submits them to the token
 * contract (`transferWithAuthorization`) to collect the funds. Without a chain it cannot see the
 * payer's token balance, so an authorization the payer cannot cover is still credited.
 */
export class LocalPaymentFacilitator implements PaymentFacilitator {
  readonly name = 'local' as const;
  readonly settlesOnChain = false;

  constructor(private readonly offer: PaymentOffer) {}

  async verify(payment: CheckedPayment): Promise<FacilitatorVerdict> {
    return paymentSignedByPayer(payment, this.offer) ? { ok: true } : { ok: false, reason: 'invalid_exact_evm_payload_signature' };
  }

  async settle(payment: CheckedPayment): Promise<FacilitatorSettlement> {
    // Verified again: settle may be reached for a payment recorded pending before a crash.
    if (!paymentSignedByPayer(payment, this.offer)) return { ok: false, reason: 'invalid_exact_evm_payload_signature' };
    return { ok: true, transaction: '', network: this.offer.network };
  }
}
