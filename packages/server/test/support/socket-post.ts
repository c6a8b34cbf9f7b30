import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';

/** A request on a connection of its own, which the test may drop whenever it likes. */
export interface DroppableCall {
  readonly request: ClientRequest;
  /** The answer's head; undefined when the connection closed before one arrived. */
  readonly response: Promise<IncomingMessage | undefined>;
}

/**
 * POST `body` as JSON with bearer `key` to 127.0.0.1:`port` over a fresh socket (no agent).
 * Only the first `sent` bytes of the body go out when given (a cut-off upload); errors on the
 * request are ignored, since the tests destroy it on purpose.
 */
export function postOverSocket(
  port: number,
  path: string,
  body: unknown,
  key: string,
  options: { readonly headers?: Record<string, string>; readonly sent?: number } = {},
): DroppableCall {
  const payload = Buffer.from(JSON.stringify(body));
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    agent: false,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': payload.length, ...options.headers },
  });
  request.on('error', () => undefined);
  const response = new Promise<IncomingMessage | undefined>((resolve) => {
    request.once('response', resolve);
    request.once('close', () => resolve(undefined));
  });
  if (options.sent === undefined) request.end(payload);
  else request.write(payload.subarray(0, options.sent));
  return { request, response };
}
