import type { ServerResponse } from 'node:http';

/** `end` as called: its overloads flattened to the arguments passed on. */
type End = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

/** Responses finished since the last flush, with the arguments their `end` was called with. */
const finished: ServerResponse[] = [];
const endArguments: unknown[][] = [];
const originalEnd = Symbol('originalEnd');

interface HeldResponse extends ServerResponse {
  [originalEnd]: End;
}

/**
 * Response batching: a response's `end` (its last write, which carries the body and often the
 * headers) is held until the current turn of the event loop has handled every request it read,
 * then all held responses are written back to back. Each write to a socket whose peer sleeps
 * wakes that peer, and on a virtual machine a wake-up costs more than the rest of a small
 * request; writes in a burst wake a client once, not once per response. A response waits at
 * most for the requests read in the same turn (microseconds to a few milliseconds under load).
 *
 * Until the flush `writableEnded` stays false, so nothing may test it to see whether a response
 * was sent (Fastify tests `headersSent`, which `writeHead` sets at once).
 */
export function batchResponseEnd(response: ServerResponse): void {
  (response as HeldResponse)[originalEnd] = response.end as End;
  response.end = heldEnd as ServerResponse['end'];
}

function heldEnd(this: ServerResponse, ...args: unknown[]): ServerResponse {
  if (finished.push(this) === 1) setImmediate(flush);
  endArguments.push(args);
  return this;
}

function flush(): void {
  // Responses held while flushing (a `finish` listener answering another) wait for the next turn.
  const responses = finished.splice(0);
  const args = endArguments.splice(0);
  for (let index = 0; index < responses.length; index++) {
    const response = responses[index] as HeldResponse;
    const end = response[originalEnd];
    (response as ServerResponse).end = end as ServerResponse['end'];
    try {
      end.apply(response, args[index] as unknown[]);
    } catch (error) {
      // A failing end (the socket went away) must not stop the other responses.
      response.destroy(error as Error);
    }
  }
}
