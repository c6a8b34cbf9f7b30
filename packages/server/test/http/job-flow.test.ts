import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hashKey } from '../../src/services/api-keys.js';
import { test } from 'node:test';
import { createToneEngine } from '../../src/engines/tone/tone-engine.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { boundDirectory } from '../support/bound-catalog.js';
import { testEngines } from '../support/test-engines.js';
import { startTestApp, waitForMedia } from '../support/test-app.js';
import { join } from 'node:path';

const sketch = (seconds = 1) => ({ model: 'overture-sketch', prompt: 'a small sketch in C major', duration_seconds: seconds });

/** A data directory whose catalog binds `overture-sketch` to a test engine. */
function directoryWith(engine: string) {
  return boundDirectory('overture-flow-', { picks: (model) => model.id === 'overture-sketch', engine });
}

test('balance headers, retrieve PROCESSING, complete while running, delete on retrieve', async () => {
  const fakes = testEngines();
  const { directory, catalog } = directoryWith('gate');
  const t = await startTestApp({
    directory,
    env: { OVERTURE_CATALOG: catalog },
    parts: { engines: [createToneEngine(), ...fakes.engines] },
  });
  try {
    const queued = await t.request('POST', '/api/v1/audio/queue', sketch(2));
    assert.equal(queued.headers['x-venice-balance-usd'], '9.9998', 'balance after the hold');
    assert.equal(queued.headers['x-ratelimit-limit-requests'], '40');
    const { queue_id, status, model } = queued.json();
    assert.deepEqual([status, model], ['QUEUED', 'overture-sketch']);
    const pending = await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id });
    const body = pending.json();
    assert.equal(body.status, 'PROCESSING');
    assert.ok(Number.isInteger(body.average_execution_time) && body.average_execution_time > 0);
    assert.ok(Number.isInteger(body.execution_duration) && body.execution_duration >= 0);
    assert.deepEqual((await t.request('POST', '/api/v1/audio/complete', { model, queue_id })).json(), { success: false });
    for (let i = 0; i < 3000 && fakes.waitingCount() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    fakes.release();
    const done = await waitForMedia(t, model, queue_id);
    assert.equal(done.headers['content-type'], 'audio/wav');
    assert.equal(done.headers['x-venice-audio-duration'], '1');
    assert.equal(done.headers['x-venice-model-id'], 'overture-sketch');
    assert.equal(Number(done.headers['content-length']), done.rawPayload.length);
    const again = await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id, delete_media_on_completion: true });
    assert.deepEqual(again.rawPayload, done.rawPayload, 'same bytes until deleted');
    const gone = await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id });
    assert.equal(gone.statusCode, 404);
    assert.deepEqual((await t.request('POST', '/api/v1/audio/complete', { model, queue_id })).json(), { success: true });
    assert.equal((await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json().balances.usd, 9.9998);
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});

