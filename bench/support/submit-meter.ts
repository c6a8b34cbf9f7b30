import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback upstream of this contract that notes when each submission reaches it. */
export interface SubmitMeter {
  /** Base URL, without `/api/v1`. */
  readonly url: string;
  /** Submissions received so far. */
  readonly submissions: number;
  close(): Promise<void>;
}

const json = (body: unknown) => Buffer.from(JSON.stringify(body));
const PROCESSING = json({ status: 'PROCESSING', average_execution_time: 60_000, execution_duration: 0 });

/**
 * A measuring device, in this process so that it shares the bench's clock: `POST /api/v1/audio/queue`
 * calls `onSubmit(prompt, at)` with `performance.now()` taken when the request's headers arrived,
 * and answers QUEUED at once; `/audio/retrieve` always answers PROCESSING; anything else `{}`.
 */
export async function startSubmitMeter(onSubmit: (prompt: string, at: number) => void): Promise<SubmitMeter> {
  let submissions = 0;
  const server = createServer((request, response) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let payload = json({});
      if (request.url === '/api/v1/audio/queue') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; prompt: string };
        submissions++;
        onSubmit(body.prompt, at);
        payload = json({ model: body.model, queue_id: `meter-${submissions}`, status: 'QUEUED' });
      } else if (request.url === '/api/v1/audio/retrieve') payload = PROCESSING;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': payload.length });
      response.end(payload);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get submissions() {
      return submissions;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
