import { abortReason, linkedSignal, sleep, throwIfAborted } from './abort.js';
import { errorFromResponse, parseRetryAfter } from './error-from-response.js';
import { ConnectionError, OvertureError, RateLimitError, TimeoutError } from './errors.js';
import { isRetryableStatus, type RetryPolicy, retryDelay } from './retry-policy.js';
import { signInHeader, type WalletSigner } from './wallet-sign-in.js';

/** The `fetch` signature the client needs (the global one, or any compatible implementation). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Per-call options accepted by every method. */
export interface RequestOptions {
  /** Cancel the call; it rejects with the signal's reason (an `AbortError` by default). */
  readonly signal?: AbortSignal;
  /** Override the client's timeout for this call (milliseconds until the answer's headers). */
  readonly timeoutMs?: number;
  /** Override the client's retry count for this call (only retry-safe routes ever retry). */
  readonly maxRetries?: number;
}

/** One HTTP call to the API. */
export interface Call {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path under the base URL, e.g. `/audio/quote`. */
  readonly path: string;
  readonly query?: Record<string, string | undefined>;
  readonly body?: unknown;
  /** Whether a retry is safe (cannot double-charge). */
  readonly retry: boolean;
  /** Extra headers of this call (e.g. `Idempotency-Key`). */
  readonly headers?: Record<string, string>;
  readonly options?: RequestOptions;
}

export interface TransportSettings {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  /** Sign in as this x402 wallet (a fresh `SIGN-IN-WITH-X` per request) when no key is set. */
  readonly wallet?: WalletSigner;
  readonly fetch: FetchFunction;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly headers: Record<string, string>;
}

/** Sends calls with authentication, timeouts, typed errors and (where safe) retries. */
export class Transport {
  constructor(readonly settings: TransportSettings) {}

  private url(call: Call): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined) search.set(name, value);
    const query = search.toString();
    return `${this.settings.baseUrl}${call.path}${query ? `?${query}` : ''}`;
  }

  private async init(call: Call, signal: AbortSignal): Promise<RequestInit> {
    const headers: Record<string, string> = { ...this.settings.headers, ...call.headers };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    else if (this.settings.wallet) headers['sign-in-with-x'] = await signInHeader(this.settings.wallet, this.settings.baseUrl);
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    return { method: call.method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body), signal };
  }

  /**
   * Send and return the successful answer with its body unread. The timeout covers the wait for
   * headers; the caller's signal still cancels reading the body.
   */
  async send(call: Call): Promise<Response> {
    const { response, link } = await this.attempt(call);
    link.stopTimer();
    return response;
  }

  /** Send and parse a JSON answer (the timeout covers reading the body too). */
  async json<T>(call: Call): Promise<T> {
    return (await this.jsonWithHeaders<T>(call)).body;
  }

  /** Like `json`, also returning the answer's headers. */
  async jsonWithHeaders<T>(call: Call): Promise<{ readonly body: T; readonly headers: Headers }> {
    const { response, link } = await this.attempt(call);
    try {
      const text = await response.text();
      return { body: JSON.parse(text) as T, headers: response.headers };
    } catch (error) {
      if (call.options?.signal?.aborted) throw abortReason(call.options.signal);
      if (link.timedOut()) throw new TimeoutError('Timed out reading the answer', { cause: error });
      throw new OvertureError('The answer was not valid JSON', { status: response.status, cause: error });
    } finally {
      link.dispose();
    }
  }

  private async attempt(call: Call) {
    const signal = call.options?.signal;
    const maxRetries = call.retry ? (call.options?.maxRetries ?? this.settings.retry.maxRetries) : 0;
    const timeoutMs = call.options?.timeoutMs ?? this.settings.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(signal);
      const link = linkedSignal(signal, timeoutMs);
      let failure: OvertureError;
      let retryable = true;
      let retryAfter: number | undefined;
      try {
        const response = await this.settings.fetch(this.url(call), await this.init(call, link.signal));
        if (response.ok) return { response, link };
        failure = await errorFromResponse(response, { model: modelOf(call.body), modelType: modelTypeOf(call.path) });
        retryable = isRetryableStatus(response.status);
        retryAfter = failure instanceof RateLimitError ? failure.retryAfter : parseRetryAfter(response.headers.get('retry-after'));
      } catch (error) {
        link.dispose();
        if (signal?.aborted) throw abortReason(signal);
        failure = link.timedOut()
          ? new TimeoutError(`No answer within ${timeoutMs} ms`, { cause: error })
          : new ConnectionError(`Could not reach ${this.settings.baseUrl}: ${describe(error)}`, { cause: error });
      }
      link.dispose();
      if (!retryable || attempt >= maxRetries) throw failure;
      await sleep(retryDelay(this.settings.retry, attempt, retryAfter), signal);
    }
  }
}

/** The `model` field of a JSON body, when it has one. */
function modelOf(body: unknown): string | undefined {
  const model = typeof body === 'object' && body !== null ? (body as { model?: unknown }).model : undefined;
  return typeof model === 'string' ? model : undefined;
}

/** The type of model a route takes. */
function modelTypeOf(path: string): string | undefined {
  return path.startsWith('/audio/speech') ? 'tts' : path.startsWith('/audio/') ? 'music' : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
