import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Store } from '../../src/ports/store/store.js';
import type { NewJob } from '../../src/ports/store/store-records.js';
import { issueKey } from '../../src/services/api-keys.js';
import { runExtensionConformance } from './store-conformance-extensions.js';
import { runHistoryConformance } from './store-conformance-history.js';
import { runUpstreamConformance } from './store-conformance-upstream.js';
import { runWalletConformance } from './store-conformance-wallets.js';
import { price } from '../support/micro-price.js';
import { micros } from '../../src/domain/money.js';

export const T0 = Date.parse('2026-11-24T10:00:00Z');
/** A stored job's request, as the conformance suites use it. */
export const request = {
  prompt: 'a calm piano piece',
  forceInstrumental: false,
  lyricsOptimizer: false,
  loop: false,
  speed: 1,
  format: 'wav' as const,
  characterCount: 18,
};

async function account(store: Store, usd: number, diemDaily = 0, limits: { usd?: number; diem?: number } = {}) {
  const id = randomUUID();
  const key = issueKey(id, 'INFERENCE', 'k', limits);
  await store.accounts.createAccount({ id, name: 'a', pro: false, diemDaily: micros(diemDaily) }, micros(usd), [key.record], T0);
  return { id, keyId: key.record.id };
}

const newJob = (owner: { id: string; keyId: string }, maxAttempts = 2): NewJob => ({
  id: randomUUID(),
  accountId: owner.id,
  keyId: owner.keyId,
  modelId: 'm',
  engine: 'e',
  request,
  maxAttempts,
});

/** Invariants that must hold after anything: never negative, conserved, each hold settled once. */
export async function assertLedgerInvariants(store: Store, accountId?: string) {
  const totals = await store.ledger.ledgerTotals(accountId);
  assert.equal(totals.negativeRows, 0);
  assert.equal(totals.available + totals.held + totals.captured, totals.granted, 'conservation');
  assert.equal(totals.held, totals.openHolds, 'held = open holds');
  assert.equal(totals.captured, totals.captureEntries, 'captured = capture entries');
  assert.equal(totals.holdsSettledTwice, 0);
}

