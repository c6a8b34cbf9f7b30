import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { withApiAndWorker } from './support/api-and-worker.js';
import { waitForJobsToEnd } from './support/jobs-ended.js';
import { KillRun } from './support/kill-run.js';

// A worker-role process serves no HTTP: while it has no job to run, only its worker pool's poll
// timer keeps it alive. Were that timer unref'd, the process would exit (code 0, nothing logged)
// as soon as it was idle, and jobs enqueued afterwards would wait for a worker that is gone.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('an idle worker process keeps running and claims jobs enqueued later', async () => {
  await withApiAndWorker(async ({ world, api, worker }) => {
    // Without a hold on the process it exits within a second or two of going idle.
    const exit = once(worker.child, 'exit').then(([code, signal]) => `exited (code ${code}, signal ${signal})`);
    const idleFor = await Promise.race([exit, sleep(10_000).then(() => 'running')]);
    assert.equal(idleFor, 'running', `the idle worker process ${idleFor}:\n${worker.output()}`);

    const run = new KillRun(world, 5, api.created?.inference_key as string);
    await run.enqueue(api, 3);
    // Progress-based: fails when the worker exits, or no job has moved for a long while (a loaded machine is slow).
    const stopped = await waitForJobsToEnd(world.database, { worker });
    assert.equal(stopped, undefined, `the idle worker did not run the jobs enqueued later: ${stopped}`);
  });
});
