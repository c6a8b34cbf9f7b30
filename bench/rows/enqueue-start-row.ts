import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../packages/server/dist/app/config.js';
import { createApp } from '../../packages/server/dist/app/create-app.js';
import type { Row } from '../support/context.js';
import { BENCH_ENV } from '../support/overture-server.js';
import type { Figure } from '../support/result.js';
import { createStartProbe } from '../support/start-probe.js';

const JOBS_PER_RUN = 200;

/**
 * Enqueue → engine start, embedded (API and workers in one process, in this process: the probe
 * engine must see the same clock). One job at a time over loopback HTTP; synchronous=FULL.
 */
export const enqueueStartRow: Row = {
  id: 'enqueue-start',
  async run(): Promise<Figure[]> {
    const directory = mkdtempSync(join(tmpdir(), 'overture-bench-start-'));
    const probe = createStartProbe();
    const config = loadConfig({
      ...BENCH_ENV,
      OVERTURE_DATA_DIR: directory,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      OVERTURE_ROLE: 'all',
    });
    const app = await createApp(config, { engines: probe.engines() });
    try {
      const account = await app.services.accounts.bootstrap(config.startingCreditUsd, 0);
      await app.start();
      const url = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}/api/v1/audio/queue`;
      const name = 'enqueue → engine start (embedded, FULL): p99';
      return [await probe.measure(url, account!.inference_key, { row: 'enqueue-start', name, jobs: JOBS_PER_RUN, targetMs: 10 })];
    } finally {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
