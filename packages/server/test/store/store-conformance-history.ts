import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../src/ports/store/store.js';
import type { ConformanceHelpers } from './store-conformance-extensions.js';
import { price } from '../support/micro-price.js';

const T0 = Date.parse('2026-12-07T10:00:00Z');

/** The Store port's job history: an account's jobs, newest first, a page at a time. */
export function runHistoryConformance(open: () => Promise<Store>, { account, newJob }: Pick<ConformanceHelpers, 'account' | 'newJob'>) {
  test('job history: newest first, paged by cursor without gaps or repeats, only the account’s own', async () => {
    const store = await open();
    const owner = await account(store, 100);
    const other = await account(store, 100);
    const times = [T0, T0 + 5, T0 + 5, T0 + 5, T0 + 9, T0 + 20];
    const ids: string[] = [];
    for (const time of times) {
      const queued = await store.jobs.enqueue(newJob(owner), price(1, 1), time);
      assert.ok(queued.ok);
      ids.push(queued.value.id);
    }
    const foreign = await store.jobs.enqueue(newJob(other), price(1, 1), T0 + 7);
    assert.ok(foreign.ok);

    const expected = times
      .map((createdAt, index) => ({ createdAt, id: ids[index] as string }))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .map((entry) => entry.id);
    const seen: string[] = [];
    let after: { createdAt: number; id: string } | null = null;
    for (let page = 0; page < 10; page++) {
      const jobs = await store.jobs.listJobs(owner.id, 4, after);
      assert.ok(jobs.length <= 4);
      for (const job of jobs) assert.equal(job.accountId, owner.id, 'another account’s job is never listed');
      seen.push(...jobs.map((job) => job.id));
      if (jobs.length < 4) break;
      const last = jobs[jobs.length - 1]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    assert.deepEqual(seen, expected, 'every job once, newest first, ties broken by id');

    const [newest] = await store.jobs.listJobs(owner.id, 1, null);
    assert.deepEqual(newest, await store.jobs.getJob(owner.id, newest!.id), 'a listed job is the record a read returns');
    assert.deepEqual(await store.jobs.listJobs(owner.id, 5, { createdAt: T0, id: expected[expected.length - 1]! }), []);
    assert.deepEqual(
      (await store.jobs.listJobs(other.id, 10, null)).map((job) => job.id),
      [foreign.value.id],
    );
    assert.deepEqual(await store.jobs.listJobs('no-such-account', 10, null), []);
    await store.close();
  });
}
