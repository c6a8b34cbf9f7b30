import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../packages/server/dist/app/config.js';
import { type App, createApp } from '../../packages/server/dist/app/create-app.js';
import type { Row } from '../support/context.js';
import { UPSTREAM_INSTANCE, writeGatewayFiles } from '../support/gateway-files.js';
import { LOAD } from '../support/load.js';
import { BENCH_ENV, postJson } from '../support/overture-server.js';
import { createProbeEngine } from '../support/probe-engine.js';
import type { Figure } from '../support/result.js';
import { median, percentileOf } from '../support/stats.js';
import { startSubmitMeter } from '../support/submit-meter.js';

const JOBS_PER_RUN = 100;
/** Pause between two jobs: a modest rate (about 25 jobs/s per side), one job in flight at a time. */
const GAP_MS = 10;
/** A job that has not reached its engine or upstream by then is a failure of the row, not a sample. */
const GIVE_UP_MS = 10_000;
/** `builtin`: the sketch row on the probe engine; `gateway`: its copy on the venice instance; `hop`: a bare POST to the meter. */
const SIDES = ['builtin', 'gateway', 'hop'] as const;
type Side = (typeof SIDES)[number];

/**
 * Queue → upstream submit, in this process (the measuring upstream must share the clock): one app
 * (API and workers, SQLite FULL) whose `gateway-sketch` row is bound to a `venice` instance pointing
 * at a loopback meter, from the client's `/audio/queue` to the meter's receipt of the submission.
 * Baseline, alternating job by job: the same request for `overture-sketch` on a probe engine
 * (enqueue → engine start). Also a bare loopback POST to the meter, the floor of the last hop.
 */
export const gatewaySubmitRow: Row = {
  id: 'gateway-submit',
  async run(): Promise<Figure[]> {
    const directory = mkdtempSync(join(tmpdir(), 'overture-bench-submit-'));
    const waiting = new Map<string, (at: number) => void>();
    const reach = (prompt: string, at: number) => waiting.get(prompt)?.(at);
    const meter = await startSubmitMeter(reach);
    // Each job polls once, then sleeps for the rest of the row: the gateway keeps every job running.
    const files = writeGatewayFiles(
      { url: `${meter.url}/api/v1`, concurrency: 10_000, options: { poll_seconds: 3600, cancel_upstream: false } },
      (rows) => {
        const sketch = rows.find((row) => row.id === 'overture-sketch');
        if (!sketch) throw new Error('the default catalog has no overture-sketch row');
        const gateway = { ...sketch, id: 'gateway-sketch', engine: UPSTREAM_INSTANCE, engine_options: { model: 'overture-sketch' } };
        return [...rows.map((row) => ({ ...row, engine: 'tone' })), gateway];
      },
    );
    const env = { ...BENCH_ENV, ...files.env, OVERTURE_DATA_DIR: directory, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' };
    const config = loadConfig({ ...env, OVERTURE_ROLE: 'all', OVERTURE_SHUTDOWN_GRACE_SECONDS: '0' });
    // The venice client's fetch, passed through, noting when the submission leaves (one job at a time).
    let fetched = 0;
    const timedFetch: typeof fetch = (input, init) => {
      if (String(input).endsWith('/audio/queue')) fetched = performance.now();
      return fetch(input, init);
    };
    const probe = createProbeEngine((request, at) => reach(request.prompt, at));
    let app: App | undefined;
    try {
      app = await createApp(config, { engines: [probe], fetch: timedFetch });
      const account = await app.services.accounts.bootstrap(config.startingCreditUsd, 0);
      await app.start();
      const queueUrl = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}/api/v1/audio/queue`;
      const key = account!.inference_key;
      const send: Record<Side, (prompt: string) => Promise<unknown>> = {
        builtin: (prompt) => postJson(queueUrl, key, { model: 'overture-sketch', prompt, duration_seconds: 5 }),
        gateway: (prompt) => postJson(queueUrl, key, { model: 'gateway-sketch', prompt, duration_seconds: 5 }),
        hop: async (prompt) => {
          const body = JSON.stringify({ model: 'overture-sketch', prompt });
          const headers = { 'content-type': 'application/json' };
          await (await fetch(`${meter.url}/api/v1/audio/queue`, { method: 'POST', headers, body })).arrayBuffer();
        },
      };
      const p99s: Record<Side, number[]> = { builtin: [], gateway: [], hop: [] };
      const p50s: Record<Side, number[]> = { builtin: [], gateway: [], hop: [] };
      /** Of the gateway's time: until its fetch call (enqueue, claim, journal commit), and from it to the meter. */
      const split = { before: [] as number[], after: [] as number[] };
      for (let run = 0; run < LOAD.runs; run++) {
        const waits: Record<Side, number[]> = { builtin: [], gateway: [], hop: [] };
        for (let job = 0; job < JOBS_PER_RUN; job++)
          for (const side of SIDES) {
            const prompt = `bench ${side} ${run} ${job}`;
            const reached = new Promise<number>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error(`${side} job ${prompt} not started within ${GIVE_UP_MS} ms`)), GIVE_UP_MS);
              waiting.set(prompt, (at) => {
                clearTimeout(timer);
                resolve(at);
              });
            });
            const sent = performance.now();
            await send[side](prompt);
            const at = await reached;
            waits[side].push(at - sent);
            if (side === 'gateway') {
              split.before.push(fetched - sent);
              split.after.push(at - fetched);
            }
            waiting.delete(prompt);
            await sleep(GAP_MS);
          }
        for (const side of SIDES) {
          p99s[side].push(percentileOf(waits[side], 99));
          p50s[side].push(percentileOf(waits[side], 50));
        }
      }
      const p99 = median(p99s.gateway);
      const ms = (values: number[]) => median(values).toFixed(2);
      const hop = `bare loopback POST to the meter p99 ${ms(p99s.hop)} ms, p50 ${ms(p50s.hop)}`;
      const parts = (p: number) => `${percentileOf(split.before, p).toFixed(2)} + ${percentileOf(split.after, p).toFixed(2)} ms`;
      const splitNote = `up to the gateway's fetch + fetch to receipt: p50 ${parts(50)}, p99 ${parts(99)} (all jobs)`;
      return [
        {
          row: 'gateway-submit',
          name: 'queue → upstream submit (gateway, SQLite FULL): p99',
          value: p99,
          unit: 'ms',
          baseline: { label: 'enqueue → built-in engine start', value: median(p99s.builtin) },
          target: '≤ 20 ms',
          met: p99 <= 20,
          note: `p50 ${ms(p50s.gateway)} ms (built-in ${ms(p50s.builtin)}); ${splitNote}; ${hop}; ${JOBS_PER_RUN} jobs a side × ${LOAD.runs} runs, one at a time, alternating`,
          runs: SIDES.map((side) => ({ side, p99s: p99s[side], p50s: p50s[side] })),
        },
      ];
    } finally {
      await app?.close();
      await meter.close();
      files.remove();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