/** The shared conformance suite of the Store port: every adapter must pass it. */
export function runStoreConformance(name: string, open: () => Promise<Store>) {
  describe(`Store conformance: ${name}`, () => {
    test('enqueue reserves the price with the job, or creates nothing', async () => {
      const store = await open();
      const owner = await account(store, 100);
      const first = await store.jobs.enqueue(newJob(owner), price(60, 60), T0);
      assert.ok(first.ok);
      assert.equal(first.value.state, 'queued');
      assert.deepEqual(first.value, await store.jobs.getJob(owner.id, first.value.id), 'enqueue answers the record a read returns');
      const second = await store.jobs.enqueue(newJob(owner), price(60, 60), T0);
      assert.deepEqual(second, { ok: false, reason: 'insufficient_balance' });
      const balance = await store.ledger.getBalance(owner.id, T0);
      assert.deepEqual(balance.usd, { available: 40, held: 60, captured: 0, granted: 100 });
      assert.equal((await store.statistics.countJobs()).queued, 1);
      await assertLedgerInvariants(store);
      await store.close();
    });

    test('concurrent enqueues accept exactly what the balance covers', async () => {
      const store = await open();
      const owner = await account(store, 1000);
      const results = await Promise.all(Array.from({ length: 60 }, () => store.jobs.enqueue(newJob(owner), price(100, 100), T0)));
      assert.equal(results.filter((result) => result.ok).length, 10);
      assert.equal((await store.ledger.getBalance(owner.id, T0)).usd.available, 0);
      await assertLedgerInvariants(store);
      await store.close();
    });

    test('DIEM is spent first, per UTC day, then USD; key limits apply per epoch', async () => {
      const store = await open();
      const owner = await account(store, 100, 50, { usd: 0.00008 }); // limits are decimal USD: 80 micro-USD
      const job = await store.jobs.enqueue(newJob(owner), price(40, 40), T0);
      assert.ok(job.ok && job.value.currency === 'diem');
      const next = await store.jobs.enqueue(newJob(owner), price(40, 40), T0);
      assert.ok(next.ok && next.value.currency === 'usd', 'only 10 DIEM left: USD covers it whole');
      const limited = await store.jobs.enqueue(newJob(owner), price(50, 50), T0);
      assert.deepEqual(limited, { ok: false, reason: 'consumption_limit' });
      const tomorrow = T0 + 86_400_000;
      assert.equal((await store.ledger.getBalance(owner.id, tomorrow)).diem.available, 50, 'a new epoch');
      await assertLedgerInvariants(store);
      await store.close();
    });

    test('claim, renew and complete capture the hold once; a stale worker moves nothing', async () => {
      const store = await open();
      const owner = await account(store, 100);
      const queued = await store.jobs.enqueue(newJob(owner), price(30, 30), T0);
      assert.ok(queued.ok);
      const [claimed] = await store.leases.claimJobs('e', 5, 1000, T0);
      assert.ok(claimed && claimed.state === 'running' && claimed.attempt === 1 && claimed.leaseToken);
      assert.deepEqual(await store.leases.claimJobs('e', 5, 1000, T0), [], 'a running job is not claimed twice');
      assert.ok(await store.leases.renewLease(claimed.id, claimed.leaseToken, T0 + 2000, 0.5, 'render'));
      assert.equal(await store.leases.renewLease(claimed.id, 'not-the-token', T0 + 2000, 0.5, null), false);
      const success = { mediaKey: 'k', mediaBytes: 10, durationSeconds: 1, inferenceMs: 5, expiresAt: T0 + 1000 };
      assert.equal(await store.leases.completeJob(claimed.id, 'stale', success, T0 + 10), false);
      assert.ok(await store.leases.completeJob(claimed.id, claimed.leaseToken, success, T0 + 10));
      assert.equal(await store.leases.completeJob(claimed.id, claimed.leaseToken, success, T0 + 10), false, 'settles once');
      assert.equal(
        await store.leases.failJob(claimed.id, claimed.leaseToken, { status: 500, body: { error: 'x' }, retryable: false, retryAt: 0 }, T0),
        'stale',
      );
      const balance = await store.ledger.getBalance(owner.id, T0);
      assert.deepEqual(balance.usd, { available: 70, held: 0, captured: 30, granted: 100 });
      const job = await store.jobs.getJob(owner.id, claimed.id);
      assert.equal(job?.state, 'done');
      assert.equal(await store.jobs.getJob(randomUUID(), claimed.id), undefined, 'foreign account sees nothing');
      assert.deepEqual(await store.statistics.recentTotals('m', 10), [10]);
      await assertLedgerInvariants(store);
      await store.close();
    });

    test('open jobs are counted by route and state; finished ones are not', async () => {
      const store = await open();
      const owner = await account(store, 100);
      for (const engine of ['e', 'e', 'e', 'other,fallback'])
        assert.ok((await store.jobs.enqueue({ ...newJob(owner), engine }, price(10, 10), T0)).ok);
      const [running, finished] = await store.leases.claimJobs('e', 2, 1000, T0);
      assert.ok(running && finished);
      const success = { mediaKey: 'k', mediaBytes: 10, durationSeconds: 1, inferenceMs: 5, expiresAt: T0 + 1000 };
      assert.ok(await store.leases.completeJob(finished.id, finished.leaseToken as string, success, T0 + 10));
      const sorted = [...(await store.statistics.countOpenJobs())].sort((a, b) =>
        `${a.engine}${a.state}`.localeCompare(`${b.engine}${b.state}`),
      );
      assert.deepEqual(sorted, [
        { engine: 'e', state: 'queued', count: 1 },
        { engine: 'e', state: 'running', count: 1 },
        { engine: 'other,fallback', state: 'queued', count: 1 },
      ]);
      await store.close();
    });

    test('failures retry within the budget, then fail and release in full', async () => {
      const store = await open();
      const owner = await account(store, 100);
      await store.jobs.enqueue(newJob(owner, 2), price(30, 30), T0);
      const [first] = await store.leases.claimJobs('e', 1, 1000, T0);
      assert.ok(first?.leaseToken);
      const failure = { status: 500, body: { error: 'Inference processing failed' }, retryable: true, retryAt: T0 + 100 };
      assert.equal(await store.leases.failJob(first.id, first.leaseToken, failure, T0), 'requeued');
      assert.deepEqual(await store.leases.claimJobs('e', 1, 1000, T0 + 50), [], 'backoff holds it back');
      const [second] = await store.leases.claimJobs('e', 1, 1000, T0 + 100);
      assert.equal(second?.attempt, 2);
      assert.equal(await store.leases.failJob(second!.id, second!.leaseToken!, failure, T0 + 200), 'failed');
      const job = await store.jobs.getJob(owner.id, first.id);
      assert.equal(job?.state, 'failed');
      assert.equal(job?.errorStatus, 500);
      assert.deepEqual((await store.ledger.getBalance(owner.id, T0)).usd, { available: 100, held: 0, captured: 0, granted: 100 });
      await assertLedgerInvariants(store);
      await store.close();
    });

    test('the reaper requeues lost leases, fails after the budget, expires media and frees orphan holds', async () => {
      const store = await open();
      const owner = await account(store, 100);
      await store.jobs.enqueue(newJob(owner, 2), price(10, 10), T0);
      await store.leases.claimJobs('e', 1, 1000, T0);
      assert.deepEqual(await store.housekeeping.reap(T0 + 500, { orphanHoldMs: 60_000, expiringNoticeMs: 0 }), {
        requeued: 0,
        failed: 0,
        expired: 0,
        released: 0,
        forgottenMedia: [],
      });
      assert.equal((await store.housekeeping.reap(T0 + 1001, { orphanHoldMs: 60_000, expiringNoticeMs: 0 })).requeued, 1);
      const [again] = await store.leases.claimJobs('e', 1, 1000, T0 + 60_000);
      assert.equal(again?.attempt, 2);
      assert.equal((await store.housekeeping.reap(T0 + 70_000, { orphanHoldMs: 60_000, expiringNoticeMs: 0 })).failed, 1);
      await store.jobs.enqueue(newJob(owner), price(10, 10), T0);
      const [done] = await store.leases.claimJobs('e', 1, 1000, T0);
      await store.leases.completeJob(
        done!.id,
        done!.leaseToken!,
        { mediaKey: 'm1', mediaBytes: 1, durationSeconds: 1, inferenceMs: 1, expiresAt: T0 + 5000 },
        T0,
      );
      const speech = await store.ledger.reserve(owner.id, owner.keyId, price(5, 5), T0);
      assert.ok(speech.ok);
      const swept = await store.housekeeping.reap(T0 + 3_600_000, { orphanHoldMs: 60_000, expiringNoticeMs: 0 });
      assert.equal(swept.expired, 1);
      assert.equal(swept.released, 1);
      assert.equal((await store.jobs.getJob(owner.id, done!.id))?.state, 'expired');
      assert.deepEqual(await store.housekeeping.listMediaToPurge(10), [{ jobId: done!.id, mediaKey: 'm1' }]);
      await store.housekeeping.markMediaPurged(done!.id);
      assert.deepEqual(await store.housekeeping.listMediaToPurge(10), []);
      assert.equal(await store.ledger.settleHold(speech.value.holdId, 'capture', T0), false, 'already released');
      assert.deepEqual((await store.ledger.getBalance(owner.id, T0)).usd, { available: 90, held: 0, captured: 10, granted: 100 });
      await assertLedgerInvariants(store);
      await store.close();
    });

    test('media is marked deleted by exactly one caller; returnJob gives back the attempt', async () => {
      const store = await open();
      const owner = await account(store, 100);
      await store.jobs.enqueue(newJob(owner), price(1, 1), T0);
      const [job] = await store.leases.claimJobs('e', 1, 1000, T0);
      assert.ok(await store.leases.returnJob(job!.id, job!.leaseToken!));
      const [again] = await store.leases.claimJobs('e', 1, 1000, T0);
      assert.equal(again?.attempt, 1);
      await store.leases.completeJob(
        again!.id,
        again!.leaseToken!,
        { mediaKey: 'x', mediaBytes: 1, durationSeconds: 1, inferenceMs: 1, expiresAt: T0 + 1e9 },
        T0,
      );
      const racers = await Promise.all(Array.from({ length: 8 }, () => store.jobs.markMediaDeleted(again!.id, T0)));
      assert.equal(racers.filter(Boolean).length, 1);
      await store.close();
    });

    test('keys: lookup by hash, list, soft delete, usage', async () => {
      const store = await open();
      const owner = await account(store, 10);
      const extra = issueKey(owner.id, 'ADMIN', 'admin');
      await store.accounts.createKey(extra.record, T0);
      const found = await store.accounts.findKeyByHash(extra.record.hash);
      assert.equal(found?.key.type, 'ADMIN');
      assert.equal(found?.account.id, owner.id);
      assert.equal((await store.accounts.listKeys(owner.id)).length, 2);
      assert.ok(await store.accounts.deleteKey(owner.id, extra.record.id, T0));
      assert.equal(await store.accounts.deleteKey(owner.id, extra.record.id, T0), false);
      assert.equal(await store.accounts.findKeyByHash(extra.record.hash), undefined);
      assert.ok(await store.accounts.creditAccount(owner.id, micros(5), 'top-up', T0));
      assert.equal(await store.accounts.creditAccount(randomUUID(), micros(5), 'nobody', T0), false);
      assert.equal((await store.ledger.getBalance(owner.id, T0)).usd.available, 15);
      await store.close();
    });

    runExtensionConformance(open, { account, newJob, assertLedgerInvariants });
    runWalletConformance(open, assertLedgerInvariants);
    runUpstreamConformance(open, { account, newJob, assertLedgerInvariants });
    runHistoryConformance(open, { account, newJob });
  });
}
