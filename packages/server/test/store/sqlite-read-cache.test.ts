import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { issueKey } from '../../src/services/api-keys.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { request, T0 } from './store-conformance.js';
import { price } from '../support/micro-price.js';
import { micros } from '../../src/domain/money.js';

/** Two stores on one file: two connections, as the server and the CLI (or a second process) are. */
async function twoConnections() {
  const path = join(mkdtempSync(join(tmpdir(), 'overture-read-cache-')), 'test.sqlite');
  const first = new SqliteStore({ path, synchronous: 'NORMAL' });
  await first.migrate();
  const second = new SqliteStore({ path, synchronous: 'NORMAL' });
  const accountId = randomUUID();
  const key = issueKey(accountId, 'INFERENCE', 'k', {});
  await first.accounts.createAccount({ id: accountId, name: 'a', pro: false, diemDaily: micros(0) }, micros(1_000), [key.record], T0);
  const job = { id: randomUUID(), accountId, keyId: key.record.id, modelId: 'm', engine: 'e', request, maxAttempts: 2 };
  assert.ok((await first.jobs.enqueue(job, price(100, 100), T0)).ok);
  return { first, second, accountId, jobId: job.id };
}

test('cached reads see this connection’s own writes at once', async () => {
  const { first, second, accountId, jobId } = await twoConnections();
  assert.equal((await first.jobs.getJob(accountId, jobId))?.state, 'queued');
  assert.equal((await first.ledger.getBalance(accountId, T0)).usd.available, 900);
  const [claimed] = await first.leases.claimJobs('e', 1, 60_000, T0);
  assert.equal(claimed?.id, jobId);
  assert.equal((await first.jobs.getJob(accountId, jobId))?.state, 'running');
  assert.ok(await first.accounts.creditAccount(accountId, micros(500), 'test', T0));
  assert.equal((await first.ledger.getBalance(accountId, T0)).usd.available, 1_400);
  await Promise.all([first.close(), second.close()]);
});

test('cached reads see another connection’s commits from the next turn of the event loop', async () => {
  const { first, second, accountId, jobId } = await twoConnections();
  assert.equal((await first.jobs.getJob(accountId, jobId))?.state, 'queued');
  assert.equal((await first.ledger.getBalance(accountId, T0)).usd.available, 900);
  await nextTurn();
  const [claimed] = await second.leases.claimJobs('e', 1, 60_000, T0);
  assert.equal(claimed?.id, jobId);
  assert.ok(await second.accounts.creditAccount(accountId, micros(500), 'test', T0));
  await nextTurn();
  assert.equal((await first.jobs.getJob(accountId, jobId))?.state, 'running');
  assert.equal((await first.ledger.getBalance(accountId, T0)).usd.available, 1_400);
  assert.equal((await first.jobs.getJob(randomUUID(), jobId))?.state, undefined, 'another account still sees nothing');
  await Promise.all([first.close(), second.close()]);
});
