import { CircuitBreaker, type CircuitState } from '../domain/circuit-breaker.js';
import { type Micros, scaleMicros, toMicros } from '../domain/money.js';
import type { Engine, EngineCapabilities } from '../ports/engine.js';
import type { AdapterContext, EngineAdapter } from '../ports/engine-adapter.js';
import type { EngineInstanceConfig, UpstreamCostConfig } from './engines-file.js';
import { EnginesFileError } from './engines-file.js';

/** One engine instance as the server runs it: the engine, its health and what it has in flight. */
export interface EngineInstance {
  readonly name: string;
  readonly adapter: string;
  readonly engine: Engine;
  /** Waits on an upstream over the network (rather than running a built-in engine here). */
  readonly remote: boolean;
  readonly breaker: CircuitBreaker;
  readonly cost: UpstreamCostConfig | undefined;
  /** Calls running now in this process. */
  inFlight: number;
  /** Calls that failed in a way that counts against the instance's health, since start. */
  errors: number;
}

/** A slot taken on an instance for one call; `finish` gives it back and reports how the call went. */
export interface InstanceSlot {
  readonly instance: EngineInstance;
  /** `ok`: healthy; `failed`: counts against its health; `neutral`: says nothing (cancelled, refused input). */
  finish(outcome: 'ok' | 'failed' | 'neutral'): void;
}

/** What the catalog checks a row against: what each instance writes and honours. */
export interface EngineDescription {
  readonly formats: readonly string[];
  readonly capabilities: EngineCapabilities | undefined;
}

/** An instance's state for `/readyz` and `/metrics`. */
export interface InstanceStatus {
  readonly name: string;
  readonly adapter: string;
  readonly remote: boolean;
  readonly up: boolean;
  readonly circuit: CircuitState;
  readonly inFlight: number;
  readonly concurrency: number;
  readonly errors: number;
}

/** The instances of a catalog row's `engine` field, in failover order. */
export function routeOf(engineField: string): string[] {
  return engineField.split(',');
}

/**
 * The engine instances this process runs, by name: the built-in engines with today's defaults,
 * plus (or overridden by) the instances of the engines file, plus engines an embedding
 * application passes in. It hands out slots (concurrency per instance), skips instances whose
 * circuit is open, and prices an instance's upstream cost.
 */
export class EngineRegistry {
  private readonly instances = new Map<string, EngineInstance>();
  private waiters: (() => void)[] = [];

  constructor(
    private readonly now: () => number,
    private readonly circuitDefaults = { failures: 5, cooldownMs: 30_000 },
  ) {}

  /** Create every declared instance; throws one EnginesFileError listing every problem. */
  static build(options: {
    readonly declared: Readonly<Record<string, EngineInstanceConfig>>;
    readonly adapters: Readonly<Record<string, EngineAdapter>>;
    readonly builtinNames: readonly string[];
    readonly extra: readonly Engine[];
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly context: AdapterContext;
    readonly now: () => number;
    readonly defaults: { readonly requestTimeoutMs: number; readonly maxResponseBytes: number };
  }): EngineRegistry {
    const registry = new EngineRegistry(options.now);
    const declared: Record<string, EngineInstanceConfig> = Object.fromEntries(
      options.builtinNames.map((name) => [name, { adapter: name }]),
    );
    for (const engine of options.extra) delete declared[engine.name];
    Object.assign(declared, options.declared);
    const problems: string[] = [];
    for (const [name, config] of Object.entries(declared)) {
      const adapter = options.adapters[config.adapter];
      if (!adapter) {
        problems.push(`${name}.adapter: unknown adapter "${config.adapter}" (known: ${Object.keys(options.adapters).join(', ')})`);
        continue;
      }
      const apiKey = config.api_key_env ? options.env[config.api_key_env] : undefined;
      if (config.api_key_env && !apiKey) problems.push(`${name}.api_key_env: the environment variable ${config.api_key_env} is not set`);
      try {
        const engine = adapter.create(
          {
            name,
            url: config.url?.replace(/\/+$/, ''),
            apiKey,
            concurrency: config.concurrency ?? adapter.defaultConcurrency,
            requestTimeoutMs: (config.timeout_seconds ?? 0) * 1000 || options.defaults.requestTimeoutMs,
            maxResponseBytes: config.max_response_bytes ?? options.defaults.maxResponseBytes,
            options: config.options ?? {},
          },
          options.context,
        );
        registry.add(engine, { adapter: config.adapter, remote: adapter.remote, cost: config.cost, circuit: config.circuit });
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
      }
    }
    for (const engine of options.extra) registry.add(engine, { adapter: 'embedded', remote: false });
    if (problems.length > 0) throw new EnginesFileError(`The engines are not valid:\n  ${problems.join('\n  ')}`);
    return registry;
  }

