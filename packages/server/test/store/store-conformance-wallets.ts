import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { micros } from '../../src/domain/money.js';
import type { Store } from '../../src/ports/store/store.js';
import type { NewWallet, NewWalletPayment } from '../../src/ports/store/wallet-records.js';

const T0 = Date.parse('2026-11-24T10:00:00Z');

function wallet(): NewWallet {
  const lower = `0x${randomBytes(20).toString('hex')}`;
  return { address: lower, accountId: `x402:${lower}`, keyId: `x402-key:${lower}`, keyHash: `x402:${lower}` };
}

function payment(owner: NewWallet, amount: number): NewWalletPayment {
  const nonce = `0x${randomBytes(32).toString('hex')}`;
  return {
    id: `eip155:8453:0xasset:${owner.address}:${nonce}`,
    accountId: owner.accountId,
    walletAddress: owner.address,
    network: 'eip155:8453',
    asset: '0xasset',
    nonce,
    amount: micros(amount),
    authorization: JSON.stringify({ from: owner.address, nonce }),
    signature: '0xsigned',
  };
}

/** The Store port's x402 wallet operations: wallet accounts and payments credited exactly once. */
export function runWalletConformance(
  open: () => Promise<Store>,
  assertLedgerInvariants: (store: Store, accountId?: string) => Promise<void>,
) {
  test('wallets: an account and limitless pseudo key, created once however many requests race', async () => {
    const store = await open();
    const before = await store.accounts.countAccounts();
    const owner = wallet();
    const found = await Promise.all([1, 2, 3, 4].map(() => store.wallets.ensureWallet(owner, T0)));
    for (const each of found) {
      assert.equal(each.account.id, owner.accountId);
      assert.equal(each.key.id, owner.keyId);
      assert.equal(each.key.limitUsd, null);
      assert.equal(each.key.limitDiem, null);
    }
    assert.equal(found[0]?.account.pro, false);
    assert.equal(await store.accounts.countAccounts(), before + 1);
    assert.equal((await store.accounts.findKeyByHash(owner.keyHash))?.account.id, owner.accountId);
    assert.deepEqual((await store.ledger.getBalance(owner.accountId, T0)).usd, { available: 0, held: 0, captured: 0, granted: 0 });
    await store.close();
  });

  test('wallet payments: pending, then credited exactly once; never again', async () => {
    const store = await open();
    const owner = wallet();
    await store.wallets.ensureWallet(owner, T0);
    const paid = payment(owner, 5_000_000);
    assert.equal(await store.wallets.beginWalletPayment(paid, T0), 'new');
    assert.equal(await store.wallets.beginWalletPayment(paid, T0 + 1), 'pending');
    assert.equal((await store.ledger.getBalance(owner.accountId, T0)).usd.available, 0, 'nothing credited while pending');
    const credits = await Promise.all([1, 2, 3].map(() => store.wallets.creditWalletPayment(paid.id, '0xtx', T0 + 2)));
    assert.deepEqual(
      credits.filter((credited) => credited),
      [true],
    );
    assert.equal(await store.wallets.beginWalletPayment(paid, T0 + 3), 'credited');
    assert.equal(await store.wallets.creditWalletPayment(paid.id, null, T0 + 4), false);
    await store.wallets.abandonWalletPayment(paid.id);
    assert.equal(await store.wallets.beginWalletPayment(paid, T0 + 5), 'credited', 'a credited payment is never forgotten');
    const balance = await store.ledger.getBalance(owner.accountId, T0);
    assert.deepEqual(balance.usd, { available: 5_000_000, held: 0, captured: 0, granted: 5_000_000 });
    const listed = (await store.wallets.listWalletPayments(1000)).find((each) => each.id === paid.id);
    assert.equal(listed?.state, 'credited');
    assert.equal(listed?.transaction, '0xtx');
    assert.equal(listed?.amount, 5_000_000);
    assert.equal(listed?.creditedAt, T0 + 2);
    assert.equal(listed?.authorization, paid.authorization);
    await assertLedgerInvariants(store, owner.accountId);
    await store.close();
  });

  test('wallet payments: an abandoned pending payment frees its nonce; racing begins record one', async () => {
    const store = await open();
    const owner = wallet();
    await store.wallets.ensureWallet(owner, T0);
    const paid = payment(owner, 7_000_000);
    const begun = await Promise.all([1, 2, 3].map(() => store.wallets.beginWalletPayment(paid, T0)));
    assert.deepEqual(
      begun.filter((state) => state === 'new'),
      ['new'],
    );
    await store.wallets.abandonWalletPayment(paid.id);
    assert.equal(await store.wallets.creditWalletPayment(paid.id, null, T0), false, 'an abandoned payment cannot be credited');
    assert.equal(await store.wallets.beginWalletPayment(paid, T0 + 1), 'new');
    assert.equal(await store.wallets.creditWalletPayment(paid.id, null, T0 + 2), true);
    assert.equal((await store.ledger.getBalance(owner.accountId, T0)).usd.available, 7_000_000);
    assert.equal((await store.wallets.listWalletPayments(1000)).find((each) => each.id === paid.id)?.transaction, null);
    await assertLedgerInvariants(store, owner.accountId);
    await store.close();
  });
}
