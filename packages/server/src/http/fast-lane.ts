import type { IncomingMessage, ServerResponse } from 'node:http';
import { JSON_CONTENT_TYPE, parseJsonBody, requestIdOf, toApiError } from './request-basics.js';

/**
 * Answers a fast-lane route: the parsed JSON body in, the JSON answer (or a promise of it) out;
 * throw (or reject with) an ApiError to refuse.
 */
export type FastLaneHandler = (body: unknown) => unknown;

/** The log line of an answered request (`account` when it was authenticated; never a key). */
export interface RequestLine {
  readonly reqId: string;
  readonly method: string;
  /** The route pattern (`/api/v1/audio/status/:id`), not the URL. */
  readonly route: string;
  readonly status: number;
  /** Milliseconds from the request to the answer, to a hundredth. */
  readonly ms: number;
  readonly account?: string;
}

/** Milliseconds to a hundredth, for log lines. */
export const roundMs = (ms: number): number => Math.round(ms * 100) / 100;

/** Settings of the fast lane. */
export interface FastLaneOptions {
  /** Largest body read, as for every other route. */
  readonly bodyLimitBytes: number;
  /** Called with each answered request's route, method, status and duration, for metrics. */
  readonly onResponse?: (route: string, method: string, status: number, milliseconds: number) => void;
  /** Log the request's line (at info: a no-op when the level is higher). */
  readonly logRequest?: (line: RequestLine) => void;
  /** Log an unexpected failure (the client sees a 500 with no internals). */
  readonly logError: (error: unknown, context: { url: string; reqId: string }) => void;
}

/**
 * The fast lane: a few public, compute-only routes answered straight from `node:http`, in front of
 * Fastify, when a request is plain — `POST`, a JSON body with a `Content-Length` within the limit,
 * no credentials and no `Origin` (so no CORS headers). Anything else, and every other route, goes
 * through Fastify unchanged (so does everything once the server stops listening). The answers
 * carry the same status, headers and body as Fastify's (tests send the same requests down both).
 */
export class FastLane {
  private readonly routes = new Map<string, FastLaneHandler>();

  constructor(private readonly options: FastLaneOptions) {}

  /** Answer plain `POST url` requests here. */
  post(url: string, handler: FastLaneHandler): void {
    this.routes.set(url, handler);
  }

  /** Take the request if it is a plain request to a fast-lane route; false leaves it to Fastify. */
  take(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'POST') return false;
    const handler = this.routes.get(request.url as string);
    if (!handler) return false;
    const headers = request.headers;
    if (headers.authorization !== undefined || headers.origin !== undefined) return false;
    if (headers['sign-in-with-x'] !== undefined || headers['x-sign-in-with-x'] !== undefined) return false;
    if (headers['transfer-encoding'] !== undefined || !JSON_CONTENT_TYPE.test(headers['content-type'] ?? '')) return false;
    const length = Number(headers['content-length']);
    if (!(length >= 0 && length <= this.options.bodyLimitBytes)) return false;
    this.answer(request, response, handler, request.url as string);
    return true;
  }

  private answer(request: IncomingMessage, response: ServerResponse, handler: FastLaneHandler, url: string): void {
    const started = performance.now();
    const reqId = requestIdOf(request.headers);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', () => undefined); // an aborted upload: nothing to answer
    request.on('end', () => {
      const reply = (status: number, payload: string, extra: Record<string, string>) => {
        send(response, reqId, status, payload, extra);
        const ms = performance.now() - started;
        this.options.onResponse?.(url, 'POST', status, ms);
        this.options.logRequest?.({ reqId, method: 'POST', route: url, status, ms: roundMs(ms) });
      };
      const refuse = (error: unknown) => {
        const api = toApiError(error instanceof Error ? error : new Error(String(error)));
        if (api.status >= 500) this.options.logError(error, { url, reqId });
        reply(api.status, JSON.stringify(api.body()), api.headers);
      };
      let answer: unknown;
      try {
        const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
        answer = handler(parseJsonBody(text, 'POST'));
      } catch (error) {
        return refuse(error);
      }
      if (answer instanceof Promise) answer.then((value) => reply(200, JSON.stringify(value), {}), refuse);
      else reply(200, JSON.stringify(answer), {});
    });
  }
}

function send(response: ServerResponse, reqId: string, status: number, payload: string, extra: Record<string, string>): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    'x-request-id': reqId,
    ...extra,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}