  /** Register an engine as an instance under its own name. */
  add(
    engine: Engine,
    settings: {
      adapter: string;
      remote: boolean;
      cost?: UpstreamCostConfig;
      circuit?: { failures?: number; cooldown_seconds?: number };
    },
  ): void {
    const breaker = new CircuitBreaker({
      failures: settings.circuit?.failures ?? this.circuitDefaults.failures,
      cooldownMs: (settings.circuit?.cooldown_seconds ?? 0) * 1000 || this.circuitDefaults.cooldownMs,
    });
    const { adapter, remote, cost } = settings;
    this.instances.set(engine.name, { name: engine.name, adapter, engine, remote, breaker, cost, inFlight: 0, errors: 0 });
  }

  get(name: string): EngineInstance | undefined {
    return this.instances.get(name);
  }

  /** Every instance, in declaration order. */
  all(): EngineInstance[] {
    return [...this.instances.values()];
  }

  /** Formats and capabilities by instance name, for the catalog's start-up checks. */
  descriptions(): Map<string, EngineDescription> {
    return new Map(this.all().map((it) => [it.name, { formats: it.engine.formats, capabilities: it.engine.capabilities }]));
  }

  /** Free slots across the route's instances that may take calls now (for claiming jobs). */
  freeSlots(route: readonly string[]): number {
    let free = 0;
    for (const name of new Set(route)) {
      const instance = this.instances.get(name);
      if (instance?.breaker.allows(this.now())) free += Math.max(0, instance.engine.concurrency - instance.inFlight);
    }
    return free;
  }

  /** Sum of the route's instances' concurrency (for queue-position estimates). */
  concurrency(route: readonly string[]): number {
    return route.reduce((sum, name) => sum + (this.instances.get(name)?.engine.concurrency ?? 0), 0) || 1;
  }

  /** Take a slot on the first instance of `route` (not in `skip`) that is up and has room. */
  take(route: readonly string[], skip: ReadonlySet<string> = new Set(), only?: string): InstanceSlot | undefined {
    for (const name of route) {
      if (skip.has(name) || (only !== undefined && name !== only)) continue;
      const instance = this.instances.get(name);
      if (!instance || instance.inFlight >= instance.engine.concurrency || !instance.breaker.begin(this.now())) continue;
      instance.inFlight++;
      let finished = false;
      return {
        instance,
        finish: (outcome) => {
          if (finished) return;
          finished = true;
          instance.inFlight--;
          if (outcome === 'ok') instance.breaker.succeeded();
          else if (outcome === 'failed') {
            instance.errors++;
            instance.breaker.failed(this.now());
          } else instance.breaker.released();
          for (const wake of this.waiters.splice(0)) wake();
        },
      };
    }
    return undefined;
  }

  /** Is any instance of the route up (its circuit not open), busy or not? */
  anyUp(route: readonly string[], skip: ReadonlySet<string> = new Set()): boolean {
    return route.some((name) => !skip.has(name) && this.instances.get(name)?.breaker.allows(this.now()));
  }

  /** Wait until a slot is given back somewhere, or `signal` aborts (then rejects with its reason). */
  released(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** What the instance's upstream charges for a call, in micro-USD, from its configured cost. */
  costOf(instance: EngineInstance, usage: { durationSeconds: number; characters: number }): Micros | undefined {
    const cost = instance.cost;
    if (!cost) return undefined;
    if ('usd_per_job' in cost) return toMicros(cost.usd_per_job);
    if ('usd_per_second' in cost) return scaleMicros(toMicros(cost.usd_per_second), Math.round(usage.durationSeconds * 1000), 1000);
    return scaleMicros(toMicros(cost.usd_per_thousand_characters), usage.characters, 1000);
  }

  /** Every instance's state now. */
  status(): InstanceStatus[] {
    const now = this.now();
    return this.all().map((it) => ({
      name: it.name,
      adapter: it.adapter,
      remote: it.remote,
      up: it.breaker.state(now) !== 'open',
      circuit: it.breaker.state(now),
      inFlight: it.inFlight,
      concurrency: it.engine.concurrency,
      errors: it.errors,
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((it) => it.engine.close?.()));
  }
}
