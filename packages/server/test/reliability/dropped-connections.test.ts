import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openMedia } from '../../src/app/adapters.js';
import { scriptedAppOptions } from '../support/bound-catalog.js';
import { type DroppableCall, postOverSocket } from '../support/socket-post.js';
import { startTestApp, waitForMedia } from '../support/test-app.js';
import { exactAuditSqlite } from './support/exact-money-audit.js';
import { Prng } from './support/prng.js';
import { appOn, queueOne } from './support/reliability-app.js';

// Clients that vanish mid-request over a real socket (127.0.0.1, port 0), in a seeded mix: streamed
// speech dropped after its first bytes, speech dropped before its answer, bodies cut off mid-upload,
// downloads (with and without delete_media_on_completion) dropped after the first chunk. The orphan
// sweep never runs here, so every hold a request took must be settled by the request itself; and
// paid media must survive every partial download. OVERTURE_FUZZ_LONG=1 drops five times as many.
const DROPS = process.env.OVERTURE_FUZZ_LONG === '1' ? 60 : 12;
const BIG = 32 << 20; // far more than loopback socket buffers hold, so a drop is always mid-body

/** Wait for the first body chunk (or the end), then destroy the connection. */
async function dropAfterFirstChunk(call: DroppableCall): Promise<number | undefined> {
  const response = await call.response;
  if (response)
    await new Promise((resolve) => {
      for (const event of ['data', 'end', 'close']) response.once(event, resolve);
    });
  call.request.destroy();
  return response?.statusCode;
}

test('dropped connections: every request hold settles without the sweep, paid media survives', async () => {
  const random = new Prng(77);
  const { test: t } = await appOn('tone', { usd: 100 });
  try {
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.http.server.address() as { port: number }).port;
    const key = t.account.inference_key;
    const model = 'overture-sketch';
    const done: string[] = [];
    for (let i = 0; i < 2; i++) {
      const id = await queueOne(t);
      assert.equal((await waitForMedia(t, model, id)).statusCode, 200);
      const job = await t.app.store.jobs.getJob(t.account.account_id, id);
      const writer = await (await openMedia(t.app.config)).create(job?.mediaKey as string);
      for (let mb = 0; mb < BIG >> 20; mb++) await writer.write(new Uint8Array(1 << 20).fill(mb));
      await writer.commit();
      done.push(id);
    }
    const speech = (streaming: boolean) => ({
      model: 'overture-tts',
      input: 'Every hold settles, whoever hangs up. '.repeat(random.int(1, 60)),
      voice: 'oscar',
      response_format: 'wav',
      streaming,
    });
    const seen: string[] = [];
    for (let i = 0; i < DROPS; i++) {
      const kind = random.pick(['streamed speech', 'speech before answer', 'upload cut', 'download', 'enqueue unanswered']);
      seen.push(kind);
      if (kind === 'streamed speech') await dropAfterFirstChunk(postOverSocket(port, '/api/v1/audio/speech', speech(true), key));
      else if (kind === 'speech before answer') postOverSocket(port, '/api/v1/audio/speech', speech(false), key).request.destroy();
      else if (kind === 'upload cut') {
        const call = postOverSocket(port, random.pick(['/api/v1/audio/speech', '/api/v1/audio/queue']), speech(false), key, {
          sent: random.int(0, 40),
        });
        await new Promise((resolve) => setTimeout(resolve, random.int(0, 20)));
        call.request.destroy();
      } else if (kind === 'download') {
        const body = { model, queue_id: random.pick(done), delete_media_on_completion: random.chance(0.5) };
        assert.equal(await dropAfterFirstChunk(postOverSocket(port, '/api/v1/audio/retrieve', body, key)), 200);
      } else postOverSocket(port, '/api/v1/audio/queue', { model, prompt: 'cut off', duration_seconds: 1 }, key).request.destroy();
      await new Promise((resolve) => setTimeout(resolve, random.int(0, 30)));
    }
    const connections = () => new Promise<number>((resolve) => t.app.http.server.getConnections((_error, count) => resolve(count)));
    const path = join(t.directory, 'overture.sqlite');
    let last: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const jobs = await t.app.store.statistics.countJobs();
      last = (await exactAuditSqlite(path, { quiet: true })).violations;
      if ((await connections()) === 0 && jobs.queued + jobs.running === 0 && last.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(last, [], `holds left open after ${seen.join(', ')}`);
    for (const id of done) {
      const again = await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id: id });
      assert.equal(again.statusCode, 200, `paid media of ${id} survived partial downloads`);
      assert.equal(again.rawPayload.length, BIG);
    }
    assert.deepEqual((await exactAuditSqlite(path, { quiet: true, ended: true })).violations, []);
  } finally {
    await t.close();
  }
});

test('dropped speech whose engine never ends on its own is stopped and settled by the drop itself', async () => {
  const random = new Prng(78);
  // Speech on a scripted upstream that answers only when released (never, here) or aborted.
  const { scripted, options } = scriptedAppOptions('overture-drop-', { picks: (model) => model.id === 'overture-tts', wavDefault: true });
  const t = await startTestApp(options);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.http.server.address() as { port: number }).port;
    let delivered = 0n;
    for (let i = 0; i < DROPS / 2; i++) {
      const streaming = random.chance(0.5);
      const step = streaming && random.chance(0.5) ? 'stream' : 'wait';
      scripted.script.a = [step];
      const body = { model: 'overture-tts', input: 'Never finished on its own.', streaming };
      const call = postOverSocket(port, '/api/v1/audio/speech', body, t.account.inference_key);
      for (let j = 0; j < 1000 && scripted.waitingCount() === 0; j++) await sleep(10);
      assert.equal(scripted.waitingCount(), 1, 'the upstream holds the request');
      const held = BigInt((await t.app.store.ledger.ledgerTotals(t.account.account_id)).held);
      if (step === 'stream') {
        await dropAfterFirstChunk(call);
        delivered += held;
      } else call.request.destroy();
      let pending = true;
      for (let j = 0; j < 1000 && pending; j++) {
        pending = scripted.waitingCount() > 0 || (await t.app.store.ledger.ledgerTotals(t.account.account_id)).openHolds > 0;
        if (pending) await sleep(10);
      }
      assert.ok(!pending, `drop ${i} (${step}): the engine was stopped and the hold settled without the engine ending`);
    }
    const audit = await exactAuditSqlite(join(t.directory, 'overture.sqlite'), { quiet: true, ended: true });
    assert.deepEqual(audit.violations, []);
    assert.equal(audit.totals.captured, delivered, 'only speech whose bytes reached the client is charged');
  } finally {
    await t.close();
  }
});
