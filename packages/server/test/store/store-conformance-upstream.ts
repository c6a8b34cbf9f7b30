import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../src/ports/store/store.js';
import type { JobRecord } from '../../src/ports/store/store-records.js';
import { micros } from '../../src/domain/money.js';
import { price } from '../support/micro-price.js';
import type { ConformanceHelpers } from './store-conformance-extensions.js';

const T0 = Date.parse('2026-11-24T10:00:00Z');
const REAP = { orphanHoldMs: 60_000, expiringNoticeMs: 0 };
const LEASE = 1_000_000;
const RETRY = { status: 500, body: { error: 'Inference processing failed' }, retryable: true };

/** The main suite's helpers, with an account's daily DIEM allocation. */
export interface UpstreamHelpers extends ConformanceHelpers {
  account(store: Store, usd: number, diemDaily?: number): Promise<{ id: string; keyId: string }>;
}

/** The Store port's upstream journal on jobs (remote engine instances) and its cost report. */
export function runUpstreamConformance(open: () => Promise<Store>, { account, newJob, assertLedgerInvariants }: UpstreamHelpers) {
  test('upstream notes: fenced, read back, kept across requeue, return and the reaper; latency and cost coalesce', async () => {
    const store = await open();
    const owner = await account(store, 100);
    const queued = await store.jobs.enqueue(newJob(owner, 4), price(10, 10), T0);
    assert.ok(queued.ok);
    assert.equal(queued.value.upstream, null, 'a queued job has no upstream');
    assert.equal((await store.jobs.getJob(owner.id, queued.value.id))?.upstream, null);
    const note = { instance: 'gpu-1', submissionKey: 'sk-1', requestId: null };
    assert.equal(await store.leases.recordUpstream(queued.value.id, 'no-token', note), false, 'a queued job is not running');

    const [first] = await store.leases.claimJobs('e', 1, LEASE, T0);
    assert.ok(first?.leaseToken);
    assert.equal(first.upstream, null);
    assert.equal(await store.leases.recordUpstream(first.id, 'stale', note), false, 'a stale token changes nothing');
    assert.equal((await store.jobs.getJob(owner.id, first.id))?.upstream, null);
    assert.ok(await store.leases.recordUpstream(first.id, first.leaseToken, note));
    const read = async () => (await store.jobs.getJob(owner.id, first.id))?.upstream;
    assert.deepEqual(await read(), { instance: 'gpu-1', submissionKey: 'sk-1', requestId: null, latencyMs: null, costMicros: null });
    assert.ok(await store.leases.recordUpstream(first.id, first.leaseToken, { ...note, requestId: 'req-1', costMicros: micros(120) }));
    assert.deepEqual(await read(), { instance: 'gpu-1', submissionKey: 'sk-1', requestId: 'req-1', latencyMs: null, costMicros: 120 });
    assert.ok(await store.leases.recordUpstream(first.id, first.leaseToken, { ...note, requestId: 'req-1', latencyMs: 900 }));
    const noted = { instance: 'gpu-1', submissionKey: 'sk-1', requestId: 'req-1', latencyMs: 900, costMicros: 120 };
    assert.deepEqual(await read(), noted, 'an absent cost keeps the earlier one');
    await assert.rejects(
      store.leases.recordUpstream(first.id, first.leaseToken, { ...note, costMicros: micros(-1) }),
      'a negative cost is refused',
    );
    assert.deepEqual(await read(), noted, 'a refused note changes nothing');

    assert.equal(await store.leases.failJob(first.id, first.leaseToken, { ...RETRY, retryAt: T0 + 10 }, T0), 'requeued');
    assert.deepEqual((await store.jobs.getJob(owner.id, first.id))?.upstream, noted, 'a requeued job keeps its note');
    const [second] = await store.leases.claimJobs('e', 1, LEASE, T0 + 10);
    assert.equal(second?.attempt, 2);
    assert.deepEqual(second.upstream, noted, 'the next attempt is told what the last one started');
    assert.equal(
      await store.leases.recordUpstream(first.id, first.leaseToken, { ...note, instance: 'gpu-2' }),
      false,
      'the old token is fenced',
    );

    assert.ok(await store.leases.returnJob(second.id, second.leaseToken!));
    const [third] = await store.leases.claimJobs('e', 1, LEASE, T0 + 20);
    assert.equal(third?.attempt, 2);
    assert.deepEqual(third.upstream, noted, 'a returned job keeps its note');

    assert.equal((await store.housekeeping.reap(T0 + 20 + LEASE + 1, REAP)).requeued, 1);
    const [fourth] = await store.leases.claimJobs('e', 1, LEASE, T0 + 3 * LEASE);
    assert.equal(fourth?.attempt, 3);
    assert.deepEqual(fourth.upstream, noted, 'a job whose lease expired keeps its note');

    const resumed = { instance: 'gpu-1', submissionKey: 'sk-1', requestId: 'req-1', latencyMs: 450, costMicros: micros(0) };
    assert.ok(await store.leases.recordUpstream(fourth.id, fourth.leaseToken!, resumed));
    const success = { mediaKey: 'k', mediaBytes: 1, durationSeconds: 1, inferenceMs: 1, expiresAt: T0 + 1e9 };
    assert.ok(await store.leases.completeJob(fourth.id, fourth.leaseToken!, success, T0 + 3 * LEASE + 5));
    const done = await store.jobs.getJob(owner.id, fourth.id);
    assert.equal(done?.state, 'done');
    assert.deepEqual(done.upstream, resumed, 'a zero cost is kept as zero; the done job keeps its note');
    assert.equal(await store.leases.recordUpstream(fourth.id, fourth.leaseToken!, note), false, 'a done job is not running');
    await assertLedgerInvariants(store);
    await store.close();
  });

  test('upstreamCosts: revenue of delivered jobs per currency against the upstream cost of all, within [from, to)', async () => {
    const store = await open();
    const owner = await account(store, 1000, 10);
    /** Enqueue, claim and finish one job of `modelId` at `finishAt`, noting `cost` (if any) upstream. */
    const finish = async (
      modelId: string,
      price: number,
      outcome: 'done' | 'failed' | 'cancelled',
      finishAt: number,
      cost?: number,
      expiresAt = T0 + 1e9,
    ): Promise<JobRecord> => {
      const queued = await store.jobs.enqueue({ ...newJob(owner, 1), modelId }, { usd: micros(price), diem: micros(price) }, T0);
      assert.ok(queued.ok);
      const [job] = await store.leases.claimJobs('e', 1, LEASE, T0);
      assert.equal(job?.id, queued.value.id);
      if (cost !== undefined)
        assert.ok(
          await store.leases.recordUpstream(job.id, job.leaseToken!, {
            instance: 'i',
            submissionKey: 'k',
            requestId: 'r',
            costMicros: micros(cost),
          }),
        );
      if (outcome === 'done')
        assert.ok(
          await store.leases.completeJob(
            job.id,
            job.leaseToken!,
            { mediaKey: job.id, mediaBytes: 1, durationSeconds: 1, inferenceMs: 1, expiresAt },
            finishAt,
          ),
        );
      if (outcome === 'failed')
        assert.equal(await store.leases.failJob(job.id, job.leaseToken!, { ...RETRY, retryable: false, retryAt: 0 }, finishAt), 'failed');
      if (outcome === 'cancelled')
        assert.deepEqual(await store.jobs.cancelJob(owner.id, job.id, finishAt), { outcome: 'cancelled', was: 'running' });
      return job;
    };
    const diem = await finish('b', 10, 'done', T0 + 2000, 7);
    assert.equal(diem.currency, 'diem', 'the day’s DIEM covers the first job');
    const expiring = await finish('b', 20, 'done', T0 + 3000, 5, T0 + 4000);
    assert.equal(expiring.currency, 'usd');
    await finish('b', 30, 'failed', T0 + 4000, 3);
    await finish('a', 40, 'cancelled', T0 + 2500);
    await finish('a', 50, 'done', T0 + 500, 100); // before the period
    await finish('a', 60, 'done', T0 + 10_000, 100); // at its end, which is excluded
    assert.ok((await store.jobs.enqueue({ ...newJob(owner), modelId: 'a' }, price(1, 1), T0)).ok, 'a queued job is not finished');
    assert.equal((await store.housekeeping.reap(T0 + 5000, REAP)).expired, 1);
    assert.equal((await store.jobs.getJob(owner.id, expiring.id))?.state, 'expired');

    assert.deepEqual(await store.statistics.upstreamCosts(T0 + 1000, T0 + 10_000), [
      { modelId: 'a', jobs: 1, delivered: 0, revenueUsd: 0, revenueDiem: 0, upstreamCostUsd: 0 },
      { modelId: 'b', jobs: 3, delivered: 2, revenueUsd: 20, revenueDiem: 10, upstreamCostUsd: 15 },
    ]);
    assert.deepEqual(await store.statistics.upstreamCosts(T0, T0 + 10_001), [
      { modelId: 'a', jobs: 3, delivered: 2, revenueUsd: 110, revenueDiem: 0, upstreamCostUsd: 200 },
      { modelId: 'b', jobs: 3, delivered: 2, revenueUsd: 20, revenueDiem: 10, upstreamCostUsd: 15 },
    ]);
    assert.deepEqual(await store.statistics.upstreamCosts(T0 + 4001, T0 + 10_000), [], 'nothing finished then');
    await assertLedgerInvariants(store);
    await store.close();
  });
}
