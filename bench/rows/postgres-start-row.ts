import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../packages/server/dist/app/config.js';
import { createApp } from '../../packages/server/dist/app/create-app.js';
import { builtinEngines } from '../../packages/server/dist/engines/builtin-engines.js';
import type { Row } from '../support/context.js';
import { LOAD } from '../support/load.js';
import { BENCH_ENV, postJson } from '../support/overture-server.js';
import { freshBenchSchema } from '../support/postgres-bed.js';
import { createProbeEngine } from '../support/probe-engine.js';
import type { Figure } from '../support/result.js';
import { median, percentileOf } from '../support/stats.js';

const JOBS_PER_RUN = 200;
const WARM_UP = 20;

/**
 * Enqueue → engine start on PostgreSQL, scaled out: an API app (`OVERTURE_ROLE=api`, no workers)
 * and a worker app (`OVERTURE_ROLE=worker`) on one fresh schema, so the only wake-up is the
 * enqueue's NOTIFY reaching the worker's LISTEN connection (the poll is every 500 ms). Both run
 * in this process because the probe engine must share the clock. One job at a time over loopback HTTP.
 */
export const postgresStartRow: Row = {
  id: 'postgres-enqueue-start',
  async run(): Promise<Figure[]> {
    const schema = await freshBenchSchema(4);
    const directory = mkdtempSync(join(tmpdir(), 'overture-bench-pg-start-'));
    const started = new Map<string, (at: number) => void>();
    const probe = createProbeEngine((request, at) => started.get(request.prompt)?.(at));
    const engines = () => builtinEngines().map((engine) => (engine.name === 'tone' ? probe : engine));
    const env = { ...BENCH_ENV, OVERTURE_DATA_DIR: directory, DATABASE_URL: schema.url, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' };
    const api = await createApp(loadConfig({ ...env, OVERTURE_ROLE: 'api' }), { engines: engines() });
    const worker = await createApp(loadConfig({ ...env, OVERTURE_ROLE: 'worker' }), { engines: engines() });
    try {
      const account = await api.services.accounts.bootstrap(api.config.startingCreditUsd, 0);
      await api.start();
      await worker.start();
      const url = `http://127.0.0.1:${(api.http.server.address() as AddressInfo).port}/api/v1/audio/queue`;
      const waitFor = async (prompt: string) => {
        const reached = new Promise<number>((resolve) => started.set(prompt, resolve));
        const sent = performance.now();
        await postJson(url, account!.inference_key, { model: 'overture-sketch', prompt, duration_seconds: 5 });
        const wait = (await reached) - sent;
        started.delete(prompt);
        return wait;
      };
      for (let job = 0; job < WARM_UP; job++) await waitFor(`bench warm-up ${job}`);
      const p99s: number[] = [];
      const p50s: number[] = [];
      for (let run = 0; run < LOAD.runs; run++) {
        const waits: number[] = [];
        for (let job = 0; job < JOBS_PER_RUN; job++) waits.push(await waitFor(`bench probe ${run} ${job}`));
        p99s.push(percentileOf(waits, 99));
        p50s.push(percentileOf(waits, 50));
      }
      const p99 = median(p99s);
      return [
        {
          row: 'postgres-enqueue-start',
          name: 'enqueue → engine start, PostgreSQL (API and worker apart, LISTEN/NOTIFY): p99',
          value: p99,
          unit: 'ms',
          target: '≤ 50 ms',
          met: p99 <= 50,
          note: `p50 ${median(p50s).toFixed(2)} ms; ${JOBS_PER_RUN} jobs one at a time × ${LOAD.runs} runs after ${WARM_UP} warm-up jobs`,
          runs: p99s,
        },
      ];
    } finally {
      await worker.close();
      await api.close();
      await schema.drop();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
