import { createHash } from 'node:crypto';
import { ApiError } from '../domain/api-error.js';
import { verifySignIn } from '../domain/wallet-sign-in.js';
import {
  type CheckedPayment,
  checkPayment,
  encodeHeader,
  type PaymentOffer,
  paymentRequired,
  paymentRequiredBody,
  paymentRequirements,
} from '../domain/x402-payment.js';
import { addMicros, balanceLimitError, fromMicros, MAX_BALANCE_MICROS } from '../domain/money.js';
import { FacilitatorUnavailableError, type PaymentFacilitator } from '../ports/payment-facilitator.js';
import type { Store } from '../ports/store/store.js';
import type { NewWallet } from '../ports/store/wallet-records.js';
import type { Principal } from './principal.js';

export interface WalletServiceDependencies {
  readonly store: Pick<Store, 'wallets' | 'idempotency' | 'ledger'>;
  readonly facilitator: PaymentFacilitator;
  readonly offer: PaymentOffer;
  readonly signInMaxAgeMs: number;
  readonly now: () => number;
  /** Finds a wallet's pseudo key by its hash (the authentication hook's short cache). */
  readonly lookUpKey: (hash: string) => Promise<{ key: Principal['key']; account: Principal['account'] } | undefined>;
}

/** What a successful top-up answers (Venice's shape) and the x402 settlement header. */
export interface TopUpAnswer {
  readonly body: {
    success: true;
    data: { walletAddress: string; amountCredited: number; newBalance: number; paymentId: string };
  };
  readonly paymentResponse: string;
}

const SIGN_IN_SKEW_MS = 60_000;
/** Where sign-in nonces live in the idempotency table: never an account id (those are UUIDs or `x402:`). */
const NONCE_NAMESPACE = 'x402-nonce:';
const replayed = () => new ApiError('sign_in_invalid', { reason: 'this sign-in was already used; sign a new message for each request' });
const SIGN_IN_CACHE_LIMIT = 10_000;

/**
 * x402 wallet access: a wallet is an account (created on its first sign-in or top-up) whose
 * requests carry a signed `SIGN-IN-WITH-X` header instead of a key, and whose USD balance is
 * topped up by x402 payments, each credited exactly once.
 */
export class WalletService {
  /** Headers this process accepted, until they stop being valid: a second use is a replay, refused without a look at the store. */
  private readonly used = new Map<string, number>();

  constructor(private readonly deps: WalletServiceDependencies) {}

  get offer(): PaymentOffer {
    return this.deps.offer;
  }

  /** The deterministic account, key id and key hash of a wallet (from its lower-cased address). */
  identity(address: string): NewWallet {
    const lower = address.toLowerCase();
    return { address, accountId: `x402:${lower}`, keyId: `x402-key:${lower}`, keyHash: `x402:${lower}` };
  }

  /** The principal of a wallet, creating its account on first use. */
  async principalOf(address: string): Promise<Principal> {
    const identity = this.identity(address);
    const found = (await this.deps.lookUpKey(identity.keyHash)) ?? (await this.deps.store.wallets.ensureWallet(identity, this.deps.now()));
    return { ...found, wallet: address };
  }

  /**
   * Verify a `SIGN-IN-WITH-X` header sent to `host`; the wallet's principal, or a 401 saying why.
   * Each header signs in once: its nonce is remembered in the store (so across API processes)
   * until the message expires, and a replay of a captured header is refused.
   */
  async signIn(header: string, host: string): Promise<Principal> {
    const now = this.deps.now();
    if ((this.used.get(header) ?? 0) > now) throw replayed();
    const result = verifySignIn(header, {
      chainId: this.deps.offer.chainId,
      host,
      maxAgeMs: this.deps.signInMaxAgeMs,
      skewMs: SIGN_IN_SKEW_MS,
      now,
    });
    if (!result.ok) throw new ApiError('sign_in_invalid', { reason: result.reason });
    // The idempotency table keeps the nonce (no table of its own): one row per wallet and nonce,
    // swept by the reaper once the message has expired.
    const claim = { key: result.nonce, requestHash: createHash('sha256').update(header).digest('hex'), expiresAt: result.validUntil };
    const state = await this.deps.store.idempotency.claimIdempotencyKey(`${NONCE_NAMESPACE}${result.address.toLowerCase()}`, claim, now);
    if (this.used.size >= SIGN_IN_CACHE_LIMIT) this.used.clear();
    this.used.set(header, result.validUntil);
    if (state.state !== 'new') throw replayed();
    return this.principalOf(result.address);
  }

