import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../packages/server/dist/app/config.js';
import { createApp } from '../../packages/server/dist/app/create-app.js';
import type { Row } from '../support/context.js';
import { BENCH_ENV } from '../support/overture-server.js';
import { freshBenchSchema } from '../support/postgres-bed.js';
import type { Figure } from '../support/result.js';
import { createStartProbe } from '../support/start-probe.js';

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
    const probe = createStartProbe();
    const env = { ...BENCH_ENV, OVERTURE_DATA_DIR: directory, DATABASE_URL: schema.url, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' };
    const api = await createApp(loadConfig({ ...env, OVERTURE_ROLE: 'api' }), { engines: probe.engines() });
    const worker = await createApp(loadConfig({ ...env, OVERTURE_ROLE: 'worker' }), { engines: probe.engines() });
    try {
      const account = await api.services.accounts.bootstrap(api.config.startingCreditUsd, 0);
      await api.start();
      await worker.start();
      const url = `http://127.0.0.1:${(api.http.server.address() as AddressInfo).port}/api/v1/audio/queue`;
      for (let job = 0; job < WARM_UP; job++) await probe.wait(url, account!.inference_key, `bench warm-up ${job}`);
      const figure = {
        row: 'postgres-enqueue-start',
        name: 'enqueue → engine start, PostgreSQL (API and worker apart, LISTEN/NOTIFY): p99',
        jobs: JOBS_PER_RUN,
        targetMs: 50,
        after: ` after ${WARM_UP} warm-up jobs`,
      };
      return [await probe.measure(url, account!.inference_key, figure)];
    } finally {
      await worker.close();
      await api.close();
      await schema.drop();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
