import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OvertureClient } from '@overture/sdk';
import { loadConfig } from '../../packages/server/dist/app/config.js';
import { createApp } from '../../packages/server/dist/app/create-app.js';
import type { Row } from '../support/context.js';
import { BENCH_ENV, jsonHeaders } from '../support/overture-server.js';
import type { Figure } from '../support/result.js';
import { percentileOf } from '../support/stats.js';

/**
 * The jobs, `runs` of each: half a second to a few seconds of rendering on an idle host (more when
 * loaded); `BENCH_FOLLOW_LONG=1` adds a 600 s song (about half a minute to a minute), stream only.
 */
const JOBS: readonly { readonly model: string; readonly duration: number; readonly runs: number }[] = [
  { model: 'overture-sketch', duration: 5, runs: 3 },
  { model: 'overture-music', duration: 20, runs: 3 },
  { model: 'overture-music', duration: 60, runs: 3 },
  ...(process.env.BENCH_FOLLOW_LONG === '1' ? [{ model: 'overture-music', duration: 600, runs: 1 }] : []),
];
const POLL_MS = 20;
const TARGET_MS = 300;

/** One job: when the 20 ms poller first got its audio, and when `generate()` resolved with it. */
interface Sample {
  readonly job: string;
  readonly stream: boolean;
  readonly renderMs: number;
  readonly lagMs: number;
}

/** Retrieve every 20 ms until the answer is audio; resolves with the time that answer arrived. */
async function pollReady(url: string, key: string, model: string, queueId: string): Promise<number> {
  const body = JSON.stringify({ model, queue_id: queueId });
  for (;;) {
    const response = await fetch(`${url}/audio/retrieve`, { method: 'POST', headers: jsonHeaders(key), body });
    const at = performance.now();
    const audio = response.ok && (response.headers.get('content-type') ?? '').startsWith('audio/');
    await response.body?.cancel();
    if (audio) return at;
    if (!response.ok) throw new Error(`retrieve ${queueId}: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Embedded server (API and workers in this process, built-in engines on their threads, FULL). For
 * each job the SDK's `generate()` follows it while a 20 ms poller watches the same job: lag = when
 * `generate()` resolved with the file (after its `complete`) − when the poller first got the audio.
 * The baseline is the same SDK without the status stream (its polling fallback, as against Venice).
 */
export const followLagRow: Row = {
  id: 'follow-lag',
  async run(): Promise<Figure[]> {
    const directory = mkdtempSync(join(tmpdir(), 'overture-bench-follow-'));
    const env = { ...BENCH_ENV, OVERTURE_DATA_DIR: directory, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', OVERTURE_ROLE: 'all' };
    const config = loadConfig(env);
    const app = await createApp(config);
    const samples: Sample[] = [];
    try {
      const account = await app.services.accounts.bootstrap(config.startingCreditUsd, 0);
      if (!account) throw new Error('no account');
      await app.start();
      const url = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}/api/v1`;
      const client = new OvertureClient({ baseUrl: url, apiKey: account.inference_key });
      let count = 0;
      const once = async (job: (typeof JOBS)[number], stream: boolean) => {
        let queuedAt = 0;
        let ready: Promise<number> | undefined;
        const prompt = `warm lo-fi chords in A minor, take ${count++}`;
        const result = await client.generate(
          { model: job.model, prompt, duration_seconds: job.duration },
          {
            ...(stream ? {} : { stream: false }),
            onQueued: (queued) => {
              queuedAt = performance.now();
              ready = pollReady(url, account.inference_key, job.model, queued.queue_id);
            },
          },
        );
        const doneAt = performance.now();
        const readyAt = await (ready as Promise<number>);
        if (result.bytes.length === 0) throw new Error('no audio');
        samples.push({ job: `${job.model} ${job.duration} s`, stream, renderMs: readyAt - queuedAt, lagMs: doneAt - readyAt });
      };
      await once(JOBS[0] as (typeof JOBS)[number], true); // warm-up: engine threads, encoders
      samples.length = 0;
      for (const job of JOBS)
        for (let run = 0; run < job.runs; run++) {
          await once(job, true);
          if (job.duration < 600) await once(job, false);
        }
    } finally {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    }
    const lags = (stream: boolean) => samples.filter((sample) => sample.stream === stream).map((sample) => sample.lagMs);
    const streamed = lags(true);
    const max = Math.max(...streamed);
    const renders = JOBS.map((job) => {
      const mine = samples.filter((sample) => sample.job === `${job.model} ${job.duration} s`).map((sample) => sample.renderMs);
      return `${job.model} ${job.duration} s ${(Math.min(...mine) / 1000).toFixed(2)}–${(Math.max(...mine) / 1000).toFixed(2)} s`;
    });
    return [
      {
        row: 'follow-lag',
        name: 'SDK generate() has the file after the media is ready (status stream): max lag',
        value: max,
        unit: 'ms',
        baseline: { label: 'same SDK, polling fallback (no stream)', value: Math.max(...lags(false)) },
        target: `≤ ${TARGET_MS} ms`,
        met: max <= TARGET_MS,
        note: `p50 ${percentileOf(streamed, 50).toFixed(0)} ms (fallback p50 ${percentileOf(lags(false), 50).toFixed(0)} ms) over ${streamed.length} jobs; ready after: ${renders.join(', ')}`,
        runs: samples,
      },
    ];
  },
};
