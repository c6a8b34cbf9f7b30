import type { CheckedPayment, PaymentRequirements } from '../domain/x402-payment.js';
import {
  type FacilitatorSettlement,
  FacilitatorUnavailableError,
  type FacilitatorVerdict,
  type PaymentFacilitator,
} from '../ports/payment-facilitator.js';

/**
 * A remote x402 facilitator (`OVERTURE_X402_FACILITATOR_URL`): `POST /verify` then `POST /settle`
 * with `{x402Version, paymentPayload, paymentRequirements}`, as the x402 v2 specification lays
 * out. The facilitator checks the signature, the payer's balance and the nonce on chain, and
 * submits `transferWithAuthorization`.
 */
export class HttpPaymentFacilitator implements PaymentFacilitator {
  readonly name = 'http' as const;
  readonly settlesOnChain = true;
  private readonly base: string;

  constructor(
    url: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  private async post(path: string, payment: CheckedPayment, requirements: PaymentRequirements): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ x402Version: 2, paymentPayload: payment.payload, paymentRequirements: requirements }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new FacilitatorUnavailableError(`facilitator ${path} failed: ${(error as Error).message}`);
    }
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object')
      throw new FacilitatorUnavailableError(`facilitator ${path} answered ${response.status} without JSON`);
    // Facilitators answer refusals with 200 or 400 and a reason; anything else is an outage.
    if (response.status >= 500) throw new FacilitatorUnavailableError(`facilitator ${path} answered ${response.status}`);
    return body;
  }

  async verify(payment: CheckedPayment, requirements: PaymentRequirements): Promise<FacilitatorVerdict> {
    const body = await this.post('/verify', payment, requirements);
    if (body.isValid === true) return { ok: true };
    return { ok: false, reason: typeof body.invalidReason === 'string' ? body.invalidReason : 'invalid_payload' };
  }

  async settle(payment: CheckedPayment, requirements: PaymentRequirements): Promise<FacilitatorSettlement> {
    const body = await this.post('/settle', payment, requirements);
    if (body.success === true && typeof body.transaction === 'string')
      return { ok: true, transaction: body.transaction, network: typeof body.network === 'string' ? body.network : requirements.network };
    return { ok: false, reason: typeof body.errorReason === 'string' ? body.errorReason : 'unexpected_settle_error' };
  }
}
