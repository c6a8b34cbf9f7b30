import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsMediaStore } from '../../src/media/fs-media-store.js';
import { test } from 'node:test';
import { waitForMedia } from '../support/test-app.js';
import { SKETCH_MICROS, withAppOn, assertLedgerInvariants, queueDone, queueOne, sketch, until } from './support/reliability-app.js';
import { auditSqlite } from './support/sqlite-audit.js';

const model = 'overture-sketch';

test('1,000 concurrent queue requests against a balance that covers 100: exactly 100 jobs', () =>
  withAppOn('gate', { usd: 0.01 }, async (t) => {
    const responses = await Promise.all(Array.from({ length: 1000 }, () => t.request('POST', '/api/v1/audio/queue', sketch(1))));
    const statuses = responses.map((response) => response.statusCode);
    assert.equal(statuses.filter((status) => status === 200).length, 100);
    assert.equal(statuses.filter((status) => status === 402).length, 900);
    const ids = new Set(responses.filter((r) => r.statusCode === 200).map((r) => r.json().queue_id));
    assert.equal(ids.size, 100, 'a distinct job per accepted request');
    const totals = await t.app.store.ledger.ledgerTotals();
    assert.equal(totals.available, 0);
    assert.equal(totals.held + totals.captured, 100 * SKETCH_MICROS);
    const audit = await auditSqlite(t.directory);
    assert.deepEqual(audit.violations, []);
    assert.equal(
      Object.values(audit.jobs).reduce((a, b) => a + b, 0),
      100,
    );
    await assertLedgerInvariants(t.app.store);
  }));

test('two keys of one account spending at once share one balance: exactly what it covers', () =>
  withAppOn('gate', { usd: 0.01 }, async (t) => {
    const created = await t.request('POST', '/api/v1/api_keys', { apiKeyType: 'INFERENCE', description: 'second' }, t.account.admin_key);
    assert.equal(created.statusCode, 200, created.body);
    const second = created.json().data.apiKey as string;
    const both = Array.from({ length: 300 }, (_, i) =>
      t.request('POST', '/api/v1/audio/queue', sketch(1), i % 2 === 0 ? t.account.inference_key : second),
    );
    const responses = await Promise.all(both);
    assert.equal(responses.filter((r) => r.statusCode === 200).length, 100);
    assert.ok(responses.every((r) => r.statusCode === 200 || r.statusCode === 402));
    assert.deepEqual((await auditSqlite(t.directory)).violations, []);
    await assertLedgerInvariants(t.app.store);
  }));

test('concurrent retrieves with delete_media_on_completion: exactly one gets the bytes', () =>
  withAppOn('tone', {}, async (t) => {
    for (let round = 0; round < 5; round++) {
      const { queueId, media: first } = await queueDone(t);
      assert.equal(first.statusCode, 200);
      const responses = await Promise.all(
        Array.from({ length: 40 }, () =>
          t.request('POST', '/api/v1/audio/retrieve', { model, queue_id: queueId, delete_media_on_completion: true }),
        ),
      );
      const served = responses.filter((r) => r.statusCode === 200);
      assert.equal(served.length, 1, `round ${round}: one winner`);
      assert.deepEqual(served[0]!.rawPayload, first.rawPayload, 'the whole file');
      assert.ok(
        responses.every((r) => r.statusCode === 200 || r.statusCode === 404),
        'the others are 404',
      );
      await until(async () => (await t.app.store.housekeeping.listMediaToPurge(10)).length === 0, 30_000, 'purge');
      assert.equal(existsSync(join(t.directory, 'media', `${queueId}-1.wav`)), false, 'bytes deleted after sending');
    }
    await assertLedgerInvariants(t.app.store);
  }));

test('complete racing retrieve: the retrieve gets the whole file or a 404, never a 5xx or a torn body', () =>
  withAppOn('tone', {}, async (t) => {
    for (let round = 0; round < 120; round++) {
      const { queueId, media: reference } = await queueDone(t);
      const racers = [
        ...Array.from({ length: 3 }, () => t.request('POST', '/api/v1/audio/retrieve', { model, queue_id: queueId })),
        t.request('POST', '/api/v1/audio/complete', { model, queue_id: queueId }),
        ...Array.from({ length: 3 }, () => t.request('POST', '/api/v1/audio/retrieve', { model, queue_id: queueId })),
      ];
      const responses = await Promise.all(racers);
      assert.deepEqual(responses[3]!.json(), { success: true });
      for (const response of [...responses.slice(0, 3), ...responses.slice(4)]) {
        assert.ok(
          response.statusCode === 200 || response.statusCode === 404,
          `round ${round}: ${response.statusCode} ${response.body.slice(0, 100)}`,
        );
        if (response.statusCode === 200) assert.deepEqual(response.rawPayload, reference.rawPayload);
      }
      const after = await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id: queueId });
      assert.equal(after.statusCode, 404);
    }
    await until(async () => (await t.app.store.housekeeping.listMediaToPurge(100)).length === 0, 30_000, 'purge');
    await assertLedgerInvariants(t.app.store);
  }));

