import { Counter, Gauge, type Registry } from 'prom-client';
import type { InstanceStatus } from '../engines/engine-registry.js';
import type { OpenJobCount } from '../ports/store/store-records.js';
import type { MetricSources } from './metrics.js';

const CIRCUIT_STATES = ['closed', 'half_open', 'open'] as const;
const QUEUE_CACHE_MS = 1000;

/** Gauges read when scraped: queue depth from the store (cached a second), the engine instances, running jobs. */
export function registerScrapeGauges(registry: Registry, sources: MetricSources): void {
  const now = sources.now ?? Date.now;
  let cached: { at: number; counts: Promise<readonly OpenJobCount[]> } | undefined;
  // Series of routes whose queue emptied stay, at 0: a graph falls to zero rather than stopping,
  // and the catalog's routes have theirs from the start, so an alert has a series to watch.
  const seen = new Set<string>(
    (sources.routes ?? []).flatMap((route) => ['queued', 'running'].map((state) => JSON.stringify([route, state]))),
  );
  new Gauge({
    name: 'overture_queue_jobs',
    help: 'Jobs queued or running, by route (the catalog row engine field) and state, across all processes.',
    labelNames: ['engine', 'state'] as const,
    registers: [registry],
    async collect() {
      if (!cached || now() - cached.at >= QUEUE_CACHE_MS) cached = { at: now(), counts: sources.openJobs() };
      const counts = await cached.counts.catch((error) => {
        cached = undefined;
        throw error;
      });
      this.reset();
      for (const key of seen) {
        const [engine, state] = JSON.parse(key) as [string, string];
        this.labels(engine, state).set(0);
      }
      for (const { engine, state, count } of counts) {
        seen.add(JSON.stringify([engine, state]));
        this.labels(engine, state).set(count);
      }
    },
  });
  new Gauge({
    name: 'overture_worker_jobs_running',
    help: 'Jobs running in this process.',
    registers: [registry],
    collect() {
      this.set(sources.activeJobs());
    },
  });
  const instances = sources.instances ?? (() => []);
  const instanceGauge = (name: string, help: string, value: (instance: InstanceStatus) => number, adapter = false) =>
    new Gauge({
      name,
      help,
      labelNames: adapter ? (['engine', 'adapter'] as const) : (['engine'] as const),
      registers: [registry],
      collect() {
        this.reset();
        for (const instance of instances())
          this.set(adapter ? { engine: instance.name, adapter: instance.adapter } : { engine: instance.name }, value(instance));
      },
    });
  instanceGauge(
    'overture_engine_instance_up',
    'Whether the engine instance takes calls (0 while its circuit is open).',
    (i) => (i.up ? 1 : 0),
    true,
  );
  instanceGauge('overture_engine_instance_in_flight', 'Calls running on the engine instance in this process.', (i) => i.inFlight);
  instanceGauge('overture_engine_instance_concurrency', 'Calls the engine instance takes at once.', (i) => i.concurrency);
  new Gauge({
    name: 'overture_engine_circuit_state',
    help: "The engine instance's circuit breaker: 1 for its current state (closed, half_open or open), 0 for the others.",
    labelNames: ['engine', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const instance of instances())
        for (const state of CIRCUIT_STATES) this.set({ engine: instance.name, state }, instance.circuit === state ? 1 : 0);
    },
  });
  new Counter({
    name: 'overture_engine_instance_errors_total',
    help: 'Calls to the engine instance that failed in a way that counts against its health, since the process started.',
    labelNames: ['engine'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const instance of instances()) this.inc({ engine: instance.name }, instance.errors);
    },
  });
}
