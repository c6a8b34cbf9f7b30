import { waitForMedia } from '../../support/test-app.js';
import { LEASE_MS, MAX_ATTEMPTS, RETENTION_MS, FaultWorld } from './fault-world.js';
import { killWorker, spawnWorker } from './fault-parts.js';
import { Prng } from './prng.js';

/** What one seeded run did, for the report. */
export interface SimulationReport {
  readonly seed: number;
  readonly jobs: Record<string, number>;
  readonly kills: number;
  readonly staleReplays: number;
  readonly mediaFailures: number;
  readonly engineCalls: number;
  readonly milliseconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const model = 'overture-sketch';

/**
 * One seeded run: random operations and faults against the real app, the ledger audited after
 * every step, then a drain with faults off in which every accepted job must end within its retry
 * budget, and final checks of money and media. Throws with the seed and step on a violation.
 */
export async function simulate(
  seed: number,
  options: { steps?: number; kills?: number; databaseUrl?: string } = {},
): Promise<SimulationReport> {
  const started = Date.now();
  const random = new Prng(seed);
  const world = new FaultWorld(seed, options.databaseUrl);
  const bodies: { body: object; key: string; id: string }[] = [];
  let kills = 0;
  let staleReplays = 0;
  let step = 0;
  const fail = (message: string): never => {
    throw new Error(`seed ${seed} step ${step}: ${message} (replay: OVERTURE_FAULT_SEED=${seed})`);
  };
  const audit = async () => {
    const report = await world.audit();
    if (report.violations.length > 0) fail(report.violations.slice(0, 5).join('; '));
    return report;
  };
  await world.start(random.pick([0.0015, 0.004, 1]));
  const t = world.api;
  try {
    if ((options.kills ?? 0) > 0) world.child = await spawnWorker(world.directory, world.catalog, seed, options.databaseUrl);
    for (step = 0; step < (options.steps ?? 40); step++) {
      const roll = random.int(0, 99);
      const pickJob = () => (bodies.length ? random.pick(bodies).id : crypto.randomUUID());
      if (roll < 28) {
        const replay = bodies.length > 0 && random.chance(0.15) ? random.pick(bodies) : undefined;
        const label = `job ${bodies.length}`;
        const body = replay?.body ?? { model, prompt: `a small sketch, ${label}`, duration_seconds: random.int(1, 5) };
        const key = replay?.key ?? `idem-${seed}-${bodies.length}`;
        const response = await t.app.http.inject({
          method: 'POST',
          url: '/api/v1/audio/queue',
          payload: body,
          headers: { authorization: `Bearer ${t.account.inference_key}`, 'idempotency-key': key },
        });
        if (response.statusCode === 200) {
          const id = response.json().queue_id as string;
          if (replay && id !== replay.id) fail('an idempotent replay created a second job');
          if (!replay) {
            world.labels.set(id, label);
            bodies.push({ body, key, id });
          }
        } else if (response.statusCode !== 402) fail(`queue answered ${response.statusCode} ${response.body}`);
      } else if (roll < 36) {
        const response = await t.request('POST', '/api/v1/audio/cancel', { model, queue_id: pickJob() });
        if (response.statusCode !== 200 && response.statusCode !== 404) fail(`cancel answered ${response.statusCode}`);
      } else if (roll < 50) {
        const id = pickJob();
        const response = await t.request('POST', '/api/v1/audio/retrieve', {
          model,
          queue_id: id,
          delete_media_on_completion: random.chance(0.3),
        });
        if (response.statusCode === 200 && response.headers['content-type'] === 'audio/wav') {
          if (
            response.rawPayload.subarray(0, 4).toString() !== 'RIFF' ||
            Number(response.headers['content-length']) !== response.rawPayload.length
          )
            fail(`torn media for ${id}`);
        }
      } else if (roll < 56) {
        const response = await t.request('POST', '/api/v1/audio/complete', { model, queue_id: pickJob() });
        if (response.statusCode !== 200 && response.statusCode !== 404) fail(`complete answered ${response.statusCode}`);
      } else if (roll < 64) {
        world.offset += random.pick([LEASE_MS + 1, 3 * LEASE_MS, 61_000, 61_000, RETENTION_MS + 1]);
      } else if (roll < 72) {
        await t.app.reaper.runOnce();
      } else if (roll < 80) {
        staleReplays += await replayStaleSettles(world, random, fail);
      } else if (roll < 86) {
        await world.toggleSecondPool();
      } else if (roll < 90 && (options.kills ?? 0) > 0) {
        if (world.child) {
          await killWorker(world.child);
          world.child = undefined;
          kills++;
        } else if (kills < (options.kills ?? 0)) world.child = await spawnWorker(world.directory, world.catalog, seed, options.databaseUrl);
      } else {
        await sleep(random.int(0, 30));
      }
      await sleep(random.int(0, 5));
      await audit();
    }
    if (world.child) {
      await killWorker(world.child);
      world.child = undefined;
      kills++;
    }
    world.calm();
    await drain(world, fail);
    const final = await audit();
    const exact = await world.exactAudit();
    if (exact.violations.length > 0) fail(`exact money audit: ${exact.violations.slice(0, 5).join('; ')}`);
    for (const done of final.doneMedia) {
      const opened = await world.disk.open(done.mediaKey);
      if (!opened) fail(`done job ${done.jobId} has no media`);
      const chunks: Buffer[] = [];
      for await (const chunk of opened!.stream) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      if (bytes.length !== done.bytes || opened!.bytes !== done.bytes || bytes.subarray(0, 4).toString() !== 'RIFF')
        fail(`media of ${done.jobId} is not what was reported`);
      const served = await waitForMedia(t, model, done.jobId, t.account.inference_key, 1000);
      if (served.statusCode !== 200 || !served.rawPayload.equals(bytes))
        fail(`retrieve of done ${done.jobId} answered ${served.statusCode}`);
    }
    const total = Object.values(final.jobs).reduce((a, b) => a + b, 0);
    if (total !== bodies.length) fail(`${bodies.length} accepted jobs but ${total} in the store`);
    return {
      seed,
      jobs: final.jobs,
      kills,
      staleReplays,
      mediaFailures: world.media.failures,
      engineCalls: world.chaos.calls(),
      milliseconds: Date.now() - started,
    };
  } finally {
    await world.close();
  }
}

/** Settle with tokens that are no longer current: every call must be refused, whatever the job's state. */
async function replayStaleSettles(world: FaultWorld, random: Prng, fail: (message: string) => never): Promise<number> {
  const store = world.api.app.store;
  let replayed = 0;
  for (let i = 0; i < 3 && world.tokens.length > 0; i++) {
    const seen = random.pick(world.tokens);
    const job = await store.jobs.getJob(world.api.account.account_id, seen.jobId);
    if (!job || job.leaseToken === seen.token) continue;
    const done = await store.leases.completeJob(
      seen.jobId,
      seen.token,
      { mediaKey: `${seen.jobId}-99.wav`, mediaBytes: 1, durationSeconds: 1, inferenceMs: 1, expiresAt: world.now() + RETENTION_MS },
      world.now(),
    );
    const failed = await store.leases.failJob(
      seen.jobId,
      seen.token,
      { status: 500, body: { error: 'x' }, retryable: random.chance(0.5), retryAt: world.now() },
      world.now(),
    );
    const renewed = await store.leases.renewLease(seen.jobId, seen.token, world.now() + LEASE_MS, 0.5, null);
    const returned = await store.leases.returnJob(seen.jobId, seen.token);
    if (done || failed !== 'stale' || renewed || returned) fail(`a stale token of ${seen.jobId} was accepted`);
    // Whether it moved money is judged by the row-level audit after this step (every hold settled
    // once, in the state its job implies); comparing totals here would race the live workers.
    replayed++;
  }
  return replayed;
}

/** Faults off: move the clock past leases and backoffs until every job is final (bounded). */
async function drain(world: FaultWorld, fail: (message: string) => never): Promise<void> {
  const { store } = world.api.app;
  const bound = MAX_ATTEMPTS * 4 + 20;
  // Rounds and real time both: a stale attempt frees its slot only at its next lease renewal, in
  // real time, so on a loaded machine the rounds can run out while jobs still move.
  const started = Date.now();
  for (let round = 0; ; round++) {
    const counts = await store.statistics.countJobs();
    if (counts.queued + counts.running === 0) return;
    if (round > bound && Date.now() - started > 60_000) fail(`jobs never ended: ${JSON.stringify(counts)}`);
    world.offset += 61_000;
    await world.api.app.reaper.runOnce();
    world.api.app.pool?.wake();
    world.second?.app.pool?.wake();
    await sleep(40);
  }
}
