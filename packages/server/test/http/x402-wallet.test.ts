import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_AMOUNT_MICROS, MAX_BALANCE_MICROS, micros, subtractMicros } from '../../src/domain/money.js';
import type { PaymentOffer } from '../../src/domain/x402-payment.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestWallet } from '../support/wallet-signer.js';

let t: TestApp;
let offer: PaymentOffer;
const OPERATOR = 'operator-token-for-x402-tests';

before(async () => {
  // Retrieve is polled every 25 ms below: on a loaded machine a slow job must not meet the retrieve limit.
  t = await startTestApp({ env: { OVERTURE_OPERATOR_TOKEN: OPERATOR, OVERTURE_RATE_LIMIT_RETRIEVE: '100000' } });
  offer = t.app.config.x402?.offer as PaymentOffer;
});
after(() => t.close());

/** A request with the given headers (no bearer key unless sent). */
function send(method: string, url: string, headers: Record<string, string> = {}, body?: unknown) {
  return t.app.http.inject({
    method: method as 'GET',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

/** Sign-in headers signed anew for each request that sends them: a sign-in is good for one request. */
function signedIn(wallet: TestWallet, name = 'sign-in-with-x'): Record<string, string> {
  return Object.defineProperty({}, name, { enumerable: true, get: () => wallet.signIn() });
}

const decode = (header: unknown) => JSON.parse(Buffer.from(String(header), 'base64').toString('utf8'));
const topUp = (payment?: string) => send('POST', '/api/v1/x402/top-up', payment ? { 'payment-signature': payment } : {});
const walletBalance = async (wallet: TestWallet) =>
  (await t.app.store.ledger.getBalance(`x402:${wallet.address.toLowerCase()}`, Date.now())).usd;

test('a wallet tops up once per payment, signs in, and pays a queued job from its balance', async () => {
  const discovery = await topUp();
  assert.equal(discovery.statusCode, 402);
  const options = discovery.json();
  assert.equal(options.error, 'Payment required');
  assert.equal(options.code, 'PAYMENT_REQUIRED');
  assert.deepEqual(options.accepts, [
    {
      scheme: 'exact',
      network: 'eip155:8453',
      amount: '5000000',
      asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
      payTo: offer.payTo,
      maxTimeoutSeconds: 300,
      extra: { name: 'USD Coin', version: '2' },
    },
  ]);
  const required = decode(discovery.headers['payment-required']);
  assert.equal(required.x402Version, 2);
  assert.deepEqual(required.accepts, options.accepts);
  assert.equal(required.resource.url, 'http://localhost:80/api/v1/x402/top-up');

  const wallet = new TestWallet();
  const payment = TestWallet.paymentHeader(offer, wallet.authorize(offer, 7_000_000));
  const paid = await topUp(payment);
  assert.equal(paid.statusCode, 200, paid.body);
  const { data } = paid.json();
  assert.deepEqual([data.walletAddress, data.amountCredited, data.newBalance], [wallet.address, 7, 7]);
  assert.deepEqual(decode(paid.headers['payment-response']), {
    success: true,
    transaction: '',
    network: 'eip155:8453',
    payer: wallet.address,
  });
  const again = await topUp(payment);
  assert.equal(again.statusCode, 402);
  assert.equal(again.json().reason, 'payment_already_used');
  assert.equal((await walletBalance(wallet)).available, 7_000_000, 'credited once');

  const signIn = signedIn(wallet);
  const balance = await send('GET', `/api/v1/x402/balance/${wallet.address.toLowerCase()}`, signIn);
  assert.equal(balance.statusCode, 200, balance.body);
  assert.deepEqual(balance.json(), {
    success: true,
    data: { walletAddress: wallet.address, balanceUsd: 7, canConsume: true, minimumTopUpUsd: 5, suggestedTopUpUsd: 10, diemBalanceUsd: 0 },
  });

  const quote = (await send('POST', '/api/v1/audio/quote', {}, { model: 'overture-sketch', duration_seconds: 2 })).json().quote;
  const queued = await send('POST', '/api/v1/audio/queue', signIn, {
    model: 'overture-sketch',
    prompt: 'a small sketch in C major',
    duration_seconds: 2,
  });
  assert.equal(queued.statusCode, 200, queued.body);
  // The balance after the price (0.0002) was held.
  assert.equal(queued.headers['x-venice-balance-usd'], '6.9998');
  assert.equal(queued.headers['x-balance-remaining'], '6.9998');
  const { queue_id } = queued.json();
  let media = await send('POST', '/api/v1/audio/retrieve', signIn, { model: 'overture-sketch', queue_id });
  for (let tries = 0; tries < 4000 && String(media.headers['content-type']).startsWith('application/json'); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    media = await send('POST', '/api/v1/audio/retrieve', signIn, { model: 'overture-sketch', queue_id });
  }
  assert.match(String(media.headers['content-type']), /^audio\//);
  const other = await t.request('POST', '/api/v1/audio/retrieve', { model: 'overture-sketch', queue_id });
  assert.equal(other.statusCode, 404, "the local account cannot see the wallet's job");
  assert.deepEqual((await send('POST', '/api/v1/audio/complete', signIn, { model: 'overture-sketch', queue_id })).json(), {
    success: true,
  });
  const spent = await walletBalance(wallet);
  assert.equal(spent.available, 7_000_000 - Math.round(quote * 1_000_000));
  assert.equal(spent.captured, Math.round(quote * 1_000_000));
  await assertLedgerInvariants(t.app.store, `x402:${wallet.address.toLowerCase()}`);

  assert.equal((await send('GET', '/api/v1/billing/balance', signIn)).statusCode, 401, 'admin routes take admin keys only');
  const payments = await send('GET', '/operator/v1/x402/payments', { authorization: `Bearer ${OPERATOR}` });
  const recorded = payments.json().data.find((each: { wallet_address: string }) => each.wallet_address === wallet.address);
  assert.equal(recorded.state, 'credited');
  assert.equal(recorded.amount_usd, 7);
  assert.equal(recorded.authorization.from, wallet.address);
});

test('refused payments answer 402 with the reason and change nothing', async () => {
  const wallet = new TestWallet();
  const reasonOf = async (payment: string) => {
    const response = await topUp(payment);
    assert.equal(response.statusCode, 402);
    assert.equal(response.json().code, 'PAYMENT_REQUIRED');
    assert.ok(response.headers['payment-required']);
    return response.json().reason;
  };
  const signed = wallet.authorize(offer, 6_000_000);
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, string][] = [
    [
      TestWallet.paymentHeader(offer, wallet.authorize(offer, 6_000_000, { to: wallet.address })),
      'invalid_exact_evm_payload_recipient_mismatch',
    ],
    [
      TestWallet.paymentHeader(offer, wallet.authorize(offer, 6_000_000, { validBefore: String(now - 1) })),
      'invalid_exact_evm_payload_authorization_valid_before',
    ],
    [
      TestWallet.paymentHeader(offer, { ...signed, authorization: { ...signed.authorization, value: '60000000' } }),
      'invalid_exact_evm_payload_signature',
    ],
    [
      TestWallet.paymentHeader(offer, {
        ...signed,
        signature: new TestWallet().authorize(offer, 6_000_000, { from: wallet.address, nonce: signed.authorization.nonce }).signature,
      }),
      'invalid_exact_evm_payload_signature',
    ],
    [TestWallet.paymentHeader(offer, wallet.authorize(offer, 1_000_000)), 'invalid_exact_evm_payload_authorization_value'],
    ['bm90IGpzb24=', 'invalid_payload'],
  ];
  for (const [payment, reason] of cases) assert.equal(await reasonOf(payment), reason);
  assert.equal((await walletBalance(wallet)).granted, 0);
  const payments = (await t.app.store.wallets.listWalletPayments(1000)).filter((each) => each.walletAddress === wallet.address);
  assert.deepEqual(payments, [], 'no refused payment spends its nonce');
  const honest = await topUp(TestWallet.paymentHeader(offer, signed));
  assert.equal(honest.statusCode, 200, 'the nonce a forgery tried is still good for the real payment');
  assert.equal((await walletBalance(wallet)).available, 6_000_000);
});

test('a top-up that would take a wallet past the balance maximum is refused before it is recorded or settled', async () => {
  const wallet = new TestWallet();
  const accountId = `x402:${wallet.address.toLowerCase()}`;
  const pay = (micros: number) => topUp(TestWallet.paymentHeader(offer, wallet.authorize(offer, micros)));
  assert.equal((await pay(5_000_000)).statusCode, 200);
  for (let credit = 0; credit < 8; credit++) await t.app.store.accounts.creditAccount(accountId, MAX_AMOUNT_MICROS, 'test', Date.now());
  await t.app.store.accounts.creditAccount(accountId, subtractMicros(MAX_AMOUNT_MICROS, micros(10_000_000)), 'test', Date.now());
  const before = await walletBalance(wallet);
  assert.equal(before.granted, MAX_BALANCE_MICROS - 5_000_000);
  const refused = await pay(6_000_000);
  assert.equal(refused.statusCode, 402);
  assert.equal(refused.json().reason, 'invalid_exact_evm_payload_authorization_value');
  assert.deepEqual(await walletBalance(wallet), before);
  const payments = (await t.app.store.wallets.listWalletPayments(1000)).filter((each) => each.walletAddress === wallet.address);
  assert.equal(payments.length, 1, 'the refused payment was neither recorded nor settled');
  assert.equal((await pay(5_000_000)).statusCode, 200, 'up to the maximum exactly');
  assert.equal((await walletBalance(wallet)).granted, MAX_BALANCE_MICROS);
  await assertLedgerInvariants(t.app.store, accountId);
});

test('a payment recorded pending before a crash is completed, once, when it is sent again', async () => {
  const wallet = new TestWallet();
  const signed = wallet.authorize(offer, 9_000_000);
  const header = TestWallet.paymentHeader(offer, signed);
  // What the first attempt had committed when the process died: the wallet and the pending payment.
  const identity = t.app.services.wallets?.identity(wallet.address);
  assert.ok(identity);
  await t.app.store.wallets.ensureWallet(identity, Date.now());
  const nonce = signed.authorization.nonce.toLowerCase();
  const id = `${offer.network}:${offer.asset.toLowerCase()}:${wallet.address.toLowerCase()}:${nonce}`;
  const record = {
    id,
    accountId: identity.accountId,
    walletAddress: wallet.address,
    network: offer.network,
    asset: offer.asset,
    nonce,
    amount: micros(9_000_000),
    authorization: JSON.stringify(signed.authorization),
    signature: signed.signature,
  };
  assert.equal(await t.app.store.wallets.beginWalletPayment(record, Date.now()), 'new');
  assert.equal((await walletBalance(wallet)).granted, 0);
  const [first, second] = await Promise.all([topUp(header), topUp(header)]);
  assert.deepEqual([first.statusCode, second.statusCode].sort(), [200, 402]);
  assert.equal((await walletBalance(wallet)).available, 9_000_000, 'credited exactly once');
  await assertLedgerInvariants(t.app.store, identity.accountId);
});

test('a wallet short of funds gets x402 402 bodies, and nothing is queued or held', async () => {
  const wallet = new TestWallet();
  const before = await t.app.store.statistics.countJobs();
  const signIn = signedIn(wallet);
  const queued = await send('POST', '/api/v1/audio/queue', signIn, {
    model: 'overture-sketch',
    prompt: 'a small sketch in C major',
    duration_seconds: 2,
  });
  assert.equal(queued.statusCode, 402);
  const body = queued.json();
  assert.equal(body.code, 'PAYMENT_REQUIRED');
  assert.equal(body.error, 'Payment required');
  assert.equal(body.message, 'Insufficient x402 balance');
  assert.equal(body.balanceUsd, 0);
  assert.equal(body.accepts[0].payTo, offer.payTo);
  assert.equal(decode(queued.headers['payment-required']).resource.url, 'http://localhost:80/api/v1/audio/queue');
  const speech = await send('POST', '/api/v1/audio/speech', signIn, { model: 'overture-tts', input: 'Hello there.' });
  assert.equal(speech.statusCode, 402);
  assert.equal(speech.json().code, 'PAYMENT_REQUIRED');
  assert.deepEqual(await t.app.store.statistics.countJobs(), before);
  assert.deepEqual(await walletBalance(wallet), { available: 0, held: 0, captured: 0, granted: 0 });
  const broke = await t.app.services.accounts.create({ name: 'broke', pro: false, usd: 0, diemDaily: 0 });
  const bearer = await t.request(
    'POST',
    '/api/v1/audio/queue',
    { model: 'overture-sketch', prompt: 'a small sketch in C major', duration_seconds: 2 },
    broke.inference_key,
  );
  assert.equal(bearer.statusCode, 402);
  assert.deepEqual(Object.keys(bearer.json()), ['error'], 'bearer keys keep the bearer body');
  assert.match(bearer.json().error, /^Insufficient USD or Diem balance/);
});

test('top-up attempts are limited per client address', async () => {
  const limited = await startTestApp({ env: { OVERTURE_RATE_LIMIT_OTHER: '3' } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await limited.app.http.inject({ method: 'POST', url: '/api/v1/x402/top-up' })).statusCode);
    assert.deepEqual(statuses, [402, 402, 402, 429]);
  } finally {
    await limited.close();
  }
});

test('bad SIGN-IN-WITH-X headers answer 401 with the reason', async () => {
  const wallet = new TestWallet();
  const refusals: [Record<string, string>, RegExp][] = [
    [{ 'sign-in-with-x': 'bm90IGpzb24=' }, /base64-encoded JSON/],
    [{ 'sign-in-with-x': wallet.signIn({ domain: 'evil.example' }) }, /domain/],
    [{ 'sign-in-with-x': wallet.signIn({ now: Date.now() - 10 * 60_000 }) }, /expired/],
    [{ 'sign-in-with-x': wallet.signIn({ chainId: 1 }) }, /chain/],
    [
      {
        'x-sign-in-with-x': wallet.signIn({}, (payload) => (payload.signature = `0x${'22'.repeat(64)}1c`)),
      },
      /signature/,
    ],
  ];
  for (const [headers, reason] of refusals) {
    const response = await send('POST', '/api/v1/audio/queue', headers, { model: 'overture-sketch', prompt: 'a small sketch in C major' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error, 'Authentication failed');
    assert.match(response.json().reason, reason);
  }
  const good = signedIn(wallet, 'x-sign-in-with-x');
  assert.equal((await send('GET', `/api/v1/x402/balance/${new TestWallet().address}`, good)).statusCode, 401, "another wallet's balance");
  assert.equal(
    (await send('GET', `/api/v1/x402/balance/${wallet.address}`, { authorization: `Bearer ${t.account.inference_key}` })).statusCode,
    401,
  );
  assert.equal((await send('GET', '/api/v1/x402/balance/nope', good)).statusCode, 400);
  assert.equal((await send('GET', `/api/v1/x402/balance/${wallet.address}`, good)).statusCode, 200, 'Venice header name too');
  const preflight = await send('OPTIONS', '/api/v1/x402/top-up', {
    origin: 'https://wallet.example',
    'access-control-request-headers': 'payment-signature',
  });
  assert.match(String(preflight.headers['access-control-allow-headers']), /sign-in-with-x.*payment-signature/);
  const exposed = await send('POST', '/api/v1/x402/top-up', { origin: 'https://wallet.example' });
  assert.match(String(exposed.headers['access-control-expose-headers']), /payment-required/);
});

test('a captured SIGN-IN-WITH-X header cannot be replayed, in this API process or another', async () => {
  // A second API process over the same database.
  const other = await startTestApp({ directory: t.directory, keepDirectory: true });
  try {
    const wallet = new TestWallet();
    const header = { 'sign-in-with-x': wallet.signIn() };
    const balance = `/api/v1/x402/balance/${wallet.address}`;
    assert.equal((await send('GET', balance, header)).statusCode, 200, 'the first use signs in');
    for (const app of [t.app, other.app]) {
      const replay = await app.http.inject({ method: 'GET', url: balance, headers: header });
      assert.equal(replay.statusCode, 401);
      assert.deepEqual(replay.json(), {
        error: 'Authentication failed',
        reason: 'this sign-in was already used; sign a new message for each request',
      });
    }
    const fresh = await other.app.http.inject({ method: 'GET', url: balance, headers: { 'sign-in-with-x': wallet.signIn() } });
    assert.equal(fresh.statusCode, 200, 'a new message signs in anywhere');
  } finally {
    await other.close();
  }
});
