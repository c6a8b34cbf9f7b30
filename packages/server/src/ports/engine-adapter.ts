import type { Engine } from './engine.js';

/** One engine instance's settings, validated, with its credential read from the environment. */
export interface InstanceSettings {
  /** The instance's name in the engines file (also its `Engine.name`). */
  readonly name: string;
  /** Base URL of a remote instance, without a trailing slash. */
  readonly url: string | undefined;
  /** The credential read from the variable `api_key_env` names. */
  readonly apiKey: string | undefined;
  /** Calls it runs at once, per process. */
  readonly concurrency: number;
  /** How long one upstream request may take. */
  readonly requestTimeoutMs: number;
  /** Largest answer accepted from the upstream, in bytes. */
  readonly maxResponseBytes: number;
  /** Adapter-specific settings, checked by the adapter's `create`. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What every adapter gets besides its settings. */
export interface AdapterContext {
  /** Run built-in engines on worker threads of their own (the server's default). */
  readonly threads: boolean;
  /** The HTTP client remote adapters use (the global `fetch`; tests may pass another). */
  readonly fetch: typeof fetch;
}

/**
 * A kind of engine instance the engines file can declare (`"adapter": "<name>"`): a built-in
 * engine, or a client of an upstream model server. Adapters live in `engines/<adapter>/`.
 */
export interface EngineAdapter {
  /** Remote adapters wait on the network on the event loop; built-ins run on threads. */
  readonly remote: boolean;
  /** Concurrency when the engines file gives none. */
  readonly defaultConcurrency: number;
  /** Create the instance; throws an Error whose message says what is wrong with `settings` (e.g. a missing url). */
  create(settings: InstanceSettings, context: AdapterContext): Engine;
}
