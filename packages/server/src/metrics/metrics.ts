import { Counter, Histogram, Registry } from 'prom-client';
import type { InstanceStatus } from '../engines/engine-registry.js';
import type { OpenJobCount } from '../ports/store/store-records.js';
import { processMetrics } from './process-metrics.js';
import { registerScrapeGauges } from './scrape-gauges.js';

/** What `Metrics` reads when it is scraped. */
export interface MetricSources {
  /** Queued and running jobs by route and state (`store.statistics.countOpenJobs`); read at most once a second. */
  readonly openJobs: () => Promise<readonly OpenJobCount[]>;
  /** Routes (catalog rows' `engine` fields) whose queue series exist at 0 before their first job. */
  readonly routes?: readonly string[];
  /** Jobs running in this process now. */
  readonly activeJobs: () => number;
  /** The engine instances of this process and their health (`EngineRegistry.status()`). */
  readonly instances?: () => readonly InstanceStatus[];
  /** Clock of the queue gauge's one-second cache (default `Date.now`). */
  readonly now?: () => number;
}

/** How an attempt or a job ended, as the job metrics label it. */
export type JobOutcome = 'done' | 'failed' | 'requeued' | 'cancelled' | 'stale' | 'returned' | 'lease_lost';

/** How one webhook delivery attempt ended. */
export type WebhookOutcome = 'delivered' | 'retrying' | 'gave_up';

const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const JOB_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

type HttpChild = ReturnType<Histogram<'route' | 'method' | 'status_class'>['labels']>;

/**
 * The server's Prometheus metrics, on prom-client: the process's default metrics plus
 * Overture's own (see docs/monitoring.md for the table). Labels are routes, engines, models and
 * outcomes only, never accounts or keys, so the series stay few. An engine instance is labelled
 * `engine`, not `instance`: Prometheus sets `instance` to the scraped target itself.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly http = new Histogram({
    name: 'overture_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern, method and status class.',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  /** Label children by route, method and status: `labels()` hashes its values, too slow per request. */
  private readonly httpChildren = new Map<string, HttpChild>();
  private readonly attempts = new Histogram({
    name: 'overture_job_duration_seconds',
    help: 'Wall time of a job attempt on an engine instance, by instance and outcome.',
    labelNames: ['engine', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });
  private readonly finished = new Counter({
    name: 'overture_jobs_finished_total',
    help: 'Job attempts that ended, by model, engine instance and outcome (requeued attempts are retried).',
    labelNames: ['model', 'engine', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'overture_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome (retrying: failed, tried again later; gave_up: failed for good).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly upstreamCost = new Counter({
    name: 'overture_upstream_cost_usd_micros_total',
    help: 'What remote engine instances charged for finished attempts, in micro-USD, by instance (the engine label).',
    labelNames: ['engine'] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    registerScrapeGauges(this.registry, sources);
  }

  /** An answered request: its route pattern (never the raw URL), method, status and duration. */
  observeHttp(route: string, method: string, status: number, milliseconds: number): void {
    const key = `${status}${method}${route}`;
    let child = this.httpChildren.get(key);
    if (!child) {
      child = this.http.labels(route, method, `${Math.floor(status / 100)}xx`);
      this.httpChildren.set(key, child);
    }
    child.observe(milliseconds / 1000);
  }

  /** An attempt that ended on an engine instance. */
  observeJob(model: string, engine: string, outcome: JobOutcome, milliseconds: number): void {
    this.attempts.labels(engine, outcome).observe(milliseconds / 1000);
    this.finished.labels(model, engine, outcome).inc();
  }

  /** A webhook delivery attempt that ended. */
  observeDelivery(outcome: WebhookOutcome): void {
    this.deliveries.labels(outcome).inc();
  }

  /** What a remote instance charged for a finished attempt. */
  observeUpstreamCost(instance: string, micros: number): void {
    if (micros > 0) this.upstreamCost.labels(instance).inc(micros);
  }

  /** `Content-Type` of `render()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition: process metrics, then Overture's. */
  async render(): Promise<string> {
    const [process, own] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${process}\n${own}`;
  }
}