test('a failed job answers its error on retrieve and costs nothing', async () => {
  const fakes = testEngines();
  for (const [engine, status] of [
    ['broken', 500],
    ['refusing', 422],
  ] as const) {
    const { directory, catalog } = directoryWith(engine);
    const t = await startTestApp({
      directory,
      env: { OVERTURE_CATALOG: catalog, OVERTURE_MAX_ATTEMPTS: '2' },
      parts: { engines: [createToneEngine(), ...fakes.engines] },
    });
    try {
      const { queue_id } = (await t.request('POST', '/api/v1/audio/queue', sketch())).json();
      // Retries wait for their backoff; move the reaper/claims along by polling (bounded).
      const response = await waitForMedia(t, 'overture-sketch', queue_id, undefined, 10_000);
      assert.equal(response.statusCode, status);
      if (status === 500) assert.deepEqual(response.json(), { error: 'Inference processing failed' });
      else assert.equal(response.json().suggested_prompt, 'a gentle song');
      assert.equal((await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json().balances.usd, 10);
      await assertLedgerInvariants(t.app.store);
    } finally {
      await t.close();
    }
  }
  assert.equal(fakes.failures(), 2, 'a retryable failure ran twice, within the attempt budget');
});

test('an engine that hangs and ignores its abort signal is timed out, retried, then failed and refunded', async () => {
  const fakes = testEngines();
  const { directory, catalog } = directoryWith('stuck');
  const t = await startTestApp({
    directory,
    env: {
      OVERTURE_CATALOG: catalog,
      OVERTURE_ATTEMPT_TIMEOUT_SECONDS: '0.2',
      OVERTURE_MAX_ATTEMPTS: '2',
      OVERTURE_SHUTDOWN_GRACE_SECONDS: '0.1',
    },
    parts: { engines: [createToneEngine(), ...fakes.engines] },
  });
  try {
    const { queue_id } = (await t.request('POST', '/api/v1/audio/queue', sketch())).json();
    const answer = await waitForMedia(t, 'overture-sketch', queue_id, undefined, 15_000);
    assert.deepEqual([answer.statusCode, answer.json()], [500, { error: 'Inference processing failed' }]);
    assert.equal((await t.request('GET', `/api/v1/audio/status/${queue_id}`)).json().attempt, 2);
    assert.equal((await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json().balances.usd, 10);
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});

test('concurrent enqueues against a small balance: exactly the affordable number, never negative', async () => {
  const t = await startTestApp({ usd: 0.001, env: { OVERTURE_RATE_LIMIT_QUEUE: '1000' } });
  try {
    const responses = await Promise.all(Array.from({ length: 40 }, () => t.request('POST', '/api/v1/audio/queue', sketch(1))));
    const statuses = responses.map((response) => response.statusCode);
    assert.equal(statuses.filter((status) => status === 200).length, 10, 'price 0.0001 each, balance 0.001');
    assert.equal(statuses.filter((status) => status === 402).length, 30);
    assert.match(responses.find((r) => r.statusCode === 402)!.json().error, /^Insufficient USD or Diem balance/);
    assert.equal(
      (await t.app.store.statistics.countJobs()).queued +
        (await t.app.store.statistics.countJobs()).running +
        (await t.app.store.statistics.countJobs()).done,
      10,
    );
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});

test('a job survives a SIGKILL mid-run: another process runs it again and money moves once', async () => {
  const fakes = testEngines();
  const { directory, catalog } = directoryWith('gate');
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/crash-child.ts'), directory, catalog], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.includes('\n')) resolve(buffer.split('\n')[0] as string);
    });
    child.once('exit', () => reject(new Error('child exited early')));
    setTimeout(() => reject(new Error('child did not start')), 30_000).unref();
  });
  const { queue_id, key, running } = JSON.parse(line);
  assert.equal(running, 1, 'the job was running when the process died');
  child.kill('SIGKILL');
  await once(child, 'exit');
  // The child's lease was 0.3 s; this process keeps the default, so its own attempt is never reaped here.
  const env = { OVERTURE_CATALOG: catalog };
  const second = await startTestApp({ directory, env, parts: { engines: [createToneEngine(), ...fakes.engines] } });
  try {
    for (let i = 0; i < 1500 && fakes.waitingCount() === 0; i++) {
      await second.app.reaper.runOnce();
      second.app.pool?.wake();
      await new Promise((r) => setTimeout(r, 20));
    }
    fakes.release();
    const done = await waitForMedia(second, 'overture-sketch', queue_id, key);
    assert.equal(done.statusCode, 200);
    const owner = await second.app.store.accounts.findKeyByHash(hashKey(key));
    const job = await second.app.store.jobs.getJob(owner!.account.id, queue_id);
    assert.equal(job?.attempt, 2, 'run again after the lost lease');
    assert.equal((await second.app.store.ledger.ledgerTotals(owner!.account.id)).captured, 100, 'captured once: 1 s x 0.0001 USD');
    await assertLedgerInvariants(second.app.store);
  } finally {
    await second.close();
  }
});

test('media expires after the retention TTL: retrieve then answers 404', async () => {
  let offset = 0;
  const t = await startTestApp({ env: { OVERTURE_MEDIA_RETENTION_HOURS: '1' }, parts: { now: () => Date.now() + offset } });
  try {
    const { queue_id } = (await t.request('POST', '/api/v1/audio/queue', sketch())).json();
    assert.equal((await waitForMedia(t, 'overture-sketch', queue_id)).statusCode, 200);
    offset = 3_600_001;
    await t.app.reaper.runOnce();
    const expired = await t.request('POST', '/api/v1/audio/retrieve', { model: 'overture-sketch', queue_id });
    assert.equal(expired.statusCode, 404);
    assert.equal((await t.request('POST', '/api/v1/audio/complete', { model: 'overture-sketch', queue_id })).statusCode, 404);
    assert.deepEqual(await t.app.store.housekeeping.listMediaToPurge(10), [], 'the bytes were deleted');
  } finally {
    await t.close();
  }
});

test('rate limits per key and route family, with Retry-After', async () => {
  const t = await startTestApp({ env: { OVERTURE_RATE_LIMIT_RETRIEVE: '3' } });
  try {
    const body = { model: 'overture-sketch', queue_id: '00000000-0000-4000-8000-000000000000' };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.request('POST', '/api/v1/audio/retrieve', body)).statusCode);
    assert.deepEqual(statuses, [404, 404, 404, 429]);
    const limited = await t.request('POST', '/api/v1/audio/retrieve', body);
    assert.deepEqual(limited.json(), { error: 'Rate limit exceeded' });
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal(limited.headers['x-ratelimit-remaining-requests'], '0');
    assert.equal((await t.request('POST', '/api/v1/audio/queue', sketch())).statusCode, 200, 'other families are separate');
  } finally {
    await t.close();
  }
});
