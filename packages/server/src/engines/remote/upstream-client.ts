import type { z } from 'zod';
import { readJsonAnswer } from './read-json.js';
import { UpstreamBusy, UpstreamFailure, upstreamError } from './upstream-errors.js';

/** How long and how often a call waits out an upstream at capacity. */
export interface BusyPolicy {
  /** Wait this long when the upstream sends no `Retry-After`, doubling up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/** What an upstream client needs: where, with which headers, how long one request may take. */
export interface UpstreamClientOptions {
  /** The instance name, for messages. */
  readonly instance: string;
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly requestTimeoutMs: number;
  readonly fetch: typeof fetch;
  readonly busy?: BusyPolicy;
}

/** A request: JSON bodies are serialised; `accept` sets the header. */
export interface UpstreamRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Error statuses the caller handles itself: such answers are returned instead of thrown (e.g. a 404 that means "gone"). */
  readonly passStatuses?: readonly number[];
  /**
   * The answer's body is read by a reader that bounds each chunk (e.g. `receiveAudio`'s idle
   * timeout): the request timeout then stops once a 2xx answer's headers arrive, so a long
   * streamed answer is not cut mid-way. Otherwise the timeout bounds the whole answer.
   */
  readonly streamed?: boolean;
}

const MAX_ERROR_TEXT = 64 * 1024;

/**
 * HTTP to one upstream instance. Every request is bounded by the call's signal and the
 * instance's request timeout (the whole answer; for a `streamed` one, until its headers arrive,
 * its body being bounded by its reader); failures are mapped to `UpstreamBusy`, `UpstreamFailure` or `EngineRejection`.
 */
export class UpstreamClient {
  constructor(readonly options: UpstreamClientOptions) {}

  /** Send one request; resolves with a 2xx response whose body the caller reads. */
  async send(path: string, request: UpstreamRequest, signal: AbortSignal): Promise<Response> {
    const { options } = this;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException('upstream request timed out', 'TimeoutError')), options.requestTimeoutMs);
    timer.unref();
    let response: Response;
    try {
      response = await options.fetch(`${options.baseUrl}${path}`, {
        method: request.method ?? (request.json === undefined ? 'GET' : 'POST'),
        headers: {
          ...options.headers,
          ...(request.json === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.json === undefined ? undefined : JSON.stringify(request.json),
        signal: AbortSignal.any([signal, timeout.signal]),
      });
    } catch (error) {
      signal.throwIfAborted();
      const why = timeout.signal.aborted ? `no answer within ${options.requestTimeoutMs} ms` : (error as Error).message;
      throw new UpstreamFailure(`${options.instance} could not be reached: ${why}`);
    }
    if (response.ok || request.passStatuses?.includes(response.status)) {
      // fetch's signal also aborts the body: a streamed answer must not be cut at the request timeout.
      if (request.streamed) clearTimeout(timer);
      return response;
    }
    const text = await readText(response, MAX_ERROR_TEXT).catch(() => '');
    throw upstreamError(options.instance, response.status, response.headers, text);
  }

  /** Send, then read and validate a JSON answer; a malformed one is an `UpstreamFailure`. */
  async json<T>(path: string, request: UpstreamRequest, schema: z.ZodType<T>, signal: AbortSignal): Promise<T> {
    const response = await this.send(path, request, signal);
    return readJsonAnswer(response, schema, { instance: this.options.instance, what: path, limit: MAX_ERROR_TEXT * 16, signal });
  }

  /**
   * Run `work` again while the upstream is at capacity, waiting its `Retry-After` (or a doubling
   * delay) between tries, until it answers otherwise or `signal` aborts.
   */
  async whileBusy<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const policy = this.options.busy ?? { firstDelayMs: 1000, maxDelayMs: 30_000 };
    let delay = policy.firstDelayMs;
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof UpstreamBusy)) throw error;
        await sleep(Math.min(policy.maxDelayMs, error.retryAfterMs ?? delay), signal);
        delay = Math.min(policy.maxDelayMs, delay * 2);
      }
    }
  }
}

/** Read a body as text, refusing more than `limit` bytes. */
export async function readText(response: Response, limit: number): Promise<string> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > limit) throw new UpstreamFailure(`answer of ${length} bytes is over the ${limit}-byte limit`);
  const text = await response.text();
  if (text.length > limit) throw new UpstreamFailure(`answer is over the ${limit}-byte limit`);
  return text;
}

/** Wait `ms`, or reject with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
