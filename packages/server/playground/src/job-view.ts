import { call, callJson } from './api-client.js';
import { announce } from './announcer.js';
import { byId, element, formatSeconds, formatUsd } from './dom.js';
import type { Model } from './models.js';
import { showMedia } from './media-player.js';
import { followStatus, type JobStatus } from './status-stream.js';

/** Words for a status: state, queue position, stage, progress and ETA. */
export function describeStatus(status: JobStatus): string {
  const parts: string[] = [];
  if (status.state === 'queued') parts.push(status.queue_position ? `Queued, position ${status.queue_position}` : 'Queued');
  else if (status.state === 'running')
    parts.push(`Running${status.stage ? ` (${status.stage})` : ''}: ${Math.round(status.progress * 100)}%`);
  else parts.push(status.state[0]?.toUpperCase() + status.state.slice(1));
  if ((status.state === 'queued' || status.state === 'running') && status.eta_ms !== null)
    parts.push(`about ${formatSeconds(status.eta_ms / 1000)} left`);
  return parts.join(', ');
}

/**
 * Show one queued job in #job: live progress from the status stream, a Cancel that really cancels
 * (the hold is released), then the player, waveform, download and Complete.
 */
export async function runJob(model: Model, queueId: string, onEnd: () => void): Promise<void> {
  const box = byId('job');
  const statusLine = element('p', { class: 'job-status', role: 'status', 'aria-live': 'polite' }, 'Queued');
  const bar = element('progress', { max: 1, value: 0, 'aria-label': 'Progress' });
  const cancel = element('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const result = element('div', { class: 'job-result' });
  const heading = element('h3', { tabindex: -1 }, `Job ${queueId}`);
  box.replaceChildren(heading, bar, statusLine, cancel, result);
  // Screen-reader and keyboard users land on the job they started; its status line is live from here.
  heading.focus();
  onEnd();
  const stream = new AbortController();
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      const answer = await callJson<{ success: boolean; message?: string }>('/audio/cancel', {
        body: { model: model.id, queue_id: queueId },
      });
      if (answer.success) {
        stream.abort();
        statusLine.textContent = 'Cancelled: the hold on your balance was released.';
        announce('Job cancelled; the held amount is back in your balance.');
        bar.value = 0;
        onEnd();
      } else statusLine.textContent = answer.message ?? 'The job had already finished.';
    } catch (error) {
      statusLine.textContent = `Cancel failed: ${(error as Error).message}`;
      cancel.disabled = false;
    }
  });
  let final: JobStatus;
  try {
    final = await followStatus(
      queueId,
      (status) => {
        statusLine.textContent = describeStatus(status);
        bar.value = status.progress;
        box.dataset.state = status.state;
      },
      stream.signal,
    );
  } catch (error) {
    if (!stream.signal.aborted) statusLine.textContent = `Lost the job's status: ${(error as Error).message}`;
    return;
  }
  cancel.remove();
  box.dataset.state = final.state;
  if (final.state !== 'done') {
    const why = typeof final.error === 'string' ? final.error : (final.error?.message ?? '');
    statusLine.textContent = `${describeStatus(final)}${why ? `: ${why}` : ''}. Nothing was charged.`;
    announce(`The job ${final.state}.`);
    onEnd();
    return;
  }
  try {
    const response = await call('/audio/retrieve', { body: { model: model.id, queue_id: queueId } });
    const bytes = await response.arrayBuffer();
    const format = response.headers.get('x-venice-audio-format') ?? 'audio';
    statusLine.textContent = `Done: charged ${formatUsd(final.price_usd)}.`;
    showMedia(result, bytes, response.headers.get('content-type') ?? 'audio/mpeg', `overture-${queueId}.${format}`);
    const complete = element('button', { type: 'button', class: 'secondary' }, 'Complete (delete from server)');
    complete.addEventListener('click', async () => {
      complete.disabled = true;
      await callJson('/audio/complete', { body: { model: model.id, queue_id: queueId } })
        .then(() => {
          complete.replaceWith(element('p', {}, 'Completed: the server no longer keeps this track. Your download link still works here.'));
          onEnd();
        })
        .catch((error: Error) => {
          complete.disabled = false;
          statusLine.textContent = `Complete failed: ${error.message}`;
        });
    });
    result.append(complete);
    announce('Your track is ready.');
  } catch (error) {
    statusLine.textContent = `Retrieve failed: ${(error as Error).message}`;
  }
  onEnd();
}
