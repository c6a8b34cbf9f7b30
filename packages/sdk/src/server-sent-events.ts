import { abortReason } from './abort.js';

/** One event of a `text/event-stream`, as the HTML standard's parser builds it. */
export interface ServerSentEvent {
  /** The `event:` field; `message` when absent. */
  readonly event: string;
  /** The `data:` lines joined with newlines. */
  readonly data: string;
  /** The last `id:` seen so far in the stream (it carries over to later events). */
  readonly id: string | undefined;
  /** A `retry:` reconnection delay in milliseconds, when this event set one. */
  readonly retry: number | undefined;
}

/** Split text into complete lines (CR, LF or CRLF); returns the lines and the unfinished rest. */
function splitLines(buffer: string): { lines: string[]; rest: string } {
  const lines: string[] = [];
  let start = 0;
  for (let index = 0; index < buffer.length; index++) {
    const character = buffer[index];
    if (character !== '\n' && character !== '\r') continue;
    if (character === '\r' && index === buffer.length - 1) break; // a CR at the end may be half of CRLF
    lines.push(buffer.slice(start, index));
    if (character === '\r' && buffer[index + 1] === '\n') index++;
    start = index + 1;
  }
  return { lines, rest: buffer.slice(start) };
}

/**
 * Parse a Server-Sent Events body (web streams only, no dependency). Comments (`: keep-alive`) are
 * skipped; events without data are not dispatched unless they set `retry`. Stops reading — and
 * cancels the body — when the consumer stops or `signal` fires.
 */
export async function* parseServerSentEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const onAbort = () => void reader.cancel(abortReason(signal as AbortSignal)).catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  let buffer = '';
  let first = true;
  let lastId: string | undefined;
  let event = '';
  let data: string[] = [];
  let retry: number | undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal?.aborted) throw abortReason(signal);
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      const { lines, rest } = splitLines(buffer);
      buffer = rest;
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0 || retry !== undefined) yield { event: event || 'message', data: data.join('\n'), id: lastId, retry };
          event = '';
          data = [];
          retry = undefined;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\u0000')) lastId = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await reader.cancel().catch(() => undefined);
  }
}
