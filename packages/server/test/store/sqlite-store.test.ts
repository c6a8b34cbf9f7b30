import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { issueKey } from '../../src/services/api-keys.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { request, runStoreConformance, T0 } from './store-conformance.js';
import { price } from '../support/micro-price.js';
import { micros } from '../../src/domain/money.js';

runStoreConformance('sqlite', async () => {
  const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'overture-store-')), 'test.sqlite'), synchronous: 'NORMAL' });
  await store.migrate();
  return store;
});

test('sqlite: a new job is announced when its group commits, before its acknowledgement; a refusal is not', async () => {
  const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'overture-store-')), 'full.sqlite'), synchronous: 'FULL' });
  await store.migrate();
  const id = randomUUID();
  const key = issueKey(id, 'INFERENCE', 'k');
  await store.accounts.createAccount({ id, name: 'a', pro: false, diemDaily: micros(0) }, micros(100), [key.record], T0);
  const events: string[] = [];
  const unsubscribe = store.onJobQueued((engine) => events.push(`announced ${engine}`));
  const job = { id: randomUUID(), accountId: id, keyId: key.record.id, modelId: 'm', engine: 'e', request, maxAttempts: 1 };
  const first = await store.jobs.enqueue(job, price(60, 60), T0).then((outcome) => {
    events.push('acknowledged');
    return outcome;
  });
  assert.ok(first.ok);
  assert.deepEqual(events, ['announced e', 'acknowledged']);
  const refused = await store.jobs.enqueue({ ...job, id: randomUUID(), engine: 'refused' }, price(60, 60), T0);
  assert.deepEqual(refused, { ok: false, reason: 'insufficient_balance' });
  unsubscribe();
  assert.ok((await store.jobs.enqueue({ ...job, id: randomUUID() }, price(1, 1), T0)).ok);
  assert.deepEqual(events, ['announced e', 'acknowledged'], 'nothing after a refusal or unsubscribing');
  await store.close();
});
