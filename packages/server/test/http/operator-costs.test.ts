import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fromMicros, micros } from '../../src/domain/money.js';
import type { JobRecord } from '../../src/ports/store/store-records.js';
import { buildIfStale } from '../cli/cli-harness.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const TOKEN = 'operator-token-for-cost-tests';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** "Now" for the reports: the default period is the 30 days before it. */
const T = Date.parse('2026-06-01T00:00:00Z');
const bin = join(resolve(import.meta.dirname, '../../../..'), 'packages/server/bin/overture.js');

let clock = T - 41 * DAY;
let t: TestApp;
let baseUrl: string;
/** The price of the old `overture-music` job, in micro-USD (read from its job, not assumed). */
let musicPrice: number;

/**
 * Queue a job through the API, claim it as a worker would (the app runs no workers: API role),
 * note what its upstream charged and finish it at `finishAt`.
 */
async function finishJob(options: {
  model: string;
  seconds: number;
  finishAt: number;
  outcome: 'done' | 'failed';
  costMicros: number;
  key?: string;
}): Promise<JobRecord> {
  clock = options.finishAt - 60_000;
  const body = { model: options.model, prompt: 'a short sketch in C major', duration_seconds: options.seconds };
  const queued = await t.request('POST', '/api/v1/audio/queue', body, options.key);
  assert.equal(queued.statusCode, 200, queued.body);
  const [job] = await t.app.store.leases.claimJobs('tone', 1, 10 * 60_000, clock);
  assert.equal(job?.id, queued.json().queue_id);
  const token = job.leaseToken as string;
  const note = { instance: 'tone', submissionKey: null, requestId: `upstream-${job.id}`, costMicros: micros(options.costMicros) };
  assert.ok(await t.app.store.leases.recordUpstream(job.id, token, note));
  if (options.outcome === 'done') {
    const success = {
      mediaKey: `media/${job.id}`,
      mediaBytes: 1,
      durationSeconds: options.seconds,
      inferenceMs: 1,
      expiresAt: T + 30 * DAY,
    };
    assert.ok(await t.app.store.leases.completeJob(job.id, token, success, options.finishAt));
  } else {
    const failure = { status: 500, body: { error: 'Inference processing failed' }, retryable: false, retryAt: 0 };
    assert.equal(await t.app.store.leases.failJob(job.id, token, failure, options.finishAt), 'failed');
  }
  return job;
}

const costs = (query = '', token: string | null = TOKEN) => t.request('GET', `/operator/v1/costs${query}`, undefined, token);

