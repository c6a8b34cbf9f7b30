import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { S3MediaStore, parseS3Url } from '../../src/media/s3-media-store.js';
import { AccountService, type CreatedAccount } from '../../src/services/account-service.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { readMedia } from '../media/media-conformance.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { type ServerChild, freePort, startServer, waitUntilUp } from '../support/child-process.js';
import { freshSchema } from '../support/postgres-schema.js';
import { S3_TEST_CREDENTIALS, startS3Server } from '../support/s3-server.js';
import { toneCatalogFile } from '../support/test-app.js';

const ACCOUNTS = 9;
const QUEUE_LIMIT = 20; // per key per minute, shared through Redis: each account queues exactly this many
const PRICE = 100; // overture-sketch, 1 s: 0.0001 USD in micro-USD
const sketch = { model: 'overture-sketch', prompt: 'a small sketch in C major', duration_seconds: 1 };

const directory = mkdtempSync(join(tmpdir(), 'overture-scale-'));
const children: ServerChild[] = [];
let s3: Awaited<ReturnType<typeof startS3Server>>;
let schema: Awaited<ReturnType<typeof freshSchema>>;
let store: PostgresStore;
before(async () => {
  s3 = await startS3Server();
  await s3.createBucket('media');
  schema = await freshSchema();
  store = new PostgresStore(schema.url);
  await store.migrate();
});
after(async () => {
  // A failure (a timeout too) shows how far the test got and what each process said.
  if (!passed || process.env.OVERTURE_TEST_VERBOSE) {
    process.stderr.write(stages.join(''));
    for (const child of children)
      process.stderr.write(`--- ${child.name} (exit ${child.process.exitCode ?? child.process.signalCode})\n${child.output()}\n`);
  }
  await Promise.all(children.map((child) => child.stop()));
  await store?.close();
  await schema?.drop();
  await s3?.close();
  rmSync(directory, { recursive: true, force: true });
});

let passed = false;
const stages: string[] = [];
const stage = (text: string) => {
  stages.push(`[${new Date().toISOString()}] ${text}\n`);
  if (process.env.OVERTURE_TEST_VERBOSE) process.stderr.write(stages.at(-1) as string);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fetch whose failure names its cause and the state of every child process. The API servers
 * close idle keep-alive connections after 5 s and fetch reuses them for 4 s: on a loaded machine a
 * request can go out on a connection the server has just closed ("other side closed",
 * ECONNRESET). Such a request is sent again, up to three times: `init` must be safe to repeat
 * (a read, or a queue carrying an Idempotency-Key, which the server answers once).
 */
async function request(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt < 3) continue;
      const states = children
        .map((child) => `${child.name}: ${child.process.exitCode ?? child.process.signalCode ?? 'running'}`)
        .join(', ');
      throw new Error(`${url}: ${(error as Error).message} (${String((error as { cause?: unknown }).cause)}); ${states}`);
    }
  }
}

async function queue(port: number, key: string) {
  const response = await request(`http://127.0.0.1:${port}/api/v1/audio/queue`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(sketch),
  });
  return { status: response.status, body: (await response.json()) as { queue_id?: string } };
}

