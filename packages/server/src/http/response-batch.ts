import { type IncomingMessage, ServerResponse } from 'node:http';

/** Responses whose `end` is held until the flush, each followed by the arguments it was called with. */
const held: (BatchedServerResponse | unknown[])[] = [];

/**
 * Response batching: the server's responses (`createServer({ ServerResponse: BatchedServerResponse })`)
 * hold their `end` — the last write, which carries the body and often the headers — until the
 * current turn of the event loop has handled every request it read, then all held responses are
 * written back to back. Each write to a socket whose peer sleeps wakes that peer, and on a virtual
 * machine a wake-up costs more than the rest of a small request; writes in a burst wake a client
 * once, not once per response. A response waits at most for the requests read in the same turn
 * (microseconds to a few milliseconds under load).
 *
 * Until the flush `writableEnded` stays false, so nothing may test it to see whether a response
 * was sent (Fastify tests `headersSent`, which `writeHead` sets at once).
 */
export class BatchedServerResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  /** Set once this response's held `end` ran: any later call goes straight through. */
  private released = false;

  // biome-ignore lint/suspicious/noExplicitAny: `end` is overloaded; its arguments are passed on as they came.
  override end(...args: any[]): this {
    if (this.released) return super.end(...args);
    if (held.push(this, args) === 2) setImmediate(flush);
    return this;
  }

  /** Run the held `end`. */
  release(args: unknown[]): void {
    this.released = true;
    this.end(...args);
  }
}

function flush(): void {
  // Responses held while flushing (a `finish` listener answering another) wait for the next turn.
  const batch = held.splice(0);
  for (let index = 0; index < batch.length; index += 2) {
    const response = batch[index] as BatchedServerResponse;
    try {
      response.release(batch[index + 1] as unknown[]);
    } catch (error) {
      // A failing end (the socket went away) must not stop the other responses.
      response.destroy(error as Error);
    }
  }
}
