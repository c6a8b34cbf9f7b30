import { abortReason, sleep } from './abort.js';
import { ConnectionError, OvertureError } from './errors.js';
import { isFinalState, type JobStatus, type StatusEvent, type WatchOptions } from './job-types.js';
import { parseServerSentEvents } from './server-sent-events.js';
import type { Transport } from './transport.js';

/** The status route answered, but not with an event stream (a server without Overture's extension). */
export class StatusStreamUnavailableError extends OvertureError {
  override name = 'StatusStreamUnavailableError';
}

/**
 * Follow `GET /audio/status/{queue_id}/events` until the job reaches a final state, reconnecting
 * with `Last-Event-ID` (after the server's `retry:` delay) when the stream drops early.
 */
export async function* watchStatus(
  transport: Transport,
  queueId: string,
  options: WatchOptions = {},
): AsyncGenerator<StatusEvent, void, undefined> {
  const { signal } = options;
  const maxReconnects = options.maxReconnects ?? 5;
  let lastEventId = options.lastEventId;
  let retryMs = 1000;
  let reconnects = 0;
  for (;;) {
    const response = await transport.send({
      method: 'GET',
      path: `/audio/status/${encodeURIComponent(queueId)}/events`,
      headers: { accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
      retry: true,
      options: { signal, timeoutMs: options.timeoutMs },
    });
    const type = response.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('text/event-stream')) {
      await response.body?.cancel().catch(() => undefined);
      throw new StatusStreamUnavailableError(`The status route of ${queueId} answered ${type || 'no content type'}, not an event stream`, {
        status: response.status,
      });
    }
    let dropped: unknown;
    try {
      for await (const event of parseServerSentEvents(response.body ?? new ReadableStream(), signal)) {
        if (event.retry !== undefined) retryMs = event.retry;
        lastEventId = event.id ?? lastEventId;
        if (event.event !== 'status' || event.data === '') continue;
        const status = JSON.parse(event.data) as JobStatus;
        reconnects = 0;
        yield { id: event.id, status };
        if (isFinalState(status.state)) return;
      }
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      if (error instanceof SyntaxError) throw error;
      dropped = error;
    }
    if (reconnects++ >= maxReconnects)
      throw new ConnectionError(
        `The status stream of ${queueId} ended before a final state`,
        dropped === undefined ? {} : { cause: dropped },
      );
    await sleep(retryMs, signal);
  }
}
