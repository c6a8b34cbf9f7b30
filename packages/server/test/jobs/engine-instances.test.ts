import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { scriptedAdapter } from '../support/scripted-adapter.js';
import { startTestApp, type TestApp, toneCatalogFile, waitForMedia } from '../support/test-app.js';

const sketch = { model: 'overture-sketch', prompt: 'a small sketch in C major', duration_seconds: 1 };

/** An app whose sketch and speech rows fail over from instance `a` to `b` of the scripted adapter. */
async function instanceApp(options: { directory?: string; circuit?: object; cost?: object } = {}) {
  const scripted = scriptedAdapter();
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'overture-instances-'));
  const catalog = toneCatalogFile(
    directory,
    (model) => {
      const spec = model.model_spec as Record<string, unknown>;
      if (model.id === 'overture-sketch') Object.assign(model, { engine: ['a', 'b'], model_spec: { ...spec, supported_formats: ['wav'] } });
      if (model.id === 'overture-tts')
        Object.assign(model, { engine: ['a', 'b'], model_spec: { ...spec, supported_formats: ['wav'], default_format: 'wav' } });
    },
    'instances.json',
  );
  const instance = { adapter: 'scripted', url: 'http://127.0.0.1:9', circuit: options.circuit ?? { failures: 2, cooldown_seconds: 3600 } };
  const engines = join(directory, 'engines.json');
  writeFileSync(engines, JSON.stringify({ engines: { tone: { adapter: 'tone' }, a: { ...instance, cost: options.cost }, b: instance } }));
  const t = await startTestApp({
    directory,
    keepDirectory: true,
    // waitForMedia polls every 25 ms: on a loaded machine a slow job must not meet the retrieve limit.
    env: { OVERTURE_CATALOG: catalog, OVERTURE_ENGINES: engines, OVERTURE_ENGINE_THREADS: 'false', OVERTURE_RATE_LIMIT_RETRIEVE: '100000' },
    parts: { adapters: { scripted: scripted.adapter } },
  });
  return { t, scripted, directory };
}

const queue = async (t: TestApp) => (await t.request('POST', '/api/v1/audio/queue', sketch)).json().queue_id as string;
const job = (t: TestApp, id: string) => t.app.store.jobs.getJob(t.account.account_id, id);

