import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { killWorld } from './support/kill-requests.js';
import { KillRun } from './support/kill-run.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';

// A worker-role process serves no HTTP: while it has no job to run, only its worker pool's poll
// timer keeps it alive. Were that timer unref'd, the process would exit (code 0, nothing logged)
// as soon as it was idle, and jobs enqueued afterwards would wait for a worker that is gone.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('an idle worker process keeps running and claims jobs enqueued later', async () => {
  const world = killWorld();
  const env = (role: string) => ({ OVERTURE_CATALOG: world.catalog, OVERTURE_ROLE: role });
  let api: ServerProcess | undefined;
  let worker: ServerProcess | undefined;
  try {
    api = await startServerProcess(world.directory, env('api'));
    worker = await startServerProcess(world.directory, env('worker'));
    const idle: ServerProcess = worker;
    // Without a hold on the process it exits within a second or two of going idle.
    const exit = once(idle.child, 'exit').then(([code, signal]) => `exited (code ${code}, signal ${signal})`);
    const idleFor = await Promise.race([exit, sleep(10_000).then(() => 'running')]);
    assert.equal(idleFor, 'running', `the idle worker process ${idleFor}:\n${idle.output()}`);

    const run = new KillRun(world, 5, api.created?.inference_key as string);
    await run.enqueue(api, 3);
    // Progress-based: fail only when no job has moved for a long while (a loaded machine is slow).
    let last = '';
    let still = 0;
    for (;;) {
      const states = [...(await run.states()).values()].sort().join(',');
      if (!/queued|running/.test(states)) break;
      assert.equal(idle.child.exitCode, null, `the worker process exited with jobs waiting (${states}):\n${idle.output()}`);
      still = states === last ? still + 1 : 0;
      last = states;
      assert.ok(still < 480, `no job moved for 120 s: ${states}\n${idle.output()}`);
      await sleep(250);
    }
  } finally {
    await api?.kill();
    await worker?.kill();
    rmSync(world.directory, { recursive: true, force: true });
  }
});
