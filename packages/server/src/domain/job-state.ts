/**
 * The life of a job. `queued` → `running` → `done` | `failed`; a running job whose lease runs out
 * goes back to `queued` (or `failed` after its last attempt); a done job whose media outlives its
 * retention becomes `expired`. `cancelled` is reached from `queued` or `running`.
 */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'expired';

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'done', 'failed', 'cancelled', 'expired'];

const transitions: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ['running', 'cancelled', 'failed'],
  running: ['done', 'failed', 'queued', 'cancelled'],
  done: ['expired'],
  failed: [],
  cancelled: [],
  expired: [],
};

/** May a job move from one state to another? */
export function canTransition(from: JobState, to: JobState): boolean {
  return transitions[from].includes(to);
}

/** A job that has not finished yet (the client sees `PROCESSING`). */
export function isPending(state: JobState): boolean {
  return state === 'queued' || state === 'running';
}

/** A job whose money has been settled for good. */
export function isFinal(state: JobState): boolean {
  return transitions[state].length === 0 || state === 'done';
}

/** Delay before attempt `attempt` (1-based) runs again after a lost lease: exponential, capped. */
export function retryBackoffMs(attempt: number, baseMs = 1000, capMs = 60_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
