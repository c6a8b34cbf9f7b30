import type { ServerResponse } from 'node:http';
import type { MediaStream } from '../ports/media-store.js';

/**
 * Copy a media stream to a response (not ending it); resolves once every byte was handed to the
 * client's connection, rejects when a read fails or the client left first. The stream is closed
 * either way.
 */
export async function sendMedia(stream: MediaStream, response: ServerResponse): Promise<void> {
  try {
    if (stream.pumpTo) await Promise.race([stream.pumpTo(response), closedEarly(response)]);
    else await copy(stream, response);
  } finally {
    stream.destroy();
  }
}

/** Rejects when the response closes before it finished (a write to a gone socket never calls back). */
function closedEarly(response: ServerResponse): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    const left = () => reject(new Error('the client left before the media was sent'));
    if (response.destroyed) return left();
    response.once('close', left);
  });
}

async function copy(stream: MediaStream, response: ServerResponse): Promise<void> {
  const closed = closedEarly(response);
  closed.catch(() => undefined);
  let last: Promise<void> = Promise.resolve();
  for await (const chunk of stream) {
    // Callbacks come in order: the last write's tells that every byte before it went out too.
    last = new Promise<void>((resolve, reject) => response.write(chunk as Uint8Array, (error) => (error ? reject(error) : resolve())));
    last.catch(() => undefined);
    if (response.writableNeedDrain) await Promise.race([new Promise((resolve) => response.once('drain', resolve)), closed]);
  }
  await Promise.race([last, closed]);
}
