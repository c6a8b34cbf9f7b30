import { checksumAddress, isAddress, recoverAddress } from './evm-signature.js';
import { fromMicros, type Micros, micros } from './money.js';
import { type TransferAuthorization, transferAuthorizationDigest } from './transfer-authorization.js';

/**
 * x402 (protocol version 2) payments for top-ups, pure: the payment options a 402 offers, the
 * `PAYMENT-SIGNATURE` payload a client sends back (`exact` scheme on EVM: an EIP-3009
 * `transferWithAuthorization` signed as EIP-712 typed data) and the checks it must pass.
 * USDC has 6 decimals, so one atomic unit is one micro-USD: amounts stay integers throughout.
 */

/** What the server accepts as payment (from the configuration). */
export interface PaymentOffer {
  /** CAIP-2 network, e.g. `eip155:8453` (Base). */
  readonly network: string;
  readonly chainId: number;
  /** The token contract (USDC) and its EIP-712 domain name and version. */
  readonly asset: string;
  readonly assetName: string;
  readonly assetVersion: string;
  /** Who is paid. */
  readonly payTo: string;
  /** Top-up bounds and the suggested amount, in micro-USD. */
  readonly minimumMicros: Micros;
  readonly maximumMicros: Micros;
  readonly suggestedMicros: Micros;
  /** How long a signed payment may take to arrive. */
  readonly maxTimeoutSeconds: number;
}

/** One x402 v2 `PaymentRequirements` object. */
export interface PaymentRequirements {
  readonly scheme: 'exact';
  readonly network: string;
  readonly amount: string;
  readonly asset: string;
  readonly payTo: string;
  readonly maxTimeoutSeconds: number;
  readonly extra: { readonly name: string; readonly version: string };
}

/** The x402 v2 `PaymentRequired` object (sent base64-encoded in `PAYMENT-REQUIRED`). */
export interface PaymentRequired {
  readonly x402Version: 2;
  readonly error: string;
  readonly resource: { readonly url: string; readonly description: string; readonly mimeType: string };
  readonly accepts: readonly PaymentRequirements[];
}

/** A payment that passed every check that needs no chain: who pays, how much, under which nonce. */
export interface CheckedPayment {
  readonly payer: string;
  readonly amountMicros: Micros;
  readonly authorization: TransferAuthorization;
  readonly signature: string;
  /** The decoded payload, forwarded unchanged to a facilitator. */
  readonly payload: Record<string, unknown>;
  /** Stable id of the payment: network, token, payer and EIP-3009 nonce. */
  readonly paymentId: string;
}

export type PaymentCheck =
  | ({ readonly ok: true } & CheckedPayment)
  | { readonly ok: false; readonly reason: string; readonly detail: string };

const NETWORK_ALIASES: Record<string, string> = { base: 'eip155:8453', 'base-sepolia': 'eip155:84532' };

/** The requirements for paying `amountMicros` under this offer. */
export function paymentRequirements(offer: PaymentOffer, amountMicros: Micros): PaymentRequirements {
  return {
    scheme: 'exact',
    network: offer.network,
    amount: String(amountMicros),
    asset: offer.asset,
    payTo: offer.payTo,
    maxTimeoutSeconds: offer.maxTimeoutSeconds,
    extra: { name: offer.assetName, version: offer.assetVersion },
  };
}

/** The `PaymentRequired` object for a resource. */
export function paymentRequired(offer: PaymentOffer, resourceUrl: string, error: string, amountMicros: Micros): PaymentRequired {
  return {
    x402Version: 2,
    error,
    resource: { url: resourceUrl, description: 'Prepaid USD balance for Overture audio generation', mimeType: 'application/json' },
    accepts: [paymentRequirements(offer, amountMicros)],
  };
}

/** The body of a wallet's 402: the x402 object plus Venice's balance and top-up fields. */
export function paymentRequiredBody(offer: PaymentOffer, required: PaymentRequired, message: string, extra: Record<string, unknown> = {}) {
  return {
    code: 'PAYMENT_REQUIRED',
    message,
    ...extra,
    x402Version: required.x402Version,
    resource: required.resource,
    accepts: required.accepts,
    minimumTopUpUsd: fromMicros(offer.minimumMicros),
    suggestedTopUpUsd: fromMicros(offer.suggestedMicros),
    supportedTokens: ['USDC'],
    supportedChains: [offer.network],
    topUpInstructions: {
      step1: 'POST /api/v1/x402/top-up with no payment header to get payment requirements',
      step2: 'Sign a USDC transferWithAuthorization (EIP-3009) for one of the accepted options',
      step3: 'POST /api/v1/x402/top-up again with the signed payment, base64-encoded, in the PAYMENT-SIGNATURE header',
      step4: 'Retry this request with a fresh SIGN-IN-WITH-X header',
    },
  };
}

