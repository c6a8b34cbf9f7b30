import type { InstanceStatus } from './engines/engine-registry.js';

/** A small Prometheus registry: counters and histograms with labels, rendered as text. */
const BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000];

type Labels = Record<string, string>;
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, '_')}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
};

type Series = { labels: Labels; counts: number[]; sum: number; count: number };

/** Counts per bucket (not cumulative: observing is on every request's path), summed when rendered. */
class Histogram {
  /** Series by their two label values (route and status, engine and outcome). */
  private readonly series = new Map<string, Map<string, Series>>();
  /** The series of these two label values; `labels` names them when the series is new. */
  seriesOf(first: string, second: string, labels: () => Labels): Series {
    let inner = this.series.get(first);
    if (!inner) this.series.set(first, (inner = new Map()));
    let entry = inner.get(second);
    if (!entry) inner.set(second, (entry = { labels: labels(), counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    return entry;
  }
  observe(entry: Series, value: number) {
    let index = 0;
    while (index < BUCKETS.length && value > (BUCKETS[index] as number)) index++;
    if (index < BUCKETS.length) (entry.counts[index] as number)++;
    entry.sum += value;
    entry.count++;
  }
  render(name: string, help: string): string[] {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    for (const entry of [...this.series.values()].flatMap((inner) => [...inner.values()])) {
      let cumulative = 0;
      BUCKETS.forEach((bucket, index) => {
        cumulative += entry.counts[index] as number;
        lines.push(`${name}_bucket${labelText({ ...entry.labels, le: String(bucket) })} ${cumulative}`);
      });
      lines.push(`${name}_bucket${labelText({ ...entry.labels, le: '+Inf' })} ${entry.count}`);
      lines.push(`${name}_sum${labelText(entry.labels)} ${entry.sum}`, `${name}_count${labelText(entry.labels)} ${entry.count}`);
    }
    return lines;
  }
}

/** What `Metrics` reads at scrape time. */
export interface MetricGauges {
  readonly jobsByState: Record<string, number>;
  readonly activeJobs: number;
  /** The engine instances of this process and their health (`EngineRegistry.status()`). */
  readonly instances?: readonly InstanceStatus[];
}

/** The per-instance series, read from `EngineRegistry.status()` at scrape time. */
const INSTANCE_SERIES: readonly {
  readonly name: string;
  readonly type: 'gauge' | 'counter';
  readonly help: string;
  readonly value: (instance: InstanceStatus) => number;
  /** Also label the series with the instance's adapter. */
  readonly adapter?: boolean;
}[] = [
  {
    name: 'overture_engine_instance_up',
    type: 'gauge',
    help: 'Whether the engine instance takes calls (0 while its circuit is open).',
    value: (instance) => (instance.up ? 1 : 0),
    adapter: true,
  },
  {
    name: 'overture_engine_instance_in_flight',
    type: 'gauge',
    help: 'Calls running on the engine instance in this process.',
    value: (instance) => instance.inFlight,
  },
  {
    name: 'overture_engine_instance_concurrency',
    type: 'gauge',
    help: 'Calls the engine instance takes at once.',
    value: (instance) => instance.concurrency,
  },
  {
    name: 'overture_engine_instance_circuit_open',
    type: 'gauge',
    help: "Whether the engine instance's circuit breaker is open (1) or closed or half open (0).",
    value: (instance) => (instance.circuit === 'open' ? 1 : 0),
  },
  {
    name: 'overture_engine_instance_errors_total',
    type: 'counter',
    help: 'Calls to the engine instance that failed in a way that counts against its health, since start.',
    value: (instance) => instance.errors,
  },
];

/** The server's metrics: HTTP latency, engine time by outcome, and gauges read at scrape time. */
export class Metrics {
  private readonly http = new Histogram();
  private readonly engine = new Histogram();

  constructor(private readonly gauges: () => Promise<MetricGauges>) {}

  observeHttp(route: string, status: number, milliseconds: number): void {
    const entry = this.http.seriesOf(route, String(status), () => ({ route, status: String(status) }));
    this.http.observe(entry, milliseconds);
  }

  observeEngine(engine: string, outcome: string, milliseconds: number): void {
    this.engine.observe(
      this.engine.seriesOf(engine, outcome, () => ({ engine, outcome })),
      milliseconds,
    );
  }

  async render(): Promise<string> {
    const { jobsByState, activeJobs, instances = [] } = await this.gauges();
    const lines = ['# HELP overture_jobs Jobs by state.', '# TYPE overture_jobs gauge'];
    for (const [state, count] of Object.entries(jobsByState)) lines.push(`overture_jobs{state="${state}"} ${count}`);
    lines.push(
      '# HELP overture_queue_depth Jobs waiting to run.',
      '# TYPE overture_queue_depth gauge',
      `overture_queue_depth ${jobsByState.queued ?? 0}`,
    );
    lines.push(
      '# HELP overture_active_jobs Jobs running in this process.',
      '# TYPE overture_active_jobs gauge',
      `overture_active_jobs ${activeJobs}`,
    );
    if (instances.length > 0)
      for (const series of INSTANCE_SERIES) {
        lines.push(`# HELP ${series.name} ${series.help}`, `# TYPE ${series.name} ${series.type}`);
        for (const instance of instances) {
          const labels: Labels = series.adapter ? { instance: instance.name, adapter: instance.adapter } : { instance: instance.name };
          lines.push(`${series.name}${labelText(labels)} ${series.value(instance)}`);
        }
      }
    lines.push(...this.http.render('overture_http_request_duration_ms', 'HTTP request latency in milliseconds.'));
    lines.push(...this.engine.render('overture_engine_duration_ms', 'Engine time per attempt in milliseconds.'));
    return `${lines.join('\n')}\n`;
  }
}
