import { type Database, rowsOf } from './exact-money-audit.js';
import type { ServerProcess } from './server-process.js';

/** How to wait for jobs to end: who runs them, what to do between looks, when to give up. */
export interface JobWatch {
  /** The process that runs the jobs: its exit ends the wait, and its log tail goes into the reason. */
  readonly worker?: ServerProcess;
  /** Called before each look (a drain moves the shared clock here). */
  readonly eachRound?: () => void;
  /** Pause between looks (default 250 ms). */
  readonly intervalMs?: number;
  /** Give up once no job has changed state or attempt for this long (default 120 s). */
  readonly stillMs?: number;
  /** Give up after this long in any case (default 5 minutes). */
  readonly limitMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each state with its number of jobs, `queued×4, running×2`. */
export function stateCounts(states: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${state}×${count}`).join(', ') || 'no jobs';
}

/**
 * Wait until no job is queued or running. The wait follows progress, not the machine's speed:
 * it goes on while jobs change state or attempt (a loaded machine runs them slowly), and gives
 * up only when none has moved for `stillMs`, the worker process has exited, or after `limitMs`.
 * Resolves undefined once every job has ended, else with why it gave up (the jobs' states and
 * the tail of the worker's log).
 */
export async function waitForJobsToEnd(database: Database, watch: JobWatch = {}): Promise<string | undefined> {
  const { worker, eachRound, intervalMs = 250, stillMs = 120_000, limitMs = 300_000 } = watch;
  const started = Date.now();
  let moved = started;
  let last = '';
  for (;;) {
    eachRound?.();
    const rows = await rowsOf(database, 'SELECT id, state, attempt FROM jobs ORDER BY id');
    const states = rows.map((row) => String(row.state));
    if (!states.some((state) => state === 'queued' || state === 'running')) return undefined;
    const now = Date.now();
    const seen = rows.map((row) => `${row.id}:${row.state}:${row.attempt}`).join(',');
    if (seen !== last) moved = now;
    last = seen;
    const exited = worker && (worker.child.exitCode !== null || worker.child.signalCode !== null);
    const problem = exited
      ? `the worker process exited (code ${worker.child.exitCode}, signal ${worker.child.signalCode}) with jobs waiting`
      : now - moved >= stillMs
        ? `no job moved for ${Math.round((now - moved) / 1000)} s`
        : now - started >= limitMs
          ? `jobs still moving after ${Math.round((now - started) / 1000)} s`
          : undefined;
    if (problem) return `${problem}: ${stateCounts(states)}${worker ? `\nworker log tail:\n${worker.output()}` : ''}`;
    await sleep(intervalMs);
  }
}
