import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { withApiAndWorker } from './support/api-and-worker.js';
import { waitForJobsToEnd } from './support/jobs-ended.js';
import { KillRun } from './support/kill-run.js';

// SQLite has one writer at a time: the process whose connection holds the write lock (a group
// commit of enqueues in the API process, claims and settles in a worker process). Here an API
// process and a worker process share one SQLite file, and each is SIGKILLed while it is writing:
// the API mid-burst of group-committed enqueues, the worker while it claims and settles jobs.
// The survivor must go on writing (a dead writer's lock and uncommitted log frames are not left
// behind), every acknowledged job must end once the killed process is back, the money is audited
// as exact integers and SQLite's own integrity check passes.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('SQLite: SIGKILL of the process holding the write lock; the other goes on writing, nothing lost', async () => {
  await withApiAndWorker(async (processes) => {
    const { world } = processes;
    const run = new KillRun(world, 21, processes.api.created?.inference_key as string);

    const dyingApi = processes.api;
    await run.burst(dyingApi, () => dyingApi.kill());
    // The worker alone (no API process) takes the lock to claim and settle what was acknowledged.
    const stopped = await waitForJobsToEnd(world.database, { worker: processes.worker });
    assert.equal(stopped, undefined, `the worker stopped writing after the API's kill: ${stopped}`);

    const api = await processes.restartApi();
    await run.enqueue(api, 12);
    for (let i = 0; i < 2400 && ![...(await run.states()).values()].includes('running'); i++) await sleep(25);
    await processes.worker.kill();
    // The API process takes the lock the dead worker may have held: an enqueue is acknowledged.
    const before = (await run.states()).size;
    await run.enqueue(api, 2);
    assert.ok((await run.states()).size > before, 'the API still commits after the worker was killed');

    await processes.restartWorker();
    await run.replay(api);
    const report = await run.drainAndAudit(5_000_000n, processes.worker);
    assert.deepEqual(run.violations, [], JSON.stringify(report));
    const db = new Database(join(world.directory, 'overture.sqlite'), { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
  });
});
