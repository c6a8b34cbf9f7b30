import type { ServerResponse } from 'node:http';
import type { MediaStream } from '../ports/media-store.js';

/** A media stream that can pump itself (local files). */
export type PumpingStream = MediaStream & Required<Pick<MediaStream, 'pumpTo'>>;

/**
 * Copy a local file's media stream (`pumpTo`) to a response (not ending it); resolves once every byte was handed to the
 * client's connection, rejects when a read fails or the client left first. The stream is closed
 * either way.
 */
export async function sendMedia(stream: PumpingStream, response: ServerResponse): Promise<void> {
  try {
    await Promise.race([stream.pumpTo(response), closedEarly(response)]);
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
