import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressOfSecretKey, bytesToHex, checksumAddress, hexToBytes, recoverAddress } from '../../src/domain/evm-signature.js';
import { buildSignInMessage, parseSignInMessage } from '../../src/domain/sign-in-message.js';
import { domainSeparator, transferAuthorizationDigest } from '../../src/domain/transfer-authorization.js';
import { micros } from '../../src/domain/money.js';
import { verifySignIn } from '../../src/domain/wallet-sign-in.js';
import { checkPayment, type PaymentOffer, paymentSignedByPayer } from '../../src/domain/x402-payment.js';
import { TestWallet } from '../support/wallet-signer.js';

const offer: PaymentOffer = {
  network: 'eip155:8453',
  chainId: 8453,
  asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
  assetName: 'USD Coin',
  assetVersion: '2',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  minimumMicros: micros(5_000_000),
  maximumMicros: micros(1_000_000_000),
  suggestedMicros: micros(10_000_000),
  maxTimeoutSeconds: 300,
};

test('published vectors: EIP-55 checksums, the address of a known key, the EIP-712 domain separator', () => {
  // EIP-55's own examples.
  for (const address of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'])
    assert.equal(checksumAddress(address.toLowerCase()), address);
  // The key and address of the ethers.js documentation.
  const key = hexToBytes('0x0123456789012345678901234567890123456789012345678901234567890123', 32) as Uint8Array;
  assert.equal(addressOfSecretKey(key), '0x14791697260E4c9A71f18484C9f997B308e59325');
  // EIP-712's "Ether Mail" example domain.
  const separator = domainSeparator({
    name: 'Ether Mail',
    version: '1',
    chainId: 1,
    verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC',
  });
  assert.equal(bytesToHex(separator as Uint8Array), '0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f');
});

test('sign-in messages survive a build and parse, with or without a statement', () => {
  const wallet = new TestWallet();
  for (const statement of ['Sign in to Overture', undefined]) {
    const fields = { ...wallet.signInMessage({ now: 0 }), statement, resources: ['https://example.com/a'] };
    if (statement === undefined) delete fields.statement;
    assert.deepEqual(parseSignInMessage(buildSignInMessage(fields)), fields);
  }
  assert.match(String(parseSignInMessage('hello')), /not a Sign-In-With-Ethereum message/);
});

test('sign-in checks: signature, domain, chain, time window', () => {
  const wallet = new TestWallet();
  const now = Date.parse('2026-11-24T12:00:00Z');
  const rules = { chainId: 8453, host: 'localhost:8080', maxAgeMs: 300_000, skewMs: 60_000, now };
  const ok = verifySignIn(wallet.signIn({ now }), rules);
  assert.ok(ok.ok);
  assert.match(ok.nonce, /^[0-9a-zA-Z]{8,}$/, 'the nonce is answered, so a replay can be refused');
  assert.deepEqual(ok, { ok: true, address: wallet.address, nonce: ok.nonce, validUntil: now + 300_000 });
  const reasonOf = (header: string, changes = {}) => {
    const result = verifySignIn(header, { ...rules, ...changes });
    return result.ok ? 'ok' : result.reason;
  };
  assert.match(reasonOf(wallet.signIn({ now, domain: 'evil.example' })), /domain/);
  assert.match(reasonOf(wallet.signIn({ now, chainId: 1 })), /chain 8453/);
  assert.match(reasonOf(wallet.signIn({ now: now - 400_000 })), /expired/);
  assert.match(reasonOf(wallet.signIn({ now: now + 120_000 })), /future/);
  assert.match(reasonOf(wallet.signIn({ now }, (payload) => (payload.address = new TestWallet().address))), /another address/);
  const forged = wallet.signIn({ now }, (payload) => {
    payload.signature = `0x${'11'.repeat(64)}1b`;
  });
  assert.match(reasonOf(forged), /signature/);
  assert.match(reasonOf(Buffer.from('{}').toString('base64')), /needs address/);
  assert.match(reasonOf('%%%'), /base64|JSON/);
});

test('payments: checked against the offer, signed by the payer, amounts as integer micro-USD', () => {
  const wallet = new TestWallet();
  const now = Date.now();
  const signed = wallet.authorize(offer, 7_250_000, {}, now);
  const checked = checkPayment(TestWallet.paymentHeader(offer, signed), offer, now);
  assert.ok(checked.ok);
  assert.equal(checked.amountMicros, 7_250_000);
  assert.equal(checked.payer, wallet.address);
  assert.ok(paymentSignedByPayer(checked, offer));
  const digest = transferAuthorizationDigest(signed.authorization, {
    name: offer.assetName,
    version: offer.assetVersion,
    chainId: offer.chainId,
    verifyingContract: offer.asset,
  }) as Uint8Array;
  assert.equal(recoverAddress(digest, signed.signature), wallet.address);
  const reasonOf = (header: string) => {
    const result = checkPayment(header, offer, now);
    return result.ok ? (paymentSignedByPayer(result, offer) ? 'ok' : 'bad signature') : result.reason;
  };
  const header = (value: number, overrides = {}, edit?: (payload: Record<string, unknown>) => void) =>
    TestWallet.paymentHeader(offer, wallet.authorize(offer, value, overrides, now), edit);
  assert.equal(reasonOf(header(4_999_999)), 'invalid_exact_evm_payload_authorization_value');
  assert.equal(reasonOf(header(2 ** 60)), 'invalid_exact_evm_payload_authorization_value');
  assert.equal(reasonOf(header(6_000_000, { to: wallet.address })), 'invalid_exact_evm_payload_recipient_mismatch');
  assert.equal(
    reasonOf(header(6_000_000, { validBefore: String(Math.floor(now / 1000)) })),
    'invalid_exact_evm_payload_authorization_valid_before',
  );
  assert.equal(
    reasonOf(header(6_000_000, { validAfter: String(Math.floor(now / 1000) + 60) })),
    'invalid_exact_evm_payload_authorization_valid_after',
  );
  assert.equal(
    reasonOf(header(6_000_000, {}, (payload) => ((payload.accepted as Record<string, unknown>).network = 'eip155:1'))),
    'invalid_network',
  );
  assert.equal(reasonOf(header(6_000_000, {}, (payload) => (payload.x402Version = 3))), 'invalid_x402_version');
  const tampered = wallet.authorize(offer, 6_000_000, {}, now);
  assert.equal(
    reasonOf(TestWallet.paymentHeader(offer, { ...tampered, authorization: { ...tampered.authorization, value: '60000000' } })),
    'bad signature',
  );
  assert.equal(reasonOf('not base64 json'), 'invalid_payload');
  assert.equal(
    reasonOf(header(6_000_000, {}, (payload) => ((payload.accepted as Record<string, unknown>).network = 'base'))),
    'ok',
    'v1 network names',
  );
});
