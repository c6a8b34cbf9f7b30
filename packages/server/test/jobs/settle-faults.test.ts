import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Store } from '../../src/ports/store/store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { scriptedAppOptions } from '../support/bound-catalog.js';
import { withLeaseMethod } from '../support/lease-method.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A pino line, as the app writes it. */
type Line = { level: number; msg: string; jobId?: string; err?: { message?: string } };

/**
 * The SQLite store with one lease write that fails once, as a store does when its database is
 * busy past its timeout or its disk fails: the error SQLite gives then.
 */
function failingOnce(store: Store, method: 'completeJob' | 'failJob'): { store: Store; failed: () => boolean } {
  let failed = false;
  const failing = withLeaseMethod(store, method, (original) => async (...args: never[]) => {
    if (failed) return (original as (...args: never[]) => Promise<never>)(...args);
    failed = true;
    throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  });
  return { store: failing, failed: () => failed };
}

const sketch = { model: 'overture-sketch', prompt: 'a small sketch in C major', duration_seconds: 1 };

/** An app whose sketch runs on scripted instance `a`, with a two-second lease and a store that fails `method` once. */
async function faultyApp(method: 'completeJob' | 'failJob') {
  const lines: string[] = [];
  const { scripted, options } = scriptedAppOptions(
    'overture-settle-faults-',
    { picks: (model) => model.id === 'overture-sketch' },
    { env: { OVERTURE_LEASE_SECONDS: '2', OVERTURE_RATE_LIMIT_RETRIEVE: '100000' }, log: lines },
  );
  const inner = new SqliteStore({ path: join(options.directory as string, 'overture.sqlite'), synchronous: 'NORMAL' });
  const faulty = failingOnce(inner, method);
  const t = await startTestApp({ ...options, parts: { ...options.parts, store: faulty.store } });
  const close = async () => {
    await t.close();
    await inner.close();
  };
  return { t, scripted, lines, failed: faulty.failed, close };
}

const usd = async (t: TestApp) => (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json().balances.usd;

/** Run housekeeping (the test app's reaper does not run by itself) until the job ends; bounded. */
async function reapUntilEnded(t: TestApp, id: string) {
  for (let i = 0; i < 1200; i++) {
    const job = await t.app.store.jobs.getJob(t.account.account_id, id);
    if (job && (job.state === 'done' || job.state === 'failed')) return job;
    await t.app.reaper.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`job ${id} did not end within 1,200 housekeeping rounds`);
}

test('a store error while completing a job is no instance failure: the job runs again on the same instance, charged once', async () => {
  const { t, scripted, lines, failed, close } = await faultyApp('completeJob');
  try {
    const price = (await t.request('POST', '/api/v1/audio/quote', { model: sketch.model, duration_seconds: 1 })).json().quote as number;
    const before = await usd(t);
    const id = (await t.request('POST', '/api/v1/audio/queue', sketch)).json().queue_id as string;
    const done = await reapUntilEnded(t, id);
    assert.ok(failed(), 'the completion failed once');
    assert.equal(done.state, 'done');
    assert.ok(done.attempt >= 2, 'the failed completion cost an attempt, not the job');
    assert.ok(
      scripted.calls.every((call) => call.instance === 'a'),
      'nothing failed over',
    );
    const a = t.app.engines.status().find((instance) => instance.name === 'a');
    assert.deepEqual([a?.errors, a?.circuit], [0, 'closed'], 'the instance counts no failure');
    const logged = lines.map((line) => JSON.parse(line) as Line).filter((line) => line.jobId === id && line.level >= 50);
    assert.deepEqual(
      logged.map((line) => [line.msg, line.err?.message]),
      [['job could not be settled', 'database is locked']],
    );
    const media = await t.request('POST', '/api/v1/audio/retrieve', { model: sketch.model, queue_id: id });
    assert.equal(media.headers['content-type'], 'audio/wav');
    assert.deepEqual(
      readdirSync(join(t.directory, 'media')).filter((name) => name.startsWith(id)),
      [`${id}-${done.attempt}.wav`],
      "the unsettled attempt's media went when the job completed",
    );
    assert.equal(Math.round((before - (await usd(t))) * 1e6), Math.round(price * 1e6), 'charged the quote, once');
    await assertLedgerInvariants(t.app.store);
  } finally {
    await close();
  }
});

test('a store error while recording a failed attempt leaves the job to run again, not lost or charged twice', async () => {
  const { t, scripted, failed, close } = await faultyApp('failJob');
  try {
    scripted.script.a = ['fail'];
    const before = await usd(t);
    const id = (await t.request('POST', '/api/v1/audio/queue', sketch)).json().queue_id as string;
    const done = await reapUntilEnded(t, id);
    assert.ok(failed(), 'recording the failure failed once');
    assert.equal(done.state, 'done', 'the next attempt made it');
    assert.ok(scripted.calls.length >= 2);
    assert.ok((await usd(t)) < before, 'charged for the track it got');
    await assertLedgerInvariants(t.app.store);
  } finally {
    await close();
  }
});
