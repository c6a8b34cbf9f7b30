import { ApiKeysResource, BillingResource, ModelsResource, WebhooksResource } from './account-resources.js';
import { AudioResource } from './audio-resource.js';
import type { QueueRequest } from './audio-types.js';
import { DEFAULT_BASE_URL, fromEnvironment } from './environment.js';
import { type GenerateOptions, type GenerateResult, generate } from './generate.js';
import { type FetchFunction, Transport } from './transport.js';
import type { WalletSigner } from './wallet-sign-in.js';
import { X402Resource } from './x402-resource.js';

/** Options of `new OvertureClient()`. */
export interface ClientOptions {
  /** Default: `OVERTURE_BASE_URL`, `VENICE_BASE_URL`, else `http://localhost:8080/api/v1`. */
  readonly baseUrl?: string;
  /** Default: `OVERTURE_API_KEY`, else `VENICE_API_KEY`. Not needed for `models.list` and `audio.quote`. */
  readonly apiKey?: string;
  /**
   * Use the API as an x402 wallet instead of a key: each request carries a fresh
   * `SIGN-IN-WITH-X` signed by this signer. Ignored when `apiKey` is set.
   */
  readonly wallet?: WalletSigner;
  /** A `fetch` implementation (default: the global one). */
  readonly fetch?: FetchFunction;
  /** Retries of retry-safe calls (quote, retrieve, complete, GETs; queue and speech with an idempotency key); default 2. */
  readonly maxRetries?: number;
  /** Milliseconds to wait for an answer before a `TimeoutError`; default 60 000. */
  readonly timeoutMs?: number;
  /** Backoff before the first retry (doubled each time, with jitter); default 500 ms. */
  readonly retryBaseDelayMs?: number;
  /** Upper bound of one backoff wait, including a server's `Retry-After`; default 30 000 ms. */
  readonly retryMaxDelayMs?: number;
  /** Extra headers sent with every request. */
  readonly headers?: Record<string, string>;
}

/** A client of an Overture (or Venice-compatible) audio API. */
export class OvertureClient {
  /** `GET /models`. */
  readonly models: ModelsResource;
  /** Quote, queue, retrieve, complete and speech. */
  readonly audio: AudioResource;
  /** `GET /billing/balance`. */
  readonly billing: BillingResource;
  /** Key management and rate limits. */
  readonly apiKeys: ApiKeysResource;
  /** Overture's webhook signing secret. */
  readonly webhooks: WebhooksResource;
  /** x402 wallet balance and top-ups. */
  readonly x402: X402Resource;
  /** The resolved base URL (no trailing slash). */
  readonly baseUrl: string;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? fromEnvironment('OVERTURE_BASE_URL', 'VENICE_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    const transport = new Transport({
      baseUrl: this.baseUrl,
      apiKey: options.apiKey ?? (options.wallet ? undefined : fromEnvironment('OVERTURE_API_KEY', 'VENICE_API_KEY')),
      ...(options.wallet ? { wallet: options.wallet } : {}),
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      retry: {
        maxRetries: Math.max(0, options.maxRetries ?? 2),
        baseDelayMs: options.retryBaseDelayMs ?? 500,
        maxDelayMs: options.retryMaxDelayMs ?? 30_000,
      },
      timeoutMs: options.timeoutMs ?? 60_000,
      headers: { ...options.headers },
    });
    this.models = new ModelsResource(transport);
    this.audio = new AudioResource(transport);
    this.billing = new BillingResource(transport);
    this.apiKeys = new ApiKeysResource(transport);
    this.webhooks = new WebhooksResource(transport);
    this.x402 = new X402Resource(transport, options.wallet);
  }

  /**
   * Generate audio through the queue in one call: validate against the model, quote, check
   * `maxPriceUsd`, queue, follow the job (status stream, else polling) until its audio is ready,
   * read the bytes and complete the job. Aborting `signal` after queueing cancels the job.
   */
  generate(request: QueueRequest, options?: GenerateOptions): Promise<GenerateResult> {
    return generate(this, request, options);
  }
}
