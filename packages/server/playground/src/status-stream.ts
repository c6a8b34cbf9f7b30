import { parseServerSentEvents } from '../../../sdk/src/server-sent-events.js';
import { call, ServerError } from './api-client.js';

/** One `status` event of `GET /audio/status/{id}/events` (docs/extensions.md). */
export interface JobStatus {
  readonly queue_id: string;
  readonly state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'expired';
  readonly queue_position: number | null;
  readonly progress: number;
  readonly stage: string | null;
  readonly eta_ms: number | null;
  readonly price_usd: number | null;
  readonly error: { message?: string } | string | null;
}

const FINAL = new Set(['done', 'failed', 'cancelled', 'expired']);
const RECONNECTS = 20;

/**
 * Follow a job's status stream until a final state. EventSource cannot send the key, so this reads
 * the stream with fetch and the SDK's parser; a dropped stream is resumed with `Last-Event-ID`
 * (at most RECONNECTS times, a second apart). Resolves with the final status.
 */
export async function followStatus(queueId: string, onStatus: (status: JobStatus) => void, signal: AbortSignal): Promise<JobStatus> {
  let lastId: string | undefined;
  let last: JobStatus | undefined;
  for (let attempt = 0; attempt <= RECONNECTS; attempt++) {
    try {
      const response = await call(`/audio/status/${encodeURIComponent(queueId)}/events`, {
        signal,
        headers: lastId ? { 'last-event-id': lastId, accept: 'text/event-stream' } : { accept: 'text/event-stream' },
      });
      if (!response.body) throw new Error('The status stream has no body');
      for await (const event of parseServerSentEvents(response.body, signal)) {
        lastId = event.id ?? lastId;
        if (event.event !== 'status') continue;
        last = JSON.parse(event.data) as JobStatus;
        onStatus(last);
        if (FINAL.has(last.state)) return last;
      }
    } catch (error) {
      if (signal.aborted || (error instanceof ServerError && error.status < 500)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`The status stream kept dropping${last ? ` (last state: ${last.state})` : ''}`);
}
