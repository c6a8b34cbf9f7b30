import type { JobStatus } from '@overture/sdk';
import { formatDuration, formatUsd } from './table.js';

/** How long a job has run against how long it should take, e.g. `3 s elapsed, about 20 s expected`. */
export function elapsedAgainstExpected(elapsedMs: number, expectedMs: number): string {
  return `${formatDuration(elapsedMs)} elapsed, about ${formatDuration(expectedMs)} expected`;
}

/** The start of a line about a job: its state, the percentage while it runs, its stage and its place in the queue. */
export function stateParts(state: string, fraction: number, stage: string | null, queuePosition: number | null): string[] {
  const parts = [state];
  if (state === 'running') parts.push(`${Math.floor(fraction * 100)}%`);
  if (stage) parts.push(stage);
  if (queuePosition !== null) parts.push(`position ${queuePosition + 1} in the queue`);
  return parts;
}

/** One human line for a job status: state, progress, stage, queue position, ETA and hold. */
export function describeStatus(status: JobStatus): string {
  const parts = stateParts(status.state, status.progress, status.stage, status.queue_position);
  if (status.eta_ms !== null) parts.push(`ETA ${formatDuration(status.eta_ms)}`);
  if (status.price_held_usd > 0) parts.push(`${formatUsd(status.price_held_usd)} held`);
  else parts.push(`${formatUsd(status.price_usd)} ${status.state === 'done' ? 'charged' : 'price'}`);
  if (status.error) parts.push(`error ${status.error.status}: ${status.error.error}`);
  if (status.media_expires_at) parts.push(`media until ${status.media_expires_at}`);
  return parts.join(' · ');
}
