/** Events Overture sends to webhooks. */
export type WebhookEvent = 'job.done' | 'job.failed' | 'job.cancelled' | 'media.expiring';

/** The parts of a job an event describes. */
export interface WebhookSubject {
  readonly id: string;
  readonly modelId: string;
  readonly state: string;
  readonly durationSeconds?: number | null;
  readonly expiresAt?: number | null;
  readonly errorStatus?: number | null;
  readonly errorBody?: object | null;
}

/** The JSON body of an event, in the Standard Webhooks shape `{type, timestamp, data}`. */
export function webhookPayload(event: WebhookEvent, job: WebhookSubject, now: number): string {
  const data: Record<string, unknown> = { queue_id: job.id, model: job.modelId, state: job.state };
  if (job.durationSeconds !== undefined && job.durationSeconds !== null) data.duration_seconds = job.durationSeconds;
  if (job.expiresAt) data.media_expires_at = new Date(job.expiresAt).toISOString();
  if (job.errorStatus) data.error = { status: job.errorStatus, ...(job.errorBody ?? {}) };
  return JSON.stringify({ type: event, timestamp: new Date(now).toISOString(), data });
}

/**
 * Delay before delivery attempt `attempt + 1` (after `attempt` failures): quick at first, then
 * hourly, so a receiver that is down for a day still gets the event. `baseMs` scales it (tests).
 */
export function webhookRetryDelayMs(attempt: number, baseMs = 5000): number {
  const steps = [1, 6, 24, 120, 360, 720, 1440];
  return baseMs * (steps[Math.min(attempt - 1, steps.length - 1)] ?? 1440);
}

/** Deliveries are retried for at least this long before they are given up. */
export const WEBHOOK_RETRY_WINDOW_MS = 25 * 3_600_000;
