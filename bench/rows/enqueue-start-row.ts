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
import { createProbeEngine } from '../support/probe-engine.js';
import type { Figure } from '../support/result.js';
import { median, percentileOf } from '../support/stats.js';

const JOBS_PER_RUN = 200;

/**
 * Enqueue → engine start, embedded (API and workers in one process, in this process: the probe
 * engine must see the same clock). One job at a time over loopback HTTP; synchronous=FULL.
 */
export const enqueueStartRow: Row = {
  id: 'enqueue-start',
  async run(): Promise<Figure[]> {
    const directory = mkdtempSync(join(tmpdir(), 'overture-bench-start-'));
    const started = new Map<string, (at: number) => void>();
    const probe = createProbeEngine((request, at) => started.get(request.prompt)?.(at));
    const engines = builtinEngines().map((engine) => (engine.name === 'tone' ? probe : engine));
    const config = loadConfig({
      ...BENCH_ENV,
      OVERTURE_DATA_DIR: directory,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      OVERTURE_ROLE: 'all',
    });
    const app = await createApp(config, { engines });
    try {
      const account = await app.services.accounts.bootstrap(config.startingCreditUsd, 0);
      await app.start();
      const url = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}/api/v1/audio/queue`;
      const p99s: number[] = [];
      const p50s: number[] = [];
      for (let run = 0; run < LOAD.runs; run++) {
        const waits: number[] = [];
        for (let job = 0; job < JOBS_PER_RUN; job++) {
          const prompt = `bench probe ${run} ${job}`;
          const reached = new Promise<number>((resolve) => started.set(prompt, resolve));
          const sent = performance.now();
          await postJson(url, account!.inference_key, { model: 'overture-sketch', prompt, duration_seconds: 5 });
          waits.push((await reached) - sent);
          started.delete(prompt);
        }
        p99s.push(percentileOf(waits, 99));
        p50s.push(percentileOf(waits, 50));
      }
      const p99 = median(p99s);
      return [
        {
          row: 'enqueue-start',
          name: 'enqueue → engine start (embedded, FULL): p99',
          value: p99,
          unit: 'ms',
          target: '≤ 10 ms',
          met: p99 <= 10,
          note: `p50 ${median(p50s).toFixed(2)} ms; ${JOBS_PER_RUN} jobs one at a time × ${LOAD.runs} runs`,
          runs: p99s,
        },
      ];
    } finally {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