before(async () => {
  t = await startTestApp({ env: { OVERTURE_ROLE: 'api', OVERTURE_OPERATOR_TOKEN: TOKEN }, parts: { now: () => clock } });
  // 40 days ago: outside the default period. Its upstream charged $1, more than the job earned.
  const music = await finishJob({ model: 'overture-music', seconds: 10, finishAt: T - 40 * DAY, outcome: 'done', costMicros: 1_000_000 });
  musicPrice = music.price;
  assert.ok(musicPrice > 0 && musicPrice < 1_000_000);
  // The last day: two USD jobs of the default account (one failed, so not revenue, but paid upstream)...
  const delivered = await finishJob({ model: 'overture-sketch', seconds: 2, finishAt: T - HOUR, outcome: 'done', costMicros: 70 });
  const failed = await finishJob({ model: 'overture-sketch', seconds: 1, finishAt: T - 2 * HOUR, outcome: 'failed', costMicros: 33 });
  assert.deepEqual([delivered.price, delivered.currency, failed.price], [200, 'usd', 100], '$0.0001 a second');
  // ...and one paid in DIEM by an account with a daily allocation.
  clock = T - 5 * HOUR;
  const created = await t.request('POST', '/operator/v1/accounts', { name: 'diem shop', diem_daily: 1 }, TOKEN);
  assert.equal(created.statusCode, 201, created.body);
  const diem = await finishJob({
    model: 'overture-sketch',
    seconds: 3,
    finishAt: T - 3 * HOUR,
    outcome: 'done',
    costMicros: 50,
    key: created.json().inference_key,
  });
  assert.deepEqual([diem.price, diem.currency], [300, 'diem']);
  // A job still waiting has not finished: it is in no report.
  clock = T - 10 * 60_000;
  const waiting = await t.request('POST', '/api/v1/audio/queue', { model: 'overture-sketch', prompt: 'still queued', duration_seconds: 5 });
  assert.equal(waiting.statusCode, 200);
  clock = T;
  await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.http.server.address() as AddressInfo).port}/api/v1`;
});
after(() => t.close());

const sketchLastDay = {
  model: 'overture-sketch',
  jobs: 3,
  delivered: 2,
  revenue_usd: 0.0002,
  revenue_diem: 0.0003,
  upstream_cost_usd: 0.000153,
  margin_usd: 0.000047,
};
const { model: _model, ...sketchSums } = sketchLastDay;

test('costs: the last 30 days by default, per model and in total, revenue against upstream cost', async () => {
  const response = await costs();
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(response.json(), {
    from: '2026-05-02T00:00:00.000Z',
    to: '2026-06-01T00:00:00.000Z',
    data: [sketchLastDay],
    total: sketchSums,
  });
  await assertLedgerInvariants(t.app.store);
});

test('costs: a wider period takes in the old job; money is summed in micro-units and converted once', async () => {
  const response = await costs(`?from=${T - 41 * DAY}&to=2026-06-01T00:00:00Z`);
  assert.equal(response.statusCode, 200, response.body);
  const music = {
    model: 'overture-music',
    jobs: 1,
    delivered: 1,
    revenue_usd: fromMicros(micros(musicPrice)),
    revenue_diem: 0,
    upstream_cost_usd: 1,
    margin_usd: fromMicros(micros(musicPrice - 1_000_000)),
  };
  assert.ok(music.margin_usd < 0, 'this model loses money');
  assert.deepEqual(response.json(), {
    from: new Date(T - 41 * DAY).toISOString(),
    to: '2026-06-01T00:00:00.000Z',
    data: [music, sketchLastDay],
    total: {
      jobs: 4,
      delivered: 3,
      revenue_usd: fromMicros(micros(musicPrice + 200)),
      revenue_diem: 0.0003,
      upstream_cost_usd: 1.000153,
      margin_usd: fromMicros(micros(musicPrice + 200 - 1_000_153)),
    },
  });
});

test('costs: the period filters on when jobs finished, [from, to)', async () => {
  // From 21:30 UTC (given with its offset): the delivered and the failed USD jobs, not the DIEM one at 21:00.
  const late = (await costs('?from=2026-05-31T23:30:00%2B02:00')).json();
  assert.equal(late.from, '2026-05-31T21:30:00.000Z');
  assert.deepEqual(late.data, [
    {
      model: 'overture-sketch',
      jobs: 2,
      delivered: 1,
      revenue_usd: 0.0002,
      revenue_diem: 0,
      upstream_cost_usd: 0.000103,
      margin_usd: 0.000097,
    },
  ]);
  // A date alone is midnight UTC.
  const day = (await costs('?from=2026-05-31')).json();
  assert.equal(day.from, '2026-05-31T00:00:00.000Z');
  assert.deepEqual(day.data, [sketchLastDay]);
  // `to` is excluded (the delivered job finished exactly at 23:00), and `from` defaults to 30 days before it.
  const early = (await costs(`?to=${T - HOUR}`)).json();
  assert.equal(early.from, new Date(T - HOUR - 30 * DAY).toISOString());
  assert.deepEqual(
    early.data.map((line: { jobs: number; revenue_usd: number; revenue_diem: number }) => [line.jobs, line.revenue_usd, line.revenue_diem]),
    [[2, 0, 0.0003]],
  );
  const quiet = (await costs(`?from=${T - 10 * DAY}&to=${T - 9 * DAY}`)).json();
  assert.deepEqual(quiet.data, []);
  assert.deepEqual(quiet.total, { jobs: 0, delivered: 0, revenue_usd: 0, revenue_diem: 0, upstream_cost_usd: 0, margin_usd: 0 });
});

test('costs: operator token required; a bad date is the contract 400', async () => {
  for (const token of [null, t.account.admin_key, 'operator-token-but-wrong']) {
    const denied = await costs('', token);
    assert.equal(denied.statusCode, 401);
    assert.deepEqual(denied.json(), { error: 'Operator token required' });
  }
  const bad = await costs('?from=yesterday');
  assert.equal(bad.statusCode, 400);
  const body = bad.json();
  assert.equal(body.error, 'Invalid request parameters');
  assert.deepEqual(
    body.issues.map((issue: { path: string[] }) => issue.path),
    [['from']],
  );
  assert.match(body.details.from._errors[0], /ISO 8601/);
  for (const query of ['?to=2026-02-30', '?from=2026-05-31T12:00', '?to=99999999999999999', '?from=1&from=2']) {
    const refused = await costs(query);
    assert.equal(refused.statusCode, 400, query);
    assert.equal(refused.json().error, 'Invalid request parameters');
  }
  const backwards = await costs('?from=2026-05-31&to=2026-05-30');
  assert.equal(backwards.statusCode, 400);
  assert.deepEqual(backwards.json().issues, [{ code: 'custom', path: ['to'], message: 'to must be after from' }]);
});

/** Run `overture …` against the test server with the operator token (override with `env`). */
function cli(args: readonly string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const all: Record<string, string | undefined> = {
      ...process.env,
      OVERTURE_BASE_URL: baseUrl,
      OVERTURE_API_KEY: undefined,
      OVERTURE_OPERATOR_TOKEN: TOKEN,
      NO_COLOR: '1',
      ...env,
    };
    for (const name of Object.keys(all)) if (all[name] === undefined) delete all[name];
    const child = spawn(process.execPath, [bin, ...args], { env: all as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

test('overture costs: a table per model with a total, --json passes the report through', async () => {
  buildIfStale();
  const human = await cli(['costs']);
  assert.equal(human.code, 0, human.stderr);
  assert.equal(human.stderr, 'Jobs that finished from 2026-05-02T00:00:00.000Z to 2026-06-01T00:00:00.000Z\n');
  const [header, rule, ...rows] = human.stdout.trimEnd().split('\n');
  assert.match(header ?? '', /^MODEL\s+JOBS\s+DELIVERED\s+REVENUE \(USD\)\s+REVENUE \(DIEM\)\s+UPSTREAM \(USD\)\s+MARGIN \(USD\)$/);
  assert.match(rule ?? '', /^-+\s+-+/);
  assert.deepEqual(
    rows.map((row) => row.split(/\s{2,}/)),
    [
      ['overture-sketch', '3', '2', '$0.0002', '0.0003', '$0.000153', '$0.000047'],
      ['TOTAL', '3', '2', '$0.0002', '0.0003', '$0.000153', '$0.000047'],
    ],
  );
  const wide = await cli(['costs', '--from', String(T - 41 * DAY), '--to', '2026-06-01', '--json']);
  assert.equal(wide.code, 0, wide.stdout);
  assert.equal(wide.stderr, '', '--json prints nothing on stderr');
  assert.deepEqual(JSON.parse(wide.stdout), (await costs(`?from=${T - 41 * DAY}&to=2026-06-01`)).json());
  const table = await cli(['costs', '--from', String(T - 41 * DAY)]);
  const music = table.stdout.split('\n').find((row) => row.startsWith('overture-music'));
  assert.match(music ?? '', /\s-\$0\.\d+$/, 'a loss shows as a negative margin');
});

test('overture costs: failures exit like the other client commands', async () => {
  const bad = await cli(['costs', '--from', 'yesterday', '--json']);
  assert.equal(bad.code, 6);
  const error = JSON.parse(bad.stdout).error;
  assert.equal(error.code, 'invalid_request');
  assert.equal(error.status, 400);
  assert.deepEqual(error.issues[0].path, ['from']);
  const missing = await cli(['costs'], { OVERTURE_OPERATOR_TOKEN: undefined });
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /OVERTURE_OPERATOR_TOKEN is not set/);
  const wrong = await cli(['costs', '--json'], { OVERTURE_OPERATOR_TOKEN: 'operator-token-but-wrong' });
  assert.equal(wrong.code, 3);
  assert.equal(JSON.parse(wrong.stdout).error.message, 'Operator token required');
  assert.equal((await cli(['costs', '--base-url', 'http://127.0.0.1:9/api/v1', '--json'])).code, 9);
  assert.equal((await cli(['costs', 'extra'])).code, 2);
  assert.match((await cli(['costs', '--help'])).stdout, /--from DATE/);
});
