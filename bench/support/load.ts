import autocannon, { type Options } from 'autocannon';
import { median } from './stats.js';

/** Settings shared by every HTTP row (and documented in docs/benchmarks.md). */
export const LOAD = {
  /** Seconds per autocannon run. */
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  /** Runs per figure; the table quotes the median. */
  runs: Number(process.env.BENCH_RUNS ?? 5),
  /** Concurrent keep-alive connections. */
  connections: 32,
};

/** One autocannon run, reduced to what the table needs. */
export interface LoadRun {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** The medians of several runs, and each run. */
export interface LoadSummary {
  readonly rps: number;
  readonly p99: number;
  readonly p50: number;
  readonly runs: readonly LoadRun[];
}

/** Load `options.url` with autocannon `runs` times for `seconds` each; medians of req/s and p99. */
export async function measureLoad(options: Omit<Options, 'duration'>, runs = LOAD.runs, seconds = LOAD.seconds): Promise<LoadSummary> {
  const results: LoadRun[] = [];
  for (let run = 0; run < runs; run++) {
    const result = await autocannon({ connections: LOAD.connections, ...options, duration: seconds });
    const ok = result.requests.total - result.non2xx;
    results.push({
      rps: ok / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    });
  }
  return summarize(results);
}

/** Medians of req/s, p99 and p50 over runs. */
export function summarize(runs: readonly LoadRun[]): LoadSummary {
  return {
    rps: median(runs.map((run) => run.rps)),
    p99: median(runs.map((run) => run.p99)),
    p50: median(runs.map((run) => run.p50)),
    runs,
  };
}

/** Fail loudly when a run answered errors: a fast error is not a result. */
export function assertClean(summary: LoadSummary, what: string): void {
  const bad = summary.runs.find((run) => run.non2xx > 0 || run.errors > 0);
  if (bad) throw new Error(`${what}: ${bad.non2xx} non-2xx answers and ${bad.errors} errors in a run`);
}
