import type { JobStatus } from '@overture/sdk';
import { formatDuration, formatUsd } from './table.js';

/** One human line for a job status: state, progress, stage, queue position, ETA and hold. */
export function describeStatus(status: JobStatus): string {
  const parts: string[] = [status.state];
  if (status.state === 'running') parts.push(`${Math.floor(status.progress * 100)}%`);
  if (status.stage) parts.push(status.stage);
  if (status.queue_position !== null) parts.push(`position ${status.queue_position + 1} in the queue`);
  if (status.eta_ms !== null) parts.push(`ETA ${formatDuration(status.eta_ms)}`);
  if (status.price_held_usd > 0) parts.push(`${formatUsd(status.price_held_usd)} held`);
  else parts.push(`${formatUsd(status.price_usd)} ${status.state === 'done' ? 'charged' : 'price'}`);
  if (status.error) parts.push(`error ${status.error.status}: ${status.error.error}`);
  if (status.media_expires_at) parts.push(`media until ${status.media_expires_at}`);
  return parts.join(' · ');
}
