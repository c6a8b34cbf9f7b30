import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { personalMessageDigest, signDigest } from '../../server/src/domain/evm-signature.js';
import type { PaymentOffer } from '../../server/src/domain/x402-payment.js';
import { TestWallet } from '../../server/test/support/wallet-signer.js';
import { InsufficientBalanceError, type WalletSigner } from '../src/index.js';
import { FAST_POLLING, type LiveServer, SKETCH, startLiveServer } from './live-server.js';

let live: LiveServer;
before(async () => {
  live = await startLiveServer();
});
after(() => live.close());

/** What a wallet library offers: the address and `personal_sign`. */
function signerOf(wallet: TestWallet): WalletSigner & { signed: number } {
  const signer = {
    address: wallet.address,
    signed: 0,
    signMessage(message: string) {
      signer.signed++;
      return signDigest(personalMessageDigest(message), wallet.secretKey);
    },
  };
  return signer;
}

test('a wallet client: payment options, top-up, balance, and a generation paid from the wallet', async () => {
  const wallet = new TestWallet();
  const signer = signerOf(wallet);
  const client = live.client({ apiKey: undefined, wallet: signer });
  const options = await client.x402.topUp().catch((error: unknown) => error);
  assert.ok(options instanceof InsufficientBalanceError);
  const offer = live.test.app.config.x402?.offer as PaymentOffer;
  assert.equal((options.body as { accepts: { payTo: string }[] }).accepts[0]?.payTo, offer.payTo);
  const topUp = await client.x402.topUp(TestWallet.paymentHeader(offer, wallet.authorize(offer, 5_000_000)));
  assert.deepEqual([topUp.data.walletAddress, topUp.data.amountCredited, topUp.data.newBalance], [wallet.address, 5, 5]);
  assert.equal((await client.x402.balance()).data.balanceUsd, 5);
  const result = await client.generate(SKETCH, { polling: FAST_POLLING });
  assert.ok(result.bytes.byteLength > 0);
  assert.equal(
    Math.round((5 - (await client.x402.balance()).data.balanceUsd) * 1e6),
    Math.round(result.quote * 1e6),
    'the quoted price, once',
  );
  const after = (await client.x402.balance()).data.balanceUsd;
  assert.ok(after < 5 && after > 4.99, `paid from the wallet: ${after}`);
  assert.ok(signer.signed >= 4, 'a fresh sign-in per request');
});

test('a wallet with nothing left gets the x402 402 as an InsufficientBalanceError with the options', async () => {
  const client = live.client({ apiKey: undefined, wallet: signerOf(new TestWallet()) });
  const error = await client.audio.queue(SKETCH).catch((caught: unknown) => caught);
  assert.ok(error instanceof InsufficientBalanceError);
  assert.equal((error.body as { code: string }).code, 'PAYMENT_REQUIRED');
});
