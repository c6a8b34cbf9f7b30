import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import type { Store } from '../../src/ports/store/store.js';
import { issueKey } from '../../src/services/api-keys.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { freshSchema, TEST_DATABASE_URL } from '../support/postgres-schema.js';
import { assertLedgerInvariants, runStoreConformance } from './store-conformance.js';
import { price } from '../support/micro-price.js';
import { micros } from '../../src/domain/money.js';

const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const drop of drops) await drop();
});

/** A store on its own new schema, dropped when the file's tests end. */
async function openStore(): Promise<PostgresStore> {
  const { url, drop } = await freshSchema();
  drops.push(drop);
  const store = new PostgresStore(url);
  await store.migrate();
  return store;
}

runStoreConformance('postgres', openStore);

test('postgres: migrations run once even when several processes start together', async () => {
  const { url, drop } = await freshSchema();
  drops.push(drop);
  const stores = [new PostgresStore(url), new PostgresStore(url), new PostgresStore(url)];
  await Promise.all(stores.map((store) => store.migrate()));
  await stores[0]!.migrate();
  assert.equal(await stores[1]!.accounts.countAccounts(), 0);
  await Promise.all(stores.map((store) => store.close()));
});

/** A one-attempt job for the `tone` engine. */
const toneJob = (owner: { id: string; keyId: string }) => ({
  id: randomUUID(),
  accountId: owner.id,
  keyId: owner.keyId,
  modelId: 'm',
  engine: 'tone',
  request: {} as never,
  maxAttempts: 1,
});

