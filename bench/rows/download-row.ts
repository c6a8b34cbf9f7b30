import { request as httpRequest } from 'node:http';
import type { Row } from '../support/context.js';
import { finishWithBigMedia } from '../support/big-media.js';
import { jsonHeaders, type OvertureServer, postJson, startOverture } from '../support/overture-server.js';
import type { Figure } from '../support/result.js';

const BYTES = 2 ** 30;
const MODEL = 'overture-sketch';

/** Download through `/audio/retrieve`, discarding the bytes; resolves with the byte count. */
function download(server: OvertureServer, queueId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: MODEL, queue_id: queueId });
    const request = httpRequest(`${server.url}/api/v1/audio/retrieve`, { method: 'POST', headers: jsonHeaders(server.key) }, (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => (received += chunk.length));
      response.on('end', () => resolve(received));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * A 1 GiB media file through `/audio/retrieve` from a server child process; its VmRSS is
 * sampled every 10 ms from /proc. Growth = peak during the download − RSS just before it.
 */
export const downloadRow: Row = {
  id: 'download',
  async run(): Promise<Figure[]> {
    let server = await startOverture({ OVERTURE_ROLE: 'api' });
    const { directory, key } = server;
    const queued = await postJson(`${server.url}/api/v1/audio/queue`, key, {
      model: MODEL,
      prompt: 'a steady bench tone',
      duration_seconds: 5,
    });
    const queueId = String(queued.queue_id);
    await server.stopKeepingData();
    try {
      const prepared = await startPrepared(directory, key, queueId);
      server = prepared;
      // Warm up and let start-up work finish (engines load their WASM in the background), so the
      // growth measured is the download's, not the process settling.
      await fetch(`${server.url}/api/v1/models`);
      for (let previous = 0, tries = 0; tries < 30 && Math.abs(server.rss() - previous) > 2 ** 20; tries++) {
        previous = server.rss();
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const before = server.rss();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, server.rss())), 10);
      const started = performance.now();
      const received = await download(server, queueId);
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, server.rss());
      if (received !== BYTES) throw new Error(`received ${received} bytes, expected ${BYTES}`);
      const growth = (peak - before) / 2 ** 20;
      return [
        {
          row: 'download',
          name: '1 GiB media via /audio/retrieve: server RSS growth',
          value: growth,
          unit: 'MiB',
          target: '< 32 MiB',
          met: growth < 32,
          note: `RSS ${(before / 2 ** 20).toFixed(0)} → peak ${(peak / 2 ** 20).toFixed(0)} MiB; ${(BYTES / 2 ** 20 / seconds).toFixed(0)} MiB/s`,
        },
      ];
    } finally {
      await server.stop();
    }
  },
};

/** Write the 1 GiB media for the queued job (server stopped), then start the server on that directory again. */
async function startPrepared(directory: string, key: string, queueId: string): Promise<OvertureServer> {
  await finishWithBigMedia(directory, 'tone', queueId, BYTES);
  return startOverture({ OVERTURE_ROLE: 'api' }, directory, key);
}
