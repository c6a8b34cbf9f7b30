import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../support/child-process.js';
import { freshSchema } from '../support/postgres-schema.js';
import { killWorld } from './support/kill-requests.js';
import { KillRun } from './support/kill-run.js';
import { skipWithoutPostgres } from './support/postgres-available.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';

// The serving process itself (API, worker pool, reaper and outbox in one, `--role all`) is
// SIGKILLed mid-burst — enqueues, streamed speech, fast-lane quotes, retrieves in flight — and
// restarted on the same data (once; five times with OVERTURE_FUZZ_LONG=1). Then every enqueue is replayed with its idempotency key,
// the clock moves until every job has ended, and the money is audited as exact integers: every
// acknowledged job is done or failed-and-refunded, no job twice, no hold left open, nothing made
// up or lost.
const ROUNDS = process.env.OVERTURE_FUZZ_LONG === '1' ? 5 : 1;

async function killRun(seed: number, databaseUrl?: string) {
  const world = killWorld(databaseUrl);
  const env = { OVERTURE_CATALOG: world.catalog, OVERTURE_ROLE: 'all', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  let api: ServerProcess | undefined;
  try {
    api = await startServerProcess(world.directory, env);
    const run = new KillRun(world, seed, api.created?.inference_key as string);
    for (let round = 0; round < ROUNDS; round++) {
      const serving: ServerProcess = api;
      await run.burst(serving, () => serving.kill());
      api = await startServerProcess(world.directory, env);
    }
    await run.replay(api);
    const report = await run.drainAndAudit(5_000_000n);
    assert.deepEqual(run.violations, [], `seed ${seed}: ${JSON.stringify(report)}`);
    assert.ok(report.acknowledged > 0, 'some enqueues were acknowledged');
    return report;
  } finally {
    await api?.kill();
    rmSync(world.directory, { recursive: true, force: true });
  }
}

test('SIGKILL of the API process mid-requests on SQLite: restart, every job ends or is refunded, money exact', async () => {
  await killRun(11);
});

test('SIGKILL of the API process mid-requests on PostgreSQL', { skip: await skipWithoutPostgres() }, async () => {
  const schema = await freshSchema();
  try {
    await killRun(12, schema.url);
  } finally {
    await schema.drop();
  }
});

test('a server started on a port already in use exits non-zero instead of serving nothing', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as AddressInfo;
  const directory = mkdtempSync(join(tmpdir(), 'overture-port-'));
  const child = startServer('second', 'all', { PORT: String(port), HOST: '127.0.0.1', OVERTURE_DATA_DIR: directory, LOG_LEVEL: 'silent' });
  try {
    const timer = setTimeout(() => child.process.kill('SIGKILL'), 120_000);
    const [code, signal] = (await once(child.process, 'exit')) as [number | null, NodeJS.Signals | null];
    clearTimeout(timer);
    assert.equal(signal, null, `it did not exit on its own within 120 s:\n${child.output()}`);
    assert.notEqual(code, 0, 'a server that cannot listen fails');
  } finally {
    await child.stop();
    await new Promise((resolve) => taken.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  }
});
