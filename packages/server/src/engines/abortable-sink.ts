import type { ByteSink } from '../ports/engine.js';

/**
 * A sink that refuses every write once `signal` aborted, so an engine busy encoding stops at
 * its next chunk (and never writes after its call was aborted).
 */
export function abortableSink(sink: ByteSink, signal: AbortSignal): ByteSink {
  return {
    write: (chunk) => {
      signal.throwIfAborted();
      return sink.write(chunk);
    },
  };
}