test('a failing instance hands the job to the next of its row within the same attempt', async () => {
  const { t, scripted } = await instanceApp({ cost: { usd_per_job: 0.002 } });
  try {
    scripted.script.a = ['fail'];
    const id = await queue(t);
    const media = await waitForMedia(t, 'overture-sketch', id);
    assert.equal(media.headers['content-type'], 'audio/wav');
    assert.deepEqual(
      scripted.calls.map((call) => call.instance),
      ['a', 'b'],
    );
    const done = await job(t, id);
    assert.equal(done?.attempt, 1, 'the failover spent no attempt');
    assert.equal(done?.upstream?.instance, 'b');
    assert.match(String(done?.upstream?.requestId), /^upstream-/);
    assert.equal(done?.upstream?.costMicros, null, 'b has no configured cost');
    scripted.script.a = ['ok'];
    const second = await queue(t);
    await waitForMedia(t, 'overture-sketch', second);
    assert.equal((await job(t, second))?.upstream?.costMicros, 2000, 'a costs $0.002 a job');
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});

test('an instance whose circuit opened is skipped until its cooldown; every instance down leaves jobs queued and charged nothing', async () => {
  const { t, scripted } = await instanceApp();
  try {
    scripted.script.a = ['fail', 'fail'];
    for (let i = 0; i < 2; i++) await waitForMedia(t, 'overture-sketch', await queue(t));
    assert.deepEqual(
      scripted.calls.map((call) => call.instance),
      ['a', 'b', 'a', 'b'],
    );
    assert.equal(t.app.engines.status().find((it) => it.name === 'a')?.circuit, 'open');
    await waitForMedia(t, 'overture-sketch', await queue(t));
    assert.equal(scripted.calls.at(-1)?.instance, 'b', 'a is skipped while open');
    assert.equal(scripted.calls.length, 5);
    scripted.script.b = ['fail', 'fail'];
    const stranded = await queue(t);
    for (let i = 0; i < 6000 && t.app.engines.status().some((it) => it.name === 'b' && it.circuit !== 'open'); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const waiting = await job(t, stranded);
    assert.equal(waiting?.state, 'queued', 'no instance is up: the job waits');
    const calls = scripted.calls.length;
    t.app.pool?.wake();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(scripted.calls.length, calls, 'nothing is sent to instances whose circuit is open');
    const held = await t.request('GET', `/api/v1/audio/status/${stranded}`);
    assert.equal(held.json().state, 'queued');
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});

test('a restarted server resumes the upstream request a stopped attempt recorded, on the same instance', async () => {
  const { t, scripted, directory } = await instanceApp();
  let id: string;
  try {
    scripted.script.a = ['wait'];
    id = await queue(t);
    for (let i = 0; i < 6000 && scripted.waitingCount() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(scripted.waitingCount(), 1);
    const running = await job(t, id);
    assert.equal(running?.upstream?.instance, 'a');
    assert.match(String(running?.upstream?.requestId), /^upstream-/);
  } finally {
    await t.app.close();
  }
  const restarted = await instanceApp({ directory });
  const stopped = restarted.t;
  try {
    const media = await waitForMedia(stopped, 'overture-sketch', id, t.account.inference_key);
    assert.equal(media.statusCode, 200);
    const done = await stopped.app.store.jobs.getJob(t.account.account_id, id);
    assert.equal(done?.upstream?.instance, 'a');
    assert.match(String(done?.upstream?.requestId), /^upstream-1$/, 'the same upstream request, not a new one');
    assert.deepEqual(
      restarted.scripted.calls.map((call) => [call.instance, call.previous?.requestId]),
      [['a', 'upstream-1']],
    );
  } finally {
    await stopped.close();
  }
});

test('an upstream that refuses Overture fails the job at once with a clear error and releases the hold', async () => {
  const { t, scripted } = await instanceApp();
  try {
    scripted.script.a = ['refuse'];
    const id = await queue(t);
    const failed = await waitForMedia(t, 'overture-sketch', id);
    assert.equal(failed.statusCode, 500);
    assert.equal(failed.json().error, 'Inference processing failed');
    assert.match(failed.json().detail, /refused Overture's request \(401\)/);
    assert.deepEqual(
      scripted.calls.map((call) => call.instance),
      ['a'],
      'a refusal is not failed over',
    );
    assert.equal((await job(t, id))?.attempt, 1);
    const balance = (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json();
    assert.equal(balance.balances.usd, 10);
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});

test('speech fails over before its first byte, and answers 503 charging nothing when every instance is down', async () => {
  const { t, scripted } = await instanceApp();
  try {
    const speak = () => t.request('POST', '/api/v1/audio/speech', { model: 'overture-tts', input: 'Hello there.', response_format: 'wav' });
    scripted.script.a = ['fail'];
    const spoken = await speak();
    assert.equal(spoken.statusCode, 200);
    assert.equal(spoken.headers['content-type'], 'audio/wav');
    scripted.script.a = ['busy'];
    assert.equal((await speak()).statusCode, 200, 'an instance at capacity hands the request on');
    assert.deepEqual(
      scripted.calls.slice(-2).map((call) => call.instance),
      ['a', 'b'],
    );
    scripted.script.a = ['policy'];
    const refused = await speak();
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().suggested_prompt, 'a gentler prompt');
    assert.equal(scripted.calls.at(-1)?.instance, 'a', 'a refusal of the request is not failed over');
    scripted.script.a = ['fail'];
    scripted.script.b = ['fail', 'fail'];
    assert.equal((await speak()).statusCode, 503);
    const down = await speak();
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().error, 'The model is at capacity. Please try again later.');
    const balance = (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json();
    assert.ok(balance.balances.usd < 10, 'the spoken request was charged');
    const totals = await t.app.store.ledger.ledgerTotals(t.account.account_id);
    assert.equal(totals.openHolds, 0);
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});

test('a client that leaves a streamed speech answer frees the instance slot and settles the hold at once', async () => {
  const { t, scripted } = await instanceApp();
  await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  try {
    const address = t.app.http.server.address() as { port: number };
    scripted.script.a = ['stream'];
    const client = new AbortController();
    const response = await fetch(`http://127.0.0.1:${address.port}/api/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.account.inference_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'overture-tts', input: 'Hello there.', response_format: 'wav', streaming: true }),
      signal: client.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    assert.equal((await reader.read()).value?.length, 64, 'the first bytes arrived');
    assert.equal(t.app.engines.status().find((it) => it.name === 'a')?.inFlight, 1);
    client.abort();
    const settled = async () =>
      t.app.engines.status().find((it) => it.name === 'a')?.inFlight === 0 &&
      (await t.app.store.ledger.ledgerTotals(t.account.account_id)).openHolds === 0;
    for (let i = 0; i < 6000 && !(await settled()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(await settled(), 'slot given back and hold settled without waiting for the orphan sweep');
    assert.equal(scripted.waitingCount(), 0, 'the engine call was aborted');
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});
