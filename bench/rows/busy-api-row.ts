import type { Row } from '../support/context.js';
import { assertClean, LOAD, measureLoad } from '../support/load.js';
import { jsonHeaders, type OvertureServer, postJson, startOverture } from '../support/overture-server.js';
import type { Figure } from '../support/result.js';
import { median } from '../support/stats.js';

const MODEL = 'overture-music';
/** Songs queued per run: the last one stays PROCESSING while the others render, one at a time. */
const SONGS = 4;
/** Polling load: a steady rate, well below saturation, so what shows is the event loop's delay. */
const RATE = 400;
const SECONDS = 4;

/** Queue a song; its queue id. */
async function queueSong(server: OvertureServer, seconds: number, run: number): Promise<string> {
  const body = { model: MODEL, prompt: `an upbeat pop song, take ${run}`, duration_seconds: seconds };
  return String((await postJson(`${server.url}/api/v1/audio/queue`, server.key, body)).queue_id);
}

/** Poll until the job's media is ready (bounded), reading and dropping it. */
async function waitForMedia(server: OvertureServer, queueId: string): Promise<void> {
  for (let poll = 0; poll < 600; poll++) {
    const response = await fetch(`${server.url}/api/v1/audio/retrieve`, {
      method: 'POST',
      headers: jsonHeaders(server.key),
      body: JSON.stringify({ model: MODEL, queue_id: queueId }),
    });
    const json = (response.headers.get('content-type') ?? '').includes('json');
    await response.arrayBuffer();
    if (!json) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${queueId} did not finish`);
}

/** One run: queue the songs, then poll the last one at a steady rate while the others render. */
async function busyRun(server: OvertureServer, run: number): Promise<number> {
  const ids: string[] = [];
  for (let song = 0; song < SONGS; song++) ids.push(await queueSong(server, 60, run * SONGS + song));
  const last = ids[ids.length - 1] as string;
  const load = await measureLoad(
    {
      url: `${server.url}/api/v1/audio/retrieve`,
      method: 'POST',
      headers: jsonHeaders(server.key),
      body: JSON.stringify({ model: MODEL, queue_id: last }),
      connections: 4,
      overallRate: RATE,
    },
    1,
    SECONDS,
  );
  assertClean(load, 'busy-api');
  await waitForMedia(server, last);
  return load.p99;
}

/**
 * `/audio/retrieve` p99 in an embedded server (API and workers in one process, as `npm start`)
 * while 60 s songs render, with engines on their own threads (the default) against engines on
 * the event loop (`OVERTURE_ENGINE_THREADS=false`), runs alternating.
 */
export const busyApiRow: Row = {
  id: 'busy-api',
  async run(): Promise<Figure[]> {
    const threaded = await startOverture({ OVERTURE_ROLE: 'all' });
    const inLoop = await startOverture({ OVERTURE_ROLE: 'all', OVERTURE_ENGINE_THREADS: 'false' });
    try {
      // Warm up: the first song loads the SoundFont and compiles the encoders.
      for (const server of [threaded, inLoop]) await waitForMedia(server, await queueSong(server, 5, -1));
      const withThreads: number[] = [];
      const onLoop: number[] = [];
      const runs = Math.min(LOAD.runs, 3);
      for (let run = 0; run < runs; run++) {
        withThreads.push(await busyRun(threaded, run));
        onLoop.push(await busyRun(inLoop, run));
      }
      const p99 = median(withThreads);
      return [
        {
          row: 'busy-api',
          name: `/audio/retrieve p99 while 60 s songs render (embedded, ${RATE} req/s)`,
          value: p99,
          unit: 'ms',
          baseline: { label: 'engines on the event loop', value: median(onLoop) },
          target: '≤ 10 ms',
          met: p99 <= 10,
          note: `p99 of each run, engine threads: ${withThreads.join(', ')} ms; on the event loop: ${onLoop.join(', ')} ms`,
        },
      ];
    } finally {
      await threaded.stop();
      await inLoop.stop();
    }
  },
};
