import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { addressOfSecretKey, personalMessageDigest, signDigest } from '../../src/domain/evm-signature.js';
import { buildSignInMessage, type SignInMessage } from '../../src/domain/sign-in-message.js';
import { type TransferAuthorization, transferAuthorizationDigest } from '../../src/domain/transfer-authorization.js';
import type { PaymentOffer } from '../../src/domain/x402-payment.js';

/**
 * A throwaway wallet, doing what a real wallet and an x402 client do: sign a Sign-In-With-
 * Ethereum message (`personal_sign`) into a `SIGN-IN-WITH-X` header, and sign EIP-3009
 * `transferWithAuthorization`s (EIP-712) into `PAYMENT-SIGNATURE` headers.
 */
export class TestWallet {
  readonly secretKey: Uint8Array;
  readonly address: string;

  constructor(secretKey: Uint8Array = secp256k1.utils.randomSecretKey()) {
    this.secretKey = secretKey;
    this.address = addressOfSecretKey(secretKey);
  }

  /** The signed message fields for a sign-in to `domain` at `now`. */
  signInMessage(options: { now?: number } & Partial<SignInMessage> = {}): SignInMessage {
    const { now = Date.now(), ...fields } = options;
    const domain = fields.domain ?? 'localhost';
    return {
      domain,
      address: this.address,
      statement: 'Sign in to Overture',
      uri: `http://${domain}`,
      version: '1',
      chainId: 8453,
      nonce: randomBytes(8).toString('hex'),
      issuedAt: new Date(now).toISOString(),
      expirationTime: new Date(now + 5 * 60_000).toISOString(),
      ...fields,
    };
  }

  /** A `SIGN-IN-WITH-X` header: base64 JSON of the message, its signature and the chain. */
  signIn(options: Parameters<TestWallet['signInMessage']>[0] = {}, edit: (payload: Record<string, unknown>) => void = () => undefined) {
    const message = buildSignInMessage(this.signInMessage(options));
    const payload: Record<string, unknown> = {
      address: this.address,
      message,
      signature: signDigest(personalMessageDigest(message), this.secretKey),
      timestamp: options.now ?? Date.now(),
      chainId: options.chainId ?? 8453,
    };
    edit(payload);
    return Buffer.from(JSON.stringify(payload)).toString('base64');
  }

  /** A signed EIP-3009 authorization paying `value` atomic units to the offer's `payTo`. */
  authorize(offer: PaymentOffer, value: number, overrides: Partial<TransferAuthorization> = {}, now = Date.now()) {
    const authorization: TransferAuthorization = {
      from: this.address,
      to: offer.payTo,
      value: String(value),
      validAfter: String(Math.floor(now / 1000) - 60),
      validBefore: String(Math.floor(now / 1000) + 600),
      nonce: `0x${randomBytes(32).toString('hex')}`,
      ...overrides,
    };
    const digest = transferAuthorizationDigest(authorization, {
      name: offer.assetName,
      version: offer.assetVersion,
      chainId: offer.chainId,
      verifyingContract: offer.asset,
    });
    if (!digest) throw new Error('malformed authorization');
    return { authorization, signature: signDigest(digest, this.secretKey) };
  }

  /** The `PAYMENT-SIGNATURE` header of an x402 v2 payload for a signed authorization. */
  static paymentHeader(
    offer: PaymentOffer,
    signed: { authorization: TransferAuthorization; signature: string },
    edit = (_payload: Record<string, unknown>) => {},
  ) {
    const payload: Record<string, unknown> = {
      x402Version: 2,
      resource: { url: 'http://localhost/api/v1/x402/top-up', description: 'top-up', mimeType: 'application/json' },
      accepted: {
        scheme: 'exact',
        network: offer.network,
        amount: signed.authorization.value,
        asset: offer.asset,
        payTo: offer.payTo,
        maxTimeoutSeconds: offer.maxTimeoutSeconds,
        extra: { name: offer.assetName, version: offer.assetVersion },
      },
      payload: { signature: signed.signature, authorization: signed.authorization },
    };
    edit(payload);
    return Buffer.from(JSON.stringify(payload)).toString('base64');
  }
}
