import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { PaymentOffer } from '../../src/domain/x402-payment.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestWallet } from '../support/wallet-signer.js';

/**
 * A loopback stand-in for a remote x402 facilitator (an outside service): it records what it is
 * sent and answers `/verify` and `/settle` as the x402 v2 specification describes, with answers
 * the test scripts (refusals, outages).
 */
interface FakeAnswer {
  status: number;
  body: unknown;
}
const calls: { path: string; body: Record<string, unknown> }[] = [];
const script: Record<string, FakeAnswer[]> = { '/verify': [], '/settle': [] };
let facilitator: Server;
let t: TestApp;
let offer: PaymentOffer;

before(async () => {
  facilitator = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const body = JSON.parse(text);
      calls.push({ path: request.url ?? '', body });
      const path = (request.url ?? '').replace(/^\/facilitator/, '');
      const payer = body.paymentPayload?.payload?.authorization?.from;
      const answer =
        script[path]?.shift() ??
        (path === '/verify'
          ? { status: 200, body: { isValid: true, payer } }
          : { status: 200, body: { success: true, payer, transaction: `0x${'ab'.repeat(32)}`, network: 'eip155:8453' } });
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  facilitator.listen(0, '127.0.0.1');
  await once(facilitator, 'listening');
  const { port } = facilitator.address() as AddressInfo;
  t = await startTestApp({ env: { OVERTURE_X402_FACILITATOR_URL: `http://127.0.0.1:${port}/facilitator/` } });
  offer = t.app.config.x402?.offer as PaymentOffer;
});
after(async () => {
  await t.close();
  facilitator.close();
});

const topUp = (payment: string) =>
  t.app.http.inject({ method: 'POST', url: '/api/v1/x402/top-up', headers: { 'payment-signature': payment } });
const balanceOf = async (wallet: TestWallet) =>
  (await t.app.store.ledger.getBalance(`x402:${wallet.address.toLowerCase()}`, Date.now())).usd;

test('http facilitator: verify then settle with the x402 v2 bodies; the settlement transaction is returned and recorded', async () => {
  calls.length = 0;
  const wallet = new TestWallet();
  const header = TestWallet.paymentHeader(offer, wallet.authorize(offer, 8_000_000));
  const paid = await topUp(header);
  assert.equal(paid.statusCode, 200, paid.body);
  assert.deepEqual(
    calls.map((call) => call.path),
    ['/facilitator/verify', '/facilitator/settle'],
  );
  const sent = calls[0]?.body as Record<string, unknown>;
  assert.equal(sent.x402Version, 2);
  assert.deepEqual(sent.paymentPayload, JSON.parse(Buffer.from(header, 'base64').toString('utf8')));
  assert.deepEqual(sent.paymentRequirements, {
    scheme: 'exact',
    network: 'eip155:8453',
    amount: '8000000',
    asset: offer.asset,
    payTo: offer.payTo,
    maxTimeoutSeconds: 300,
    extra: { name: 'USD Coin', version: '2' },
  });
  const response = JSON.parse(Buffer.from(String(paid.headers['payment-response']), 'base64').toString('utf8'));
  assert.equal(response.transaction, `0x${'ab'.repeat(32)}`);
  assert.equal((await balanceOf(wallet)).available, 8_000_000);
  const recorded = (await t.app.store.wallets.listWalletPayments(100)).find((each) => each.walletAddress === wallet.address);
  assert.equal(recorded?.transaction, `0x${'ab'.repeat(32)}`);
  assert.equal((await topUp(header)).json().reason, 'payment_already_used');
  assert.equal((await balanceOf(wallet)).available, 8_000_000, 'credited once');
});

test('http facilitator: refusals change nothing; a refused settlement frees the payment to be tried again', async () => {
  const wallet = new TestWallet();
  script['/verify']?.push({ status: 200, body: { isValid: false, invalidReason: 'insufficient_funds', payer: wallet.address } });
  const header = TestWallet.paymentHeader(offer, wallet.authorize(offer, 5_000_000));
  const refused = await topUp(header);
  assert.equal(refused.statusCode, 402);
  assert.equal(refused.json().reason, 'insufficient_funds');
  script['/settle']?.push({
    status: 400,
    body: { success: false, errorReason: 'invalid_transaction_state', transaction: '', network: 'eip155:8453' },
  });
  const unsettled = await topUp(header);
  assert.equal(unsettled.json().reason, 'invalid_transaction_state');
  assert.equal((await balanceOf(wallet)).granted, 0);
  assert.equal((await topUp(header)).statusCode, 200, 'the same payment, settled on a later try');
  assert.equal((await balanceOf(wallet)).available, 5_000_000);
});

test('http facilitator: an outage answers 503; the payment stays pending and a retry credits it once', async () => {
  const wallet = new TestWallet();
  const header = TestWallet.paymentHeader(offer, wallet.authorize(offer, 6_000_000));
  script['/settle']?.push({ status: 502, body: { error: 'bad gateway' } });
  const outage = await topUp(header);
  assert.equal(outage.statusCode, 503);
  const pending = (await t.app.store.wallets.listWalletPayments(100)).find((each) => each.walletAddress === wallet.address);
  assert.equal(pending?.state, 'pending');
  assert.equal((await balanceOf(wallet)).granted, 0);
  const retried = await topUp(header);
  assert.equal(retried.statusCode, 200, retried.body);
  assert.equal((await balanceOf(wallet)).available, 6_000_000);
  // A retry whose settlement is refused may follow a lost success: it stays pending for the operator.
  const second = TestWallet.paymentHeader(offer, wallet.authorize(offer, 5_000_000));
  script['/settle']?.push(
    { status: 502, body: {} },
    { status: 200, body: { success: false, errorReason: 'nonce_used', transaction: '', network: 'eip155:8453' } },
  );
  assert.equal((await topUp(second)).statusCode, 503);
  const reconcile = await topUp(second);
  assert.equal(reconcile.json().reason, 'payment_pending_reconciliation');
  const states = (await t.app.store.wallets.listWalletPayments(100))
    .filter((each) => each.walletAddress === wallet.address)
    .map((each) => each.state);
  assert.deepEqual(states.sort(), ['credited', 'pending']);
  assert.equal((await balanceOf(wallet)).available, 6_000_000);
});
