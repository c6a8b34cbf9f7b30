import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Store } from '../../src/ports/store/store.js';
import type { NewJob } from '../../src/ports/store/store-records.js';
import { price } from '../support/micro-price.js';

const T0 = Date.parse('2026-11-24T10:00:00Z');
const REAP = { orphanHoldMs: 60_000, expiringNoticeMs: 0 };

/** What the main suite lends this one (to avoid a circular import). */
export interface ConformanceHelpers {
  account(store: Store, usd: number): Promise<{ id: string; keyId: string }>;
  newJob(owner: { id: string; keyId: string }, maxAttempts?: number): NewJob;
  assertLedgerInvariants(store: Store, accountId?: string): Promise<void>;
}

/** The Store port's extension operations: idempotency, cancel, queue position, the webhook outbox. */
export function runExtensionConformance(open: () => Promise<Store>, { account, newJob, assertLedgerInvariants }: ConformanceHelpers) {
  test('idempotent enqueue: one job per key, replays, mismatches', async () => {
    const store = await open();
    const owner = await account(store, 100);
    const claim = { key: 'k1', requestHash: 'h1', expiresAt: T0 + 86_400_000 };
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => store.jobs.enqueue({ ...newJob(owner), idempotency: claim }, price(10, 10), T0)),
    );
    const ids = new Set(results.map((result) => (result.ok ? result.value.id : 'refused')));
    assert.equal(ids.size, 1);
    assert.equal(results.filter((result) => result.ok && !result.replayed).length, 1);
    const other = await store.jobs.enqueue({ ...newJob(owner), idempotency: { ...claim, requestHash: 'h2' } }, price(10, 10), T0);
    assert.deepEqual(other, { ok: false, reason: 'idempotency_mismatch' });
    assert.equal((await store.ledger.getBalance(owner.id, T0)).usd.held, 10, 'one hold');
    await assertLedgerInvariants(store);
    await store.close();
  });

  test('idempotency keys without a job: claim, in flight, done, drop, forget', async () => {
    const store = await open();
    const owner = await account(store, 100);
    const claim = { key: 's1', requestHash: 'h', expiresAt: T0 + 1000 };
    assert.deepEqual(await store.idempotency.claimIdempotencyKey(owner.id, claim, T0), { state: 'new' });
    assert.deepEqual(await store.idempotency.claimIdempotencyKey(owner.id, claim, T0), { state: 'in_flight' });
    assert.deepEqual(await store.idempotency.claimIdempotencyKey(owner.id, { ...claim, requestHash: 'x' }, T0), { state: 'mismatch' });
    await store.idempotency.finishIdempotencyKey(owner.id, 's1', 200, '{"a":1}', 'media-1');
    assert.deepEqual(await store.idempotency.claimIdempotencyKey(owner.id, claim, T0), {
      state: 'done',
      status: 200,
      response: '{"a":1}',
      mediaKey: 'media-1',
    });
    await store.idempotency.claimIdempotencyKey(owner.id, { ...claim, key: 's2' }, T0);
    await store.idempotency.dropIdempotencyKey(owner.id, 's2');
    assert.deepEqual(
      await store.idempotency.claimIdempotencyKey(owner.id, { ...claim, key: 's2' }, T0),
      { state: 'new' },
      'a dropped key may be used again',
    );
    const swept = await store.housekeeping.reap(T0 + 2000, REAP);
    assert.deepEqual(swept.forgottenMedia, ['media-1']);
    assert.deepEqual(
      await store.idempotency.claimIdempotencyKey(owner.id, claim, T0 + 2000),
      { state: 'new' },
      'expired keys are forgotten',
    );
    await store.close();
  });

  test('cancel releases in full; a running attempt then cannot settle; queue positions', async () => {
    const store = await open();
    const owner = await account(store, 100);
    const jobs = [];
    for (let index = 0; index < 3; index++) {
      const queued = await store.jobs.enqueue(newJob(owner), price(10, 10), T0 + index);
      assert.ok(queued.ok);
      jobs.push(queued.value);
    }
    assert.deepEqual(await Promise.all(jobs.map((job) => store.jobs.queuePosition(job.id))), [0, 1, 2]);
    const [running] = await store.leases.claimJobs('e', 1, 1000, T0 + 10);
    assert.equal(running?.id, jobs[0]!.id);
    assert.deepEqual(await store.jobs.cancelJob(owner.id, jobs[1]!.id, T0 + 20), { outcome: 'cancelled', was: 'queued' });
    assert.equal(await store.jobs.queuePosition(jobs[2]!.id), 0);
    assert.deepEqual(await store.jobs.cancelJob(owner.id, running!.id, T0 + 20), { outcome: 'cancelled', was: 'running' });
    const success = { mediaKey: 'm', mediaBytes: 1, durationSeconds: 1, inferenceMs: 1, expiresAt: T0 + 1e6 };
    assert.equal(await store.leases.completeJob(running!.id, running!.leaseToken!, success, T0 + 30), false, 'fenced');
    assert.deepEqual(await store.jobs.cancelJob(owner.id, running!.id, T0 + 40), { outcome: 'final', state: 'cancelled' });
    assert.equal(await store.jobs.cancelJob(randomUUID(), jobs[2]!.id, T0), undefined, 'foreign');
    assert.deepEqual((await store.ledger.getBalance(owner.id, T0)).usd, { available: 90, held: 10, captured: 0, granted: 100 });
    await assertLedgerInvariants(store);
    await store.close();
  });

  test('webhook outbox: events with the job change, leased claims, retries, delivery log, expiring notices', async () => {
    const store = await open();
    const owner = await account(store, 100);
    const queued = await store.jobs.enqueue({ ...newJob(owner), webhookUrl: 'https://example.com/hook' }, price(10, 10), T0);
    assert.ok(queued.ok);
    const [job] = await store.leases.claimJobs('e', 1, 1000, T0);
    const success = { mediaKey: 'm', mediaBytes: 1, durationSeconds: 2, inferenceMs: 1, expiresAt: T0 + 10_000 };
    assert.ok(await store.leases.completeJob(job!.id, job!.leaseToken!, success, T0));
    const due = await store.webhooks.claimDeliveries(T0, 10, 5000);
    assert.equal(due.length, 1);
    assert.equal(due[0]!.event, 'job.done');
    assert.equal(JSON.parse(due[0]!.payload).data.queue_id, job!.id);
    assert.deepEqual(await store.webhooks.claimDeliveries(T0, 10, 5000), [], 'leased: one sender');
    await store.webhooks.recordDelivery(due[0]!.id, { status: 503, error: 'HTTP 503', nextAttemptAt: T0 + 100 }, T0);
    const again = await store.webhooks.claimDeliveries(T0 + 100, 10, 5000);
    assert.equal(again.length, 1);
    await store.webhooks.recordDelivery(again[0]!.id, { status: 204, error: null, nextAttemptAt: null }, T0 + 100);
    const log = await store.webhooks.listDeliveries(owner.id, job!.id);
    assert.deepEqual(
      log.map((entry) => [entry.state, entry.attempts, entry.lastStatus]),
      [['delivered', 2, 204]],
    );
    assert.deepEqual(await store.webhooks.listDeliveries(randomUUID(), job!.id), []);
    await store.housekeeping.reap(T0 + 1000, { ...REAP, expiringNoticeMs: 9500 });
    await store.housekeeping.reap(T0 + 1001, { ...REAP, expiringNoticeMs: 9500 });
    const notices = (await store.webhooks.listDeliveries(owner.id, job!.id)).filter((entry) => entry.event === 'media.expiring');
    assert.equal(notices.length, 1, 'one notice, however often the reaper runs');
    const secret = await store.accounts.webhookSecret(owner.id, () => 'whsec_first');
    assert.equal(await store.accounts.webhookSecret(owner.id, () => 'whsec_second'), secret);
    await store.close();
  });
}