test('a media read opened before a delete still streams the whole file (the race of complete and retrieve, made exact)', async () => {
  const media = new FsMediaStore(mkdtempSync(join(tmpdir(), 'overture-media-')));
  const writer = await media.create('job-1.wav');
  await writer.write(new Uint8Array(300_000).fill(7));
  await writer.commit();
  const opened = await media.open('job-1.wav');
  assert.ok(opened);
  await media.delete('job-1.wav');
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  assert.equal(Buffer.concat(chunks).length, opened.bytes);
  assert.equal(await media.open('job-1.wav'), undefined, 'gone for the next reader');
});

test('cancel racing completion: money moves once, and the answer says which won', () =>
  withAppOn('gate', { usd: 1 }, async (t, fakes) => {
    let cancelledWins = 0;
    let doneWins = 0;
    for (let round = 0; round < 10; round++) {
      const ids = await Promise.all(Array.from({ length: 4 }, () => queueOne(t)));
      await until(() => fakes.waitingCount() === 4, 30_000, 'four running');
      const cancels = ids.map((queue_id, i) =>
        new Promise((resolve) => setTimeout(resolve, (round + i) % 4)).then(() =>
          t.request('POST', '/api/v1/audio/cancel', { model, queue_id }),
        ),
      );
      fakes.release();
      const answers = (await Promise.all(cancels)).map((r) => r.json());
      for (const [i, queue_id] of ids.entries()) {
        const answer = answers[i]!;
        await until(
          async () => !['queued', 'running'].includes((await t.request('GET', `/api/v1/audio/status/${queue_id}`)).json().state),
          30_000,
          'final',
        );
        const status = (await t.request('GET', `/api/v1/audio/status/${queue_id}`)).json();
        if (answer.success) {
          cancelledWins++;
          assert.equal(status.state, 'cancelled');
          assert.equal((await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id })).statusCode, 404);
        } else {
          doneWins++;
          assert.equal(answer.state, 'done');
          assert.equal(status.state, 'done');
        }
      }
      await until(() => t.app.pool?.active === 0, 30_000, 'idle pool');
    }
    const audit = await auditSqlite(t.directory);
    assert.deepEqual(audit.violations, []);
    assert.equal(audit.jobs.done ?? 0, doneWins);
    assert.equal(audit.jobs.cancelled ?? 0, cancelledWins);
    const totals = await t.app.store.ledger.ledgerTotals();
    assert.equal(totals.captured, doneWins * SKETCH_MICROS, 'only completed jobs are paid for');
    assert.equal(totals.held, 0);
    await assertLedgerInvariants(t.app.store);
  }));

test('a job reclaimed by the same pool after a lost lease: both attempts are tracked, the old one stops, money moves once', async () => {
  let offset = 0;
  await withAppOn('gate', { env: { OVERTURE_LEASE_SECONDS: '0.3' }, parts: { now: () => Date.now() + offset } }, async (t, fakes) => {
    const queueId = await queueOne(t);
    await until(() => fakes.waitingCount() === 1, 30_000, 'first attempt running');
    offset += 10_000;
    await t.app.reaper.runOnce();
    offset += 5_000;
    t.app.pool?.wake();
    await until(() => fakes.waitingCount() === 2, 30_000, 'second attempt running in the same pool');
    // The old attempt notices at its next renewal; housekeeping is stopped, so the new one keeps its lease.
    await until(() => t.app.pool?.active === 1, 30_000, 'the old attempt to stop');
    assert.equal(t.app.pool?.active, 1, 'the old attempt lost its lease and stopped; the new one is still tracked');
    fakes.release();
    assert.equal((await waitForMedia(t, model, queueId)).statusCode, 200);
    await until(() => t.app.pool?.active === 0, 30_000, 'idle');
    assert.equal((await t.app.store.ledger.ledgerTotals()).captured, SKETCH_MICROS);
    assert.deepEqual((await auditSqlite(t.directory)).violations, []);
  });
});
