// A gateway Overture (a child process) resells an upstream Overture (real HTTP, in this process)
// through the `venice` adapter. Its worker is killed with SIGKILL mid-job and started again: the
// restarted process must RESUME the upstream job the dead one submitted, never submit (and pay)
// a second time — whether the dead one had learned the upstream's queue id, or only recorded
// the submission key and was still waiting for the upstream's answer. No fake anywhere but the
// upstream's engine, which the test holds until it says go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { decodeWav } from '../support/audio-decode.js';
import {
  type Gateway,
  SKETCH,
  SKETCH_MICROS,
  type Upstream,
  callGateway,
  prepareGateway,
  retrieveWhenDone,
  startUpstream,
  until,
} from '../support/gateway-setup.js';

const QUEUE = '/api/v1/audio/queue';
const RETRIEVE = '/api/v1/audio/retrieve';
const COMPLETE = '/api/v1/audio/complete';

/** Run a case with an upstream and a gateway; on failure, print every gateway child's output. */
async function withServers(work: (upstream: Upstream, gateway: Gateway) => Promise<void>): Promise<void> {
  const upstream = await startUpstream();
  let gateway: Gateway | undefined;
  try {
    gateway = await prepareGateway(upstream);
    await work(upstream, gateway);
  } catch (error) {
    if (gateway) process.stderr.write(`\n${gateway.diagnostics()}\n`);
    throw error;
  } finally {
    await gateway?.close();
    await upstream.close();
  }
}

/** Queue the client's sketch on the gateway: its queue id. */
async function queueOnGateway(gateway: Gateway): Promise<string> {
  const response = await callGateway(gateway, '/audio/queue', SKETCH);
  const body = (await response.json()) as { queue_id?: string };
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.queue_id as string;
}

/**
 * The rest of both cases, once the restarted gateway runs the job: let the upstream engine go,
 * fetch the audio as the client, and check that the upstream did one job for the gateway, that
 * each side charged once, and that the upstream's copy was completed once the gateway stored it.
 */
async function finishAndCheck(upstream: Upstream, gateway: Gateway, jobId: string, submissionKey: string, upstreamJobId: string) {
  const state = () => `gateway row: ${JSON.stringify(gateway.row(jobId))}\n${gateway.diagnostics()}`;
  upstream.release();
  const media = await retrieveWhenDone(gateway, jobId);
  const bytes = new Uint8Array(await media.arrayBuffer());
  assert.equal(media.status, 200, `${new TextDecoder().decode(bytes.subarray(0, 500))}\n${state()}`);
  assert.equal(media.headers.get('content-type'), 'audio/wav');
  assert.equal(media.headers.get('x-venice-audio-format'), 'wav');
  const audio = decodeWav(bytes);
  const seconds = (audio.channels[0]?.length ?? 0) / audio.sampleRate;
  assert.ok(Math.abs(seconds - 1) < 0.05, `one second of audio decodes (${seconds} s)`);

  // The gateway settled, then completed the upstream job: its media is gone upstream.
  const upstreamJob = () => upstream.t.app.store.jobs.getJob(upstream.account.account_id, upstreamJobId);
  await until(async () => (await upstreamJob())?.mediaDeletedAt != null, 'the upstream job to be completed by the gateway', state);
  assert.equal((await upstreamJob())?.state, 'done');
  assert.equal(upstream.received.get(COMPLETE), 1, 'one /audio/complete');
  // `/audio/complete` marks the media deleted, then deletes the bytes.
  await until(
    async () => (await upstream.t.app.store.housekeeping.listMediaToPurge(10)).length === 0,
    'the upstream to delete the bytes',
    state,
  );

  // One upstream job, charged once to the gateway's account.
  assert.equal(upstream.jobsOf(upstream.account.account_id), 1, 'the upstream ran exactly one job for the gateway');
  const upstreamMoney = await upstream.t.app.store.ledger.ledgerTotals(upstream.account.account_id);
  assert.equal(upstreamMoney.captured, SKETCH_MICROS, 'the gateway paid the upstream once');
  assert.equal(upstreamMoney.captureEntries, SKETCH_MICROS);
  assert.equal(upstreamMoney.openHolds, 0);
  await assertLedgerInvariants(upstream.t.app.store);

  // The gateway's own books, read once its process is stopped.
  await Promise.all(gateway.children.map((child) => child.stop()));
  const store = await gateway.openStore();
  try {
    const job = await store.jobs.getJob(gateway.client.account_id, jobId);
    assert.equal(job?.state, 'done');
    assert.equal(job?.attempt, 2, 'the restarted process ran the second attempt');
    assert.equal(job?.upstream?.instance, 'upstream');
    assert.equal(job?.upstream?.submissionKey, submissionKey, 'the submission key recorded before the kill');
    assert.equal(job?.upstream?.requestId, upstreamJobId, 'the upstream job submitted before the kill');
    assert.equal((await store.statistics.countJobs()).done, 1);
    const money = await store.ledger.ledgerTotals(gateway.client.account_id);
    assert.equal(money.captured, SKETCH_MICROS, 'the client was charged once');
    assert.equal(money.captureEntries, SKETCH_MICROS);
    assert.equal(money.openHolds, 0);
    assert.equal((await store.ledger.getBalance(gateway.client.account_id, Date.now())).usd.available, 1_000_000 - SKETCH_MICROS);
    await assertLedgerInvariants(store);
  } finally {
    await store.close();
  }
}