  /** x402's 402: the body with the options, and the `PAYMENT-REQUIRED` header. */
  paymentRequiredError(resourceUrl: string, message: string, extra: Record<string, unknown> = {}): ApiError {
    const offer = this.deps.offer;
    const required = paymentRequired(offer, resourceUrl, message, offer.minimumMicros);
    return new ApiError('payment_required', paymentRequiredBody(offer, required, message, extra), undefined, {
      'payment-required': encodeHeader(required),
    });
  }

  /** Top up a wallet with a `PAYMENT-SIGNATURE` payment; 402 with the options when it is absent or refused. */
  async topUp(header: string | undefined, resourceUrl: string): Promise<TopUpAnswer> {
    const refuse = (reason: string, detail: string) => this.paymentRequiredError(resourceUrl, detail, { reason });
    if (header === undefined || header.trim() === '') throw refuse('payment_required', 'PAYMENT-SIGNATURE header is required');
    const checked = checkPayment(header, this.deps.offer, this.deps.now());
    if (!checked.ok) throw refuse(checked.reason, checked.detail);
    const requirements = paymentRequirements(this.deps.offer, checked.amountMicros);
    const facilitator = this.deps.facilitator;
    const verdict = await this.unlessUnavailable(() => facilitator.verify(checked, requirements));
    if (!verdict.ok) throw refuse(verdict.reason, 'The payment was not accepted');
    const wallet = this.identity(checked.payer);
    await this.deps.store.wallets.ensureWallet(wallet, this.deps.now());
    // Refused before anything is recorded or settled: a settled payment the store cannot credit
    // (past the balance maximum) would be money taken and not given.
    const granted = (await this.deps.store.ledger.getBalance(wallet.accountId, this.deps.now())).usd.granted;
    if (addMicros(granted, checked.amountMicros) > MAX_BALANCE_MICROS)
      throw refuse('invalid_exact_evm_payload_authorization_value', balanceLimitError().rule);
    const state = await this.deps.store.wallets.beginWalletPayment(this.recordOf(checked, wallet), this.deps.now());
    if (state === 'credited') throw refuse('payment_already_used', 'This payment was already credited');
    const settlement = await this.unlessUnavailable(() => facilitator.settle(checked, requirements));
    if (!settlement.ok) {
      // A payment recorded before (a retry) may have been settled by the lost first attempt: it
      // stays pending for the operator to reconcile instead of being forgotten.
      if (state === 'new') await this.deps.store.wallets.abandonWalletPayment(checked.paymentId);
      throw refuse(state === 'new' ? settlement.reason : 'payment_pending_reconciliation', 'The payment could not be settled');
    }
    const credited = await this.deps.store.wallets.creditWalletPayment(checked.paymentId, settlement.transaction || null, this.deps.now());
    if (!credited) throw refuse('payment_already_used', 'This payment was already credited');
    const balance = await this.deps.store.ledger.getBalance(wallet.accountId, this.deps.now());
    return {
      body: {
        success: true,
        data: {
          walletAddress: checked.payer,
          amountCredited: fromMicros(checked.amountMicros),
          newBalance: fromMicros(balance.usd.available),
          paymentId: checked.paymentId,
        },
      },
      paymentResponse: encodeHeader({
        success: true,
        transaction: settlement.transaction,
        network: settlement.network,
        payer: checked.payer,
      }),
    };
  }

  private recordOf(payment: CheckedPayment, wallet: NewWallet) {
    return {
      id: payment.paymentId,
      accountId: wallet.accountId,
      walletAddress: payment.payer,
      network: this.deps.offer.network,
      asset: this.deps.offer.asset,
      nonce: payment.authorization.nonce.toLowerCase(),
      amount: payment.amountMicros,
      authorization: JSON.stringify(payment.authorization),
      signature: payment.signature,
    };
  }

  private async unlessUnavailable<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof FacilitatorUnavailableError) throw new ApiError('facilitator_unavailable');
      throw error;
    }
  }
}
