import type { JobState } from './job-state.js';
import { isPending } from './job-state.js';
import { fromMicros, type Micros } from './money.js';

/** The facts a status view is built from. */
export interface StatusInput {
  readonly id: string;
  readonly modelId: string;
  readonly state: JobState;
  readonly attempt: number;
  readonly progress: number;
  readonly stage: string | null;
  readonly price: Micros;
  readonly currency: 'usd' | 'diem';
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly expiresAt: number | null;
  readonly mediaDeletedAt: number | null;
  readonly errorStatus: number | null;
  readonly errorBody: object | null;
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/**
 * The live status of a job (`GET /audio/status/{id}`): state, queue position, progress, an ETA
 * from the model's P80 time, and what is held. Pure.
 */
export function buildJobStatus(job: StatusInput, context: { position: number | null; p80Ms: number; concurrency: number; now: number }) {
  const pending = isPending(job.state);
  let eta: number | null = null;
  if (job.state === 'queued') eta = Math.round(context.p80Ms * (1 + (context.position ?? 0) / Math.max(1, context.concurrency)));
  if (job.state === 'running') eta = Math.max(0, Math.round(context.p80Ms * (1 - job.progress)));
  return {
    queue_id: job.id,
    model: job.modelId,
    state: job.state,
    attempt: job.attempt,
    queue_position: job.state === 'queued' ? context.position : null,
    progress: job.state === 'done' ? 1 : Math.max(0, Math.min(1, job.progress)),
    stage: job.stage,
    eta_ms: eta,
    price_usd: fromMicros(job.price),
    price_held_usd: pending ? fromMicros(job.price) : 0,
    currency: job.currency === 'diem' ? 'DIEM' : 'USD',
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
    media_expires_at: job.state === 'done' && job.mediaDeletedAt === null ? iso(job.expiresAt) : null,
    error: job.errorStatus ? { status: job.errorStatus, ...(job.errorBody ?? {}) } : null,
  };
}

export type JobStatusView = ReturnType<typeof buildJobStatus>;

/** How often a status stream re-reads its job. */
export interface StatusPollPolicy {
  readonly pollMs: number;
  /** While a running job is about to finish, so a client following it gets its media at once. */
  readonly finishingPollMs: number;
}

/**
 * The wait before a status stream reads its job again: short while a running job is past 80 %
 * of its progress or within a second of its estimated end, otherwise the normal interval.
 */
export function statusPollMs(view: JobStatusView, policy: StatusPollPolicy): number {
  const finishing = view.state === 'running' && (view.progress >= 0.8 || (view.eta_ms !== null && view.eta_ms <= 1000));
  return finishing ? policy.finishingPollMs : policy.pollMs;
}

/** An id for the status as an event: it changes exactly when something a client sees changes. */
export function statusEventId(view: JobStatusView): string {
  return `${view.attempt}-${view.state}-${Math.round(view.progress * 1000)}-${view.stage ?? ''}-${view.queue_position ?? ''}`;
}
