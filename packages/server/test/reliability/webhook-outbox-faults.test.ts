import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { exactAudit, rowsOf } from './support/exact-money-audit.js';
import { killWorld, post } from './support/kill-requests.js';
import { type ServerProcess, setClock, startServerProcess } from './support/server-process.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

// The webhook outbox under faults, on a real server process: the receiver first fails every
// delivery, then holds one open without answering while the server is SIGKILLed mid-delivery,
// then recovers. After a restart and the clock moved past the delivery lease and the retry
// delays, every event of the outbox must be delivered (acknowledged at least once, with the same
// `webhook-id` on every retry), none given up, and the outbox drained; the money stays exact.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const JOBS = 6;

test('webhook outbox: a failing, then hanging receiver and a kill mid-delivery; every event arrives', async () => {
  const world = killWorld();
  const receiver = await startWebhookReceiver();
  const env = { OVERTURE_CATALOG: world.catalog, OVERTURE_WEBHOOK_ALLOW_PRIVATE: 'true', OVERTURE_WEBHOOK_RETRY_BASE_SECONDS: '1' };
  let server: ServerProcess | undefined;
  let offset = 0;
  const advance = (ms: number) => setClock(world.directory, (offset += ms));
  const until = async (what: string, check: () => boolean | Promise<boolean>, step = () => undefined as unknown) => {
    for (let i = 0; !(await check()); i++) {
      assert.ok(i < 400, `never happened: ${what}`);
      step();
      await sleep(100);
    }
  };
  try {
    receiver.mood = 'fail';
    server = await startServerProcess(world.directory, env);
    const key = server.created?.inference_key as string;
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const body = { model: 'overture-sketch', prompt: `a sketch ${i}`, duration_seconds: 1, webhook_url: receiver.url };
      const answer = await post(server.port, '/api/v1/audio/queue', body, key);
      assert.equal(answer?.status, 200, answer?.bytes.toString());
      ids.push(JSON.parse(answer!.bytes.toString()).queue_id);
    }
    // The last job is likely still queued behind the others; if it already ran, it has no cancel event.
    const cancel = await post(server.port, '/api/v1/audio/cancel', { model: 'overture-sketch', queue_id: ids.at(-1) }, key);
    await until('the failing receiver is tried for every job', () => new Set(receiver.received.map((r) => r.queueId)).size >= JOBS);

    receiver.mood = 'hang';
    await until(
      'a delivery is held open by the receiver',
      () => receiver.hanging() > 0,
      () => advance(60_000),
    );
    const inFlight = receiver.received.filter((r) => r.answered === 'none').map((r) => r.id);
    const dying: ServerProcess = server;
    await dying.kill();

    receiver.mood = 'ok';
    server = await startServerProcess(world.directory, env);
    const pending = async () =>
      Number((await rowsOf(world.database, "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE state = 'pending'"))[0]?.n);
    await until(
      'the outbox drains',
      async () => (await pending()) === 0,
      () => advance(3 * 60_000),
    );

    const rows = await rowsOf(world.database, 'SELECT id, job_id, event, state FROM webhook_deliveries');
    const acknowledged = receiver.acknowledged();
    assert.deepEqual(receiver.malformed, []);
    assert.ok(rows.length >= JOBS, `one event per job at least: ${rows.length}`);
    for (const row of rows) {
      assert.equal(row.state, 'delivered', `delivery ${row.id} (${row.event}) is ${row.state}`);
      assert.ok(acknowledged.has(String(row.id)), `delivery ${row.id} (${row.event}) was never acknowledged`);
    }
    for (const id of inFlight) assert.ok(acknowledged.has(id), `the delivery cut off by the kill (${id}) arrived later`);
    const ended = rows.filter((row) => /^job\./.test(String(row.event))).map((row) => String(row.job_id));
    for (const id of ids) assert.ok(ended.includes(id), `job ${id} has its final event`);
    // A job that had already ended answers 200 too, with `success: false`: only a cancel that took has an event.
    if (cancel?.status === 200 && JSON.parse(cancel.bytes.toString()).success === true)
      assert.ok(
        rows.some((row) => row.job_id === ids.at(-1) && row.event === 'job.cancelled'),
        'the cancel has its event',
      );
    assert.deepEqual((await exactAudit(world.database, { ended: true })).violations, []);
  } finally {
    await server?.kill();
    await receiver.close();
    rmSync(world.directory, { recursive: true, force: true });
  }
});
