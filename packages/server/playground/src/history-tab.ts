import { call, callJson } from './api-client.js';
import { byId, element, formatUsd } from './dom.js';
import { showMedia } from './media-player.js';

/** One row of `GET /audio/jobs`. */
interface HistoryEntry {
  readonly queue_id: string;
  readonly model: string;
  readonly state: string;
  readonly price_usd: number | null;
  readonly created_at: string;
  readonly prompt: string;
  readonly duration_seconds: number | null;
  readonly media_available: boolean;
}

/** The History tab: the account's jobs, newest first, a page at a time, with a player where media is kept. */
export function setUpHistoryTab(): { refresh: () => Promise<void> } {
  const body = byId('history-rows');
  const more = byId<HTMLButtonElement>('history-more');
  const line = byId('history-status');
  let cursor: string | null = null;
  const load = async (reset: boolean) => {
    if (reset) cursor = null;
    try {
      const page = await callJson<{ data: HistoryEntry[]; next_cursor: string | null }>(
        `/audio/jobs?limit=20${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`,
      );
      const rows = page.data.map(row);
      if (reset) body.replaceChildren(...rows);
      else body.append(...rows);
      cursor = page.next_cursor;
      more.hidden = cursor === null;
      line.textContent = body.children.length === 0 ? 'No jobs yet.' : `${body.children.length} jobs shown.`;
    } catch (error) {
      line.textContent = `History unavailable: ${(error as Error).message}`;
    }
  };
  more.addEventListener('click', () => void load(false));
  return { refresh: () => load(true) };
}

function row(job: HistoryEntry): HTMLTableRowElement {
  const media = element('td');
  if (job.media_available) {
    const play = element(
      'button',
      { type: 'button', class: 'secondary', 'aria-label': `Play ${job.model} job from ${job.created_at}` },
      'Play',
    );
    play.addEventListener('click', async () => {
      play.disabled = true;
      try {
        const response = await call('/audio/retrieve', { body: { model: job.model, queue_id: job.queue_id } });
        const format = response.headers.get('x-venice-audio-format') ?? 'audio';
        const audio = showMedia(
          media,
          await response.arrayBuffer(),
          response.headers.get('content-type') ?? '',
          `overture-${job.queue_id}.${format}`,
        );
        audio.focus();
      } catch (error) {
        media.textContent = (error as Error).message;
      }
    });
    media.append(play);
  } else media.textContent = 'not kept';
  return element(
    'tr',
    { 'data-state': job.state },
    element('td', {}, new Date(job.created_at).toLocaleString()),
    element('td', {}, job.model),
    element('td', {}, job.state),
    element(
      'td',
      {},
      job.state === 'cancelled' || job.state === 'failed' ? `${formatUsd(job.price_usd)} (not charged)` : formatUsd(job.price_usd),
    ),
    element('td', {}, job.duration_seconds === null ? '—' : `${job.duration_seconds} s`),
    element('td', { class: 'prompt' }, job.prompt),
    media,
  );
}
