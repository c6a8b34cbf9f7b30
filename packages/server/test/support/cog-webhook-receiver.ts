import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cogWebhooks } from '../../src/engines/cog/cog-webhooks.js';

/** A running stand-in for the server route that hands Cog's webhooks to the engine. */
export interface CogWebhookReceiver {
  /** The `webhook_url` of an instance named `gpu-1`: the prediction id is appended. */
  readonly url: string;
  /** The status answered to each webhook: 204 handed over, 404 refused. */
  readonly answers: number[];
  close(): Promise<void>;
}

/** Start the receiver on a loopback port: each POST `…/<id>?token=…` is delivered to `cogWebhooks`. */
export async function startCogWebhookReceiver(): Promise<CogWebhookReceiver> {
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const id = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
      const ok = cogWebhooks.deliver(id, url.searchParams.get('token') ?? undefined, JSON.parse(Buffer.concat(chunks).toString('utf8')));
      answers.push(ok ? 204 : 404);
      res.writeHead(ok ? 204 : 404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/cog/gpu-1`,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
