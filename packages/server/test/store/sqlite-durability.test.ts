import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { issueKey } from '../../src/services/api-keys.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { request, T0 } from './store-conformance.js';
import { price } from '../support/micro-price.js';
import { micros } from '../../src/domain/money.js';

test('fully synced stores enqueue and settle on a file (WAL fsync off the event loop) and in memory (no log)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'overture-durable-'));
  for (const path of [join(directory, 'test.sqlite'), ':memory:']) {
    const store = new SqliteStore({ path });
    await store.migrate();
    const accountId = randomUUID();
    const key = issueKey(accountId, 'INFERENCE', 'k', {});
    await store.accounts.createAccount({ id: accountId, name: 'a', pro: false, diemDaily: micros(0) }, micros(1_000), [key.record], T0);
    const job = { id: randomUUID(), accountId, keyId: key.record.id, modelId: 'm', engine: 'e', request, maxAttempts: 2 };
    assert.ok((await store.jobs.enqueue(job, price(100, 100), T0)).ok, path);
    const [claimed] = await store.leases.claimJobs('e', 1, 60_000, T0);
    const done = { mediaKey: 'k', mediaBytes: 1, durationSeconds: 1, inferenceMs: 1, expiresAt: T0 + 1 };
    assert.equal(await store.leases.completeJob(job.id, claimed?.leaseToken as string, done, T0), true, path);
    assert.deepEqual((await store.ledger.getBalance(accountId, T0)).usd, { available: 900, held: 0, captured: 100, granted: 1_000 });
    await store.close();
  }
});