async function retrieve(port: number, key: string, queueId: string): Promise<Buffer> {
  const response = await request(`http://127.0.0.1:${port}/api/v1/audio/retrieve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: sketch.model, queue_id: queueId }),
  });
  assert.equal(response.status, 200, `retrieve ${queueId} on ${port}`);
  assert.match(response.headers.get('content-type') ?? '', /^audio\//);
  return Buffer.from(await response.arrayBuffer());
}

/** Run `work` over `items` with at most `width` in flight. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function countJobs() {
  return store.statistics.countJobs();
}

const STILL_MS = 120_000;

/**
 * Wait until `target` jobs are done, for as long as the workers keep finishing jobs: the wait
 * follows progress, not the machine's speed. Gives up once no job has finished for `STILL_MS`
 * (counted from the call: the workers may still be starting); the caller's counts then tell.
 */
async function doneReaches(target: number): Promise<void> {
  let last = -1;
  let moved = Date.now();
  for (;;) {
    const { done } = await countJobs();
    if (done >= target) return;
    if (done !== last) [last, moved] = [done, Date.now()];
    if (Date.now() - moved >= STILL_MS) return;
    await sleep(100);
  }
}

// The waits below follow progress; the time limit is only a ceiling, just under the runner's ten
// minutes so that this test's own failure (with the stages and the processes' logs) is reported.
test('two API processes and two workers on one PostgreSQL, one S3 and one Redis: exact money, every job once, shared limits', {
  timeout: 590_000,
}, async () => {
  const started = Date.now();
  const service = new AccountService(store, Date.now);
  const accounts: CreatedAccount[] = [];
  for (let i = 0; i < ACCOUNTS + 3; i++) accounts.push(await service.create({ name: `client-${i}`, pro: false, usd: 1, diemDaily: 0 }));
  // Spare accounts for the shared-limit burst: a burst that a window boundary cuts is tried again.
  const spares = accounts.splice(ACCOUNTS);
  const [api1Port, api2Port, healthPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    DATABASE_URL: schema.url,
    MEDIA_URL: `s3://media/scale?endpoint=${s3.endpoint}&region=us-east-1&forcePathStyle=true`,
    REDIS_URL: 'redis://127.0.0.1:6379',
    AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
    OVERTURE_CATALOG: toneCatalogFile(directory),
    OVERTURE_RATE_LIMIT_QUEUE: String(QUEUE_LIMIT),
    OVERTURE_LEASE_SECONDS: '5', // renewed every third of it: a loaded machine's pauses do not lose one
    OVERTURE_SHUTDOWN_GRACE_SECONDS: '1',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const node = (name: string, role: 'api' | 'worker', extra: Record<string, string>) => {
    const child = startServer(name, role, { ...env, OVERTURE_DATA_DIR: join(directory, name), ...extra });
    children.push(child);
    return child;
  };
  const api1 = node('api1', 'api', { PORT: String(api1Port) });
  const api2 = node('api2', 'api', { PORT: String(api2Port) });
  await Promise.all([waitUntilUp(`http://127.0.0.1:${api1Port}/readyz`, api1), waitUntilUp(`http://127.0.0.1:${api2Port}/readyz`, api2)]);
  const ports = [api1Port, api2Port];
  stage('apis up: ' + JSON.stringify(await countJobs()));

  // Concurrent clients, each spread over both API processes.
  const queued: { id: string; key: string }[] = [];
  const queueBatch = (from: number, to: number) =>
    Promise.all(
      accounts.map((account) =>
        inParallel(
          Array.from({ length: to - from }, (_, i) => from + i),
          4,
          async (n) => {
            const { status, body } = await queue(ports[n % 2] as number, account.inference_key);
            assert.equal(status, 200, JSON.stringify(body));
            queued.push({ id: body.queue_id as string, key: account.inference_key });
          },
        ),
      ),
    );
  await queueBatch(0, 10);
  stage('first batch queued: ' + JSON.stringify(await countJobs()));
  await sleep(1200);
  assert.deepEqual(
    { running: (await countJobs()).running, done: (await countJobs()).done },
    { running: 0, done: 0 },
    'API processes never run engines',
  );

  // Workers: given the API's port on purpose — a worker that tried to listen would die on it.
  let worker1 = node('worker1', 'worker', { PORT: String(api1Port) });
  const worker2 = node('worker2', 'worker', { PORT: String(api1Port), OVERTURE_HEALTH_PORT: String(healthPort) });
  const rest = queueBatch(10, QUEUE_LIMIT);
  stage('workers started: ' + JSON.stringify(await countJobs()));

  // Shared limits: a burst on one key through both API processes, inside one window (windows are
  // whole minutes on the wall clock). On a loaded machine a burst can outlast the window it began
  // in; it may then take at most the limit in each window, and the next spare key tries again.
  const limited: { account: CreatedAccount; accepted: number }[] = [];
  let fitted = false;
  for (const account of spares) {
    if (60_000 - (Date.now() % 60_000) < 8000) await sleep(60_000 - (Date.now() % 60_000) + 100);
    const window = Math.floor(Date.now() / 60_000);
    const burst = await Promise.all(
      Array.from({ length: QUEUE_LIMIT * 2 + 10 }, (_, i) => queue(ports[i % 2] as number, account.inference_key)),
    );
    const oneWindow = Math.floor(Date.now() / 60_000) === window;
    const accepted = burst.filter((response) => response.status === 200);
    assert.ok(burst.every((response) => response.status === 200 || response.status === 429));
    for (const response of accepted) queued.push({ id: response.body.queue_id as string, key: account.inference_key });
    limited.push({ account, accepted: accepted.length });
    if (oneWindow) {
      assert.equal(accepted.length, QUEUE_LIMIT, 'the sum accepted by both processes in one window is the limit');
      fitted = true;
      break;
    }
    assert.ok(accepted.length <= 2 * QUEUE_LIMIT, 'at most the limit in each of the two windows');
  }
  assert.ok(fitted, 'one burst fitted in one window');
  await rest;
  stage('all queued: ' + JSON.stringify(await countJobs()));
  const total = ACCOUNTS * QUEUE_LIMIT + limited.reduce((sum, burst) => sum + burst.accepted, 0);
  assert.equal(queued.length, total);

  // Kill one worker with SIGKILL mid-run, then start it again.
  // Workers that start slowly on a loaded machine are still killed mid-run (killed anyway should they stall).
  await doneReaches(total / 4);
  const atKill = await countJobs();
  await worker1.stop('SIGKILL');
  stage('killed: ' + JSON.stringify(await countJobs()));
  await sleep(300);
  worker1 = node('worker1-again', 'worker', { PORT: String(api1Port) });
  await doneReaches(total);
  const counts = await countJobs();
  stage('finished waiting: ' + JSON.stringify(counts));
  assert.equal(counts.done, total, `all done: ${JSON.stringify(counts)}\n${worker1.output()}\n${worker2.output()}`);

  // Every job once: done, sane attempts, captured once at its price.
  const client = new pg.Client({ connectionString: schema.url.replace(/\?.*$/, ''), options: `-c search_path=${schema.schema}` });
  await client.connect();
  const jobs = (await client.query('SELECT id, attempt, media_key, media_bytes FROM jobs')).rows as {
    id: string;
    attempt: number;
    media_key: string;
    media_bytes: string;
  }[];
  const captures = await client.query(`SELECT hold_id, COUNT(*) AS n FROM ledger_entries WHERE kind = 'capture' GROUP BY hold_id`);
  await client.end();
  assert.equal(jobs.length, total);
  assert.ok(
    jobs.every((job) => job.attempt >= 1 && job.attempt <= 3),
    'attempts within the budget',
  );
  const retried = jobs.filter((job) => job.attempt > 1).length;
  assert.ok(retried <= 4, `only jobs running on the killed worker ran again (${retried})`);
  assert.equal(captures.rowCount, total, 'one capture per job');
  assert.ok(captures.rows.every((row) => Number(row.n) === 1));
  await assertLedgerInvariants(store);
  stage('ledger checked: ' + JSON.stringify(await countJobs()));
  assert.equal((await store.ledger.ledgerTotals()).captured, total * PRICE, 'captured = jobs × price');
  for (const account of accounts) assert.equal((await store.ledger.ledgerTotals(account.account_id)).captured, QUEUE_LIMIT * PRICE);
  for (const burst of limited) assert.equal((await store.ledger.ledgerTotals(burst.account.account_id)).captured, burst.accepted * PRICE);

  // Media: byte-exact through both API processes and in the bucket.
  const bucket = new S3MediaStore({
    ...parseS3Url(env.MEDIA_URL),
    client: { ...parseS3Url(env.MEDIA_URL).client, credentials: S3_TEST_CREDENTIALS },
  });
  const byId = new Map(jobs.map((job) => [job.id, job]));
  let sampled = 0;
  await inParallel(queued, 16, async ({ id, key }) => {
    const job = byId.get(id);
    assert.ok(job);
    const [first, second] = await Promise.all([retrieve(api1Port, key, id), retrieve(api2Port, key, id)]);
    assert.equal(first.length, Number(job.media_bytes));
    assert.ok(first.equals(second), 'both API processes serve the same bytes');
    if (sampled++ % 10 === 0)
      assert.ok(first.equals((await readMedia(bucket, job.media_key)) ?? Buffer.alloc(0)), 'the bytes are the bucket object');
  });
  bucket.close();
  stage('media checked: ' + JSON.stringify(await countJobs()));

  const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { role: string }).role, 'worker');
  const elapsed = Date.now() - started;
  process.stdout.write(
    `# multi-process: ${total} jobs, killed worker at ${JSON.stringify(atKill)}, ${retried} ran again, ${elapsed} ms in all\n`,
  );
  passed = true;
});
