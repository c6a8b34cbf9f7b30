import type { BenchContext, Row } from '../support/context.js';
import { assertClean } from '../support/load.js';
import { jsonHeaders, type OvertureServer, postJson, startOverture } from '../support/overture-server.js';
import type { Figure } from '../support/result.js';

const JOBS = Number(process.env.BENCH_JOBS_IN_FLIGHT ?? 10_000);
const MODEL = 'overture-sketch';

/** Enqueue `count` jobs through HTTP, `parallel` at a time; returns their queue ids. */
export async function enqueueMany(server: OvertureServer, count: number, parallel = 32): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const body = { model: MODEL, prompt: 'a steady bench tone', duration_seconds: 5 };
      ids.push(String((await postJson(`${server.url}/api/v1/audio/queue`, server.key, body)).queue_id));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return ids;
}

/** `/audio/retrieve` answering PROCESSING with 10,000 jobs in flight (API role: nothing runs them). */
export const retrieveRow: Row = {
  id: 'retrieve',
  async run(context: BenchContext): Promise<Figure[]> {
    // Reads are what is measured: the preload may commit with NORMAL (the sync mode does not touch reads).
    const server = await startOverture({ OVERTURE_ROLE: 'api', OVERTURE_SQLITE_SYNCHRONOUS: 'NORMAL' });
    try {
      const ids = await enqueueMany(server, JOBS);
      const probe = await postJson(`${server.url}/api/v1/audio/retrieve`, server.key, { model: MODEL, queue_id: ids[0] });
      if (probe.status !== 'PROCESSING') throw new Error(`retrieve did not answer PROCESSING: ${JSON.stringify(probe)}`);
      let turn = 0;
      const body = JSON.stringify({ model: MODEL, queue_id: ids[0] });
      const { overture: summary, bare } = await context.paired(
        {
          url: server.url,
          headers: jsonHeaders(server.key),
          requests: [
            {
              method: 'POST',
              path: '/api/v1/audio/retrieve',
              setupRequest: (request) => ({ ...request, body: JSON.stringify({ model: MODEL, queue_id: ids[turn++ % ids.length] }) }),
            },
          ],
        },
        body,
      );
      assertClean(summary, 'retrieve');
      const name = `/audio/retrieve PROCESSING, ${JOBS.toLocaleString('en-US')} in flight`;
      return [
        {
          row: 'retrieve',
          name: `${name}: req/s`,
          value: summary.rps,
          unit: '/s',
          baseline: { label: 'bare node:http', value: bare.rps },
          target: '≥ 0.5× bare',
          met: summary.rps >= 0.5 * bare.rps,
          runs: summary.runs,
        },
        {
          row: 'retrieve',
          name: `${name}: p99`,
          value: summary.p99,
          unit: 'ms',
          baseline: { label: 'bare node:http', value: bare.p99 },
          target: '≤ 10 ms',
          met: summary.p99 <= 10,
        },
      ];
    } finally {
      await server.stop();
    }
  },
};
