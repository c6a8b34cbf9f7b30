import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openMedia, openRateLimiter, openStore } from '../../src/app/adapters.js';
import { loadConfig } from '../../src/app/config.js';
import { FsMediaStore } from '../../src/media/fs-media-store.js';
import { S3MediaStore } from '../../src/media/s3-media-store.js';
import { MemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter.js';
import { RedisRateLimiter, randomRatePrefix } from '../../src/rate-limit/redis-rate-limiter.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { freshSchema } from '../support/postgres-schema.js';
import { S3_TEST_CREDENTIALS, startS3Server } from '../support/s3-server.js';
import { startTestApp, waitForMedia } from '../support/test-app.js';

const directory = mkdtempSync(join(tmpdir(), 'overture-adapters-'));
let s3: Awaited<ReturnType<typeof startS3Server>>;
let schema: Awaited<ReturnType<typeof freshSchema>>;
before(async () => {
  s3 = await startS3Server();
  await s3.createBucket('media');
  schema = await freshSchema();
  process.env.AWS_ACCESS_KEY_ID = S3_TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3_TEST_CREDENTIALS.secretAccessKey;
});
after(async () => {
  await s3.close();
  await schema.drop();
  rmSync(directory, { recursive: true, force: true });
});

test('adapters are chosen by the URL scheme, defaults are the embedded ones, bad URLs are refused', async () => {
  const defaults = loadConfig({ OVERTURE_DATA_DIR: directory });
  const sqlite = await openStore(defaults);
  assert.ok(sqlite instanceof SqliteStore);
  await sqlite.close();
  assert.ok((await openMedia(defaults)) instanceof FsMediaStore);
  assert.ok((await openRateLimiter(defaults)) instanceof MemoryRateLimiter);
  const shared = loadConfig({
    OVERTURE_DATA_DIR: directory,
    DATABASE_URL: schema.url,
    MEDIA_URL: `s3://media/app?endpoint=${s3.endpoint}&forcePathStyle=true`,
    REDIS_URL: 'redis://127.0.0.1:6379',
  });
  const postgres = await openStore(shared);
  assert.ok(postgres instanceof PostgresStore);
  await postgres.close();
  const media = await openMedia(shared);
  assert.ok(media instanceof S3MediaStore);
  media.close();
  const limiter = await openRateLimiter(shared);
  assert.ok(limiter instanceof RedisRateLimiter);
  await limiter.close?.();
  assert.ok((await openMedia(loadConfig({ MEDIA_URL: `file://${directory}/elsewhere` }))) instanceof FsMediaStore);
  const explicitSqlite = await openStore(loadConfig({ DATABASE_URL: `sqlite:${directory}/other.sqlite` }));
  assert.ok(explicitSqlite instanceof SqliteStore);
  await explicitSqlite.close();
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ MEDIA_URL: 'gs://bucket' }), /MEDIA_URL/);
  assert.throws(() => loadConfig({ REDIS_URL: 'memcached://x' }), /REDIS_URL/);
  await assert.rejects(openStore(loadConfig({ DATABASE_URL: 'postgres://h/db?schema=Robert%27;DROP' })), /schema name/);
});

test('one app on PostgreSQL, S3 and Redis: a job is queued, run, stored in the bucket, retrieved and paid exactly', async () => {
  const t = await startTestApp({
    env: {
      DATABASE_URL: schema.url,
      MEDIA_URL: `s3://media/app?endpoint=${s3.endpoint}&forcePathStyle=true`,
      REDIS_URL: 'redis://127.0.0.1:6379',
    },
    parts: { limiter: new RedisRateLimiter({ url: 'redis://127.0.0.1:6379', prefix: randomRatePrefix() }) },
  });
  try {
    assert.ok(t.app.store instanceof PostgresStore);
    const queued = await t.request('POST', '/api/v1/audio/queue', {
      model: 'overture-sketch',
      prompt: 'a small sketch in C major',
      duration_seconds: 1,
    });
    assert.equal(queued.statusCode, 200, queued.body);
    const { queue_id, model } = queued.json();
    const done = await waitForMedia(t, model, queue_id);
    assert.equal(done.statusCode, 200);
    assert.ok(done.rawPayload.length > 1000, 'audio bytes came back from the bucket');
    const job = await t.app.store.jobs.getJob(t.account.account_id, queue_id);
    assert.equal(job?.state, 'done');
    assert.equal(job?.mediaBytes, done.rawPayload.length);
    await assertLedgerInvariants(t.app.store, t.account.account_id);
    const totals = await t.app.store.ledger.ledgerTotals(t.account.account_id);
    assert.equal(totals.captured, job?.price);
    const deleting = await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id, delete_media_on_completion: true });
    assert.equal(deleting.rawPayload.length, done.rawPayload.length, 'the whole file, once more');
    const gone = await waitForMedia(t, model, queue_id);
    assert.equal(gone.statusCode, 404, 'deleted once it was sent in full');
  } finally {
    await t.close();
  }
});