test('kill -9 of a gateway while the upstream runs its job: the restarted gateway resumes it by queue id, one submission', {
  timeout: 180_000,
}, async () => {
  await withServers(async (upstream, gateway) => {
    const started = Date.now();
    const first = await gateway.start('gateway');
    const jobId = await queueOnGateway(gateway);
    const state = () => `gateway row: ${JSON.stringify(gateway.row(jobId))}\n${gateway.diagnostics()}`;

    // The upstream runs the job, and the gateway knows the upstream's queue id.
    await until(() => upstream.running() === 1 && gateway.row(jobId)?.upstream_request_id != null, 'the upstream job to run', state);
    const before = gateway.row(jobId);
    assert.equal(before?.state, 'running');
    assert.equal(before?.attempt, 1);
    assert.equal(before?.upstream_instance, 'upstream');
    const submissionKey = before?.upstream_key as string;
    const upstreamJobId = before?.upstream_request_id as string;
    assert.ok(submissionKey.startsWith(`${jobId}.`), submissionKey);
    assert.deepEqual(
      upstream.queueAnswers.map((answer) => [answer.idempotencyKey, answer.status, answer.replayed, answer.queueId]),
      [[submissionKey, 200, false, upstreamJobId]],
    );

    await first.stop('SIGKILL');
    const retrievesAtKill = upstream.received.get(RETRIEVE) ?? 0;
    await gateway.start('gateway-restarted');

    // The restarted process reclaims the job (lease lost) and polls the same upstream job.
    await until(
      () => (gateway.row(jobId)?.attempt ?? 0) >= 2 && (upstream.received.get(RETRIEVE) ?? 0) > retrievesAtKill + 1,
      'the restarted gateway to resume the upstream job',
      state,
    );
    assert.equal(upstream.running(), 1, 'the upstream job is still the one running');
    await finishAndCheck(upstream, gateway, jobId, submissionKey, upstreamJobId);
    assert.equal(upstream.received.get(QUEUE), 1, 'the upstream received one queue request in all');
    assert.equal(upstream.queueAnswers.length, 1);
    process.stdout.write(`# gateway killed mid-job: resumed by queue id in ${Date.now() - started} ms\n`);
  });
});

test('kill -9 of a gateway after it recorded the submission key, before the upstream answered: the key is resent, one upstream job', {
  timeout: 180_000,
}, async () => {
  await withServers(async (upstream, gateway) => {
    const started = Date.now();
    // The upstream creates the job but its answer never reaches the first gateway process.
    const letAnswersGo = upstream.holdQueueAnswers(1);
    const first = await gateway.start('gateway');
    const jobId = await queueOnGateway(gateway);
    const state = () => `gateway row: ${JSON.stringify(gateway.row(jobId))}\n${gateway.diagnostics()}`;

    await until(() => upstream.held() === 1 && upstream.running() === 1, 'the upstream to create the job and hold its answer', state);
    const before = gateway.row(jobId);
    assert.equal(before?.state, 'running');
    assert.equal(before?.attempt, 1);
    const submissionKey = before?.upstream_key as string;
    assert.ok(submissionKey?.startsWith(`${jobId}.`), 'the key was recorded before it was sent');
    assert.equal(before?.upstream_request_id, null, 'the gateway never learned the upstream queue id');
    assert.equal(upstream.jobsOf(upstream.account.account_id), 1);
    const [held] = upstream.queueAnswers;
    assert.equal(held?.idempotencyKey, submissionKey);
    assert.equal(held?.replayed, false);
    const upstreamJobId = held?.queueId as string;

    await first.stop('SIGKILL');
    letAnswersGo(); // to a connection that is gone
    await gateway.start('gateway-restarted');

    // The restarted process resends the recorded key; the upstream answers the same job.
    await until(() => gateway.row(jobId)?.upstream_request_id != null, 'the restarted gateway to learn the upstream queue id', state);
    assert.equal(gateway.row(jobId)?.upstream_key, submissionKey, 'the same submission key');
    assert.equal(gateway.row(jobId)?.upstream_request_id, upstreamJobId, 'the upstream job created before the kill');
    assert.deepEqual(
      upstream.queueAnswers.map((answer) => [answer.idempotencyKey, answer.status, answer.replayed, answer.queueId]),
      [
        [submissionKey, 200, false, upstreamJobId],
        [submissionKey, 200, true, upstreamJobId],
      ],
      'the second queue request carried the same Idempotency-Key and was a replay',
    );
    assert.equal(upstream.jobsOf(upstream.account.account_id), 1);
    await finishAndCheck(upstream, gateway, jobId, submissionKey, upstreamJobId);
    assert.equal(upstream.received.get(QUEUE), 2, 'two queue requests, one key');
    process.stdout.write(`# gateway killed before the upstream answered: key resent, one job, in ${Date.now() - started} ms\n`);
  });
});