/** Base64 JSON of a value, as the x402 headers carry it. */
export function encodeHeader(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

const refuse = (reason: string, detail: string): PaymentCheck => ({ ok: false, reason, detail });
const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
const object = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** A uint that fits a safe integer (decimal or `0x` hex); undefined otherwise. */
function safeUint(value: string | undefined): number | undefined {
  if (value === undefined || !/^(0[xX][0-9a-fA-F]{1,64}|\d{1,78})$/.test(value)) return undefined;
  const number = BigInt(value);
  return number <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(number) : undefined;
}

/**
 * Check a `PAYMENT-SIGNATURE` header against the offer at `now` (seconds precision): version,
 * scheme, network, token, recipient, amount bounds and time window. The signature and the
 * nonce's novelty are checked by the facilitator and the store. Reasons are x402's error codes.
 */
export function checkPayment(header: string, offer: PaymentOffer, now: number): PaymentCheck {
  let payload: Record<string, unknown> | undefined;
  try {
    payload = object(JSON.parse(Buffer.from(header.trim(), 'base64').toString('utf8')));
  } catch {
    payload = undefined;
  }
  if (!payload) return refuse('invalid_payload', 'The payment header is not base64-encoded JSON');
  if (payload.x402Version !== 2 && payload.x402Version !== 1) return refuse('invalid_x402_version', 'x402Version must be 2 (or 1)');
  const accepted = object(payload.accepted) ?? payload;
  const scheme = accepted.scheme;
  const network = text(accepted.network);
  if (scheme !== 'exact') return refuse('invalid_scheme', 'Only the exact scheme is accepted');
  if (!network || (NETWORK_ALIASES[network] ?? network) !== offer.network)
    return refuse('invalid_network', `The network must be ${offer.network}`);
  if (accepted.asset !== undefined && String(accepted.asset).toLowerCase() !== offer.asset.toLowerCase())
    return refuse('invalid_payment_requirements', `The asset must be ${offer.asset}`);
  const inner = object(payload.payload);
  const fields = object(inner?.authorization);
  const signature = text(inner?.signature);
  if (!fields || !signature) return refuse('invalid_payload', 'The payload needs an authorization and a signature');
  const authorization: TransferAuthorization = {
    from: text(fields.from) ?? '',
    to: text(fields.to) ?? '',
    value: text(fields.value) ?? '',
    validAfter: text(fields.validAfter) ?? '',
    validBefore: text(fields.validBefore) ?? '',
    nonce: text(fields.nonce) ?? '',
  };
  if (!isAddress(authorization.from) || !isAddress(authorization.to) || !/^0[xX][0-9a-fA-F]{64}$/.test(authorization.nonce))
    return refuse('invalid_payload', 'The authorization needs from, to and a 32-byte nonce');
  if (authorization.to.toLowerCase() !== offer.payTo.toLowerCase())
    return refuse('invalid_exact_evm_payload_recipient_mismatch', `Payments must be made to ${offer.payTo}`);
  const amount = safeUint(authorization.value);
  if (amount === undefined || amount < offer.minimumMicros || amount > offer.maximumMicros)
    return refuse(
      'invalid_exact_evm_payload_authorization_value',
      `The amount must be between ${offer.minimumMicros} and ${offer.maximumMicros} atomic USDC units`,
    );
  const validAfter = safeUint(authorization.validAfter);
  const validBefore = safeUint(authorization.validBefore);
  const seconds = Math.floor(now / 1000);
  if (validAfter === undefined || validAfter > seconds)
    return refuse('invalid_exact_evm_payload_authorization_valid_after', 'The authorization is not valid yet');
  // A few seconds of margin, so the authorization cannot expire while it is being settled.
  if (validBefore === undefined || validBefore < seconds + 6)
    return refuse('invalid_exact_evm_payload_authorization_valid_before', 'The authorization has expired');
  const payer = checksumAddress(authorization.from);
  const nonce = authorization.nonce.toLowerCase();
  return {
    ok: true,
    payer,
    amountMicros: micros(amount),
    authorization,
    signature,
    payload,
    paymentId: `${offer.network}:${offer.asset.toLowerCase()}:${payer.toLowerCase()}:${nonce}`,
  };
}

/** Does the EIP-712 signature of the authorization come from its `from` address? */
export function paymentSignedByPayer(payment: CheckedPayment, offer: PaymentOffer): boolean {
  const digest = transferAuthorizationDigest(payment.authorization, {
    name: offer.assetName,
    version: offer.assetVersion,
    chainId: offer.chainId,
    verifyingContract: offer.asset,
  });
  const signer = digest && recoverAddress(digest, payment.signature);
  return signer !== undefined && signer.toLowerCase() === payment.payer.toLowerCase();
}
