/**
 * The HTTP plumbing every fake upstream shares: a server on 127.0.0.1 and an ephemeral port that
 * reads each request's body whole, answers a handler's throw with the provider's 500, and closes
 * with its hung connections; JSON answers with a Content-Length; answers cut off half-way.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fake's handler: the request, its answer, and the request's body as UTF-8 text. */
export type ServeText = (request: IncomingMessage, response: ServerResponse, text: string) => Promise<void>;

/** A fake's server, listening. */
export interface LoopbackServer {
  readonly server: Server;
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  /** Destroy every connection (hung answers included) and stop listening. */
  close(): Promise<void>;
}

/** The request's whole body as UTF-8 text. */
export function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * Listen on 127.0.0.1 and a free port. `serve` gets each request with its body read; when it throws,
 * `fail` answers the provider's 500, or the connection is destroyed when headers already went out.
 */
export async function listenOnLoopback(serve: ServeText, fail: (response: ServerResponse, error: Error) => void): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    readText(request)
      .then((text) => serve(request, response, text))
      .catch((error: Error) => {
        if (!response.headersSent) fail(response, error);
        else response.destroy();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answer `body` as JSON with its Content-Length (`headers` may add to or replace the defaults). */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

/**
 * Write the first half of `bytes` (whose full Content-Length the headers announced), then destroy
 * the connection (`drop`) or close it cleanly (any other kind: `truncated`).
 */
export function sendHalf(response: ServerResponse, bytes: Uint8Array, kind: string): void {
  response.write(bytes.subarray(0, bytes.length >> 1), () => (kind === 'drop' ? response.socket?.destroy() : response.socket?.end()));
}