test('postgres: an enqueue committed by one store wakes listeners of another (LISTEN/NOTIFY)', async () => {
  const { url, drop } = await freshSchema();
  drops.push(drop);
  const worker = new PostgresStore(url);
  const api = new PostgresStore(url);
  await api.migrate();
  const woken: string[] = [];
  const unsubscribe = worker.onJobQueued((engine) => woken.push(engine));
  await worker.listening();
  const owner = await account(api, 100);
  const job = toneJob(owner);
  assert.ok((await api.jobs.enqueue(job, price(1, 1), Date.now())).ok);
  const refused = await api.jobs.enqueue({ ...job, id: randomUUID(), engine: 'refused' }, price(1000, 1000), Date.now());
  assert.equal(refused.ok, false);
  const deadline = Date.now() + 5000;
  while (!woken.includes('tone') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(woken.includes('tone'), 'notified on commit');
  assert.ok(!woken.includes('refused'), 'a refused enqueue notifies nobody');
  unsubscribe();
  await Promise.all([worker.close(), api.close()]);
});

test('postgres: a key limit holds exactly under concurrent reserves', async () => {
  const store = await openStore();
  const id = randomUUID();
  const key = issueKey(id, 'INFERENCE', 'k', { usd: 0.0005 }); // 500 micro-USD per epoch
  await store.accounts.createAccount({ id, name: 'a', pro: false, diemDaily: micros(0) }, micros(10_000), [key.record], 0);
  const outcomes = await Promise.all(Array.from({ length: 40 }, () => store.ledger.reserve(id, key.record.id, price(100, 100), 1000)));
  assert.equal(outcomes.filter((outcome) => outcome.ok).length, 5);
  assert.ok(outcomes.every((outcome) => outcome.ok || outcome.reason === 'consumption_limit'));
  assert.deepEqual(await store.ledger.keyUsage(key.record.id, 1000), { usd: 500, diem: 0 });
  const first = outcomes.find((outcome) => outcome.ok);
  assert.ok(first?.ok && (await store.ledger.settleHold(first.value.holdId, 'release', 1000)));
  assert.deepEqual(await store.ledger.keyUsage(key.record.id, 1000), { usd: 400, diem: 0 }, 'a release gives the usage back');
  await assertLedgerInvariants(store);
  await store.close();
});

test('postgres: many concurrent claimers take each job once and contended reserves never overspend', async () => {
  const store = await openStore();
  const owner = await account(store, 10_000);
  const enqueued = await Promise.all(
    Array.from({ length: 150 }, () =>
      store.jobs.enqueue(
        { id: randomUUID(), accountId: owner.id, keyId: owner.keyId, modelId: 'm', engine: 'e', request: {} as never, maxAttempts: 1 },
        price(100, 100),
        1000,
      ),
    ),
  );
  assert.equal(enqueued.filter((outcome) => outcome.ok).length, 100);
  const claims = await Promise.all(Array.from({ length: 20 }, () => store.leases.claimJobs('e', 7, 60_000, 1000)));
  const ids = claims.flat().map((job) => job.id);
  assert.equal(new Set(ids).size, ids.length, 'no job claimed twice');
  const rest = await store.leases.claimJobs('e', 1000, 60_000, 1000);
  assert.equal(ids.length + rest.length, 100);
  await Promise.all(
    [...claims.flat(), ...rest].map((job) =>
      store.leases.completeJob(
        job.id,
        job.leaseToken!,
        { mediaKey: job.id, mediaBytes: 1, durationSeconds: 1, inferenceMs: 1, expiresAt: 1e12 },
        2000,
      ),
    ),
  );
  assert.deepEqual((await store.ledger.getBalance(owner.id, 1000)).usd, { available: 0, held: 0, captured: 10_000, granted: 10_000 });
  await assertLedgerInvariants(store);
  await store.close();
});

test('postgres: racing enqueues with one idempotency key create one job and one hold; the rest replay it', async () => {
  const store = await openStore();
  const owner = await account(store, 1000);
  const idempotency = { key: 'same-key', requestHash: 'h1', expiresAt: 1e12 };
  const job = () => ({
    id: randomUUID(),
    accountId: owner.id,
    keyId: owner.keyId,
    modelId: 'm',
    engine: 'e',
    request: {} as never,
    maxAttempts: 1,
    idempotency,
  });
  const outcomes = await Promise.all(Array.from({ length: 12 }, () => store.jobs.enqueue(job(), price(100, 100), 1000)));
  assert.ok(outcomes.every((outcome) => outcome.ok));
  const ids = new Set(outcomes.map((outcome) => (outcome.ok ? outcome.value.id : '')));
  assert.equal(ids.size, 1);
  assert.equal(outcomes.filter((outcome) => outcome.ok && !outcome.replayed).length, 1);
  const mismatch = await store.jobs.enqueue({ ...job(), idempotency: { ...idempotency, requestHash: 'h2' } }, price(100, 100), 1000);
  assert.deepEqual(mismatch, { ok: false, reason: 'idempotency_mismatch' });
  assert.equal((await store.ledger.getBalance(owner.id, 1000)).usd.held, 100);
  const poor = { key: 'poor', requestHash: 'h', expiresAt: 1e12 };
  assert.deepEqual(await store.jobs.enqueue({ ...job(), idempotency: poor }, price(5000, 5000), 1000), {
    ok: false,
    reason: 'insufficient_balance',
  });
  assert.ok((await store.jobs.enqueue({ ...job(), idempotency: poor }, price(10, 10), 1000)).ok, 'a refused request does not keep its key');
  const claims = await Promise.all(
    Array.from({ length: 6 }, () =>
      store.idempotency.claimIdempotencyKey(owner.id, { key: 'speech', requestHash: 's', expiresAt: 1e12 }, 1000),
    ),
  );
  assert.equal(claims.filter((claim) => claim.state === 'new').length, 1);
  await assertLedgerInvariants(store);
  await store.close();
});

test('postgres: a claim commits without waiting for its WAL flush, and only the claim', async () => {
  const { url, drop } = await freshSchema();
  drops.push(drop);
  const single = new URL(url);
  single.searchParams.set('pool', '1');
  const store = new PostgresStore(single.toString());
  await store.migrate();
  const owner = await account(store, 100);
  const job = toneJob(owner);
  assert.ok((await store.jobs.enqueue(job, price(10, 10), 1000)).ok);
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${single.searchParams.get('schema')}` });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`SELECT * FROM overture_claim('none', 1000, 1, 2000)`);
  assert.equal((await client.query('SHOW synchronous_commit')).rows[0].synchronous_commit, 'off', 'relaxed inside the claim transaction');
  await client.query('COMMIT');
  await client.end();
  const [claimed] = await store.leases.claimJobs('tone', 1, 60_000, 1000);
  assert.equal(claimed?.id, job.id);
  const pool = (store as unknown as { pool: pg.Pool }).pool;
  assert.equal(
    (await pool.query('SHOW synchronous_commit')).rows[0].synchronous_commit,
    'on',
    'the pooled connection is synchronous again',
  );
  const success = { mediaKey: 'k', mediaBytes: 1, durationSeconds: 1, inferenceMs: 1, expiresAt: 10_000 };
  assert.ok(await store.leases.completeJob(job.id, claimed.leaseToken as string, success, 2000));
  assert.equal(await store.leases.completeJob(job.id, claimed.leaseToken as string, success, 2000), false, 'settles once');
  assert.equal((await store.ledger.getBalance(owner.id, 2000)).usd.captured, 10);
  await assertLedgerInvariants(store);
  await store.close();
});

async function account(store: Store, usd: number) {
  const id = randomUUID();
  const key = issueKey(id, 'INFERENCE', 'k');
  await store.accounts.createAccount({ id, name: 'a', pro: false, diemDaily: micros(0) }, micros(usd), [key.record], 0);
  return { id, keyId: key.record.id };
}
