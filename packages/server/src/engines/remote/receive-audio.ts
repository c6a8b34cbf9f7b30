import { createAudioPipe, formatOfContentType, MalformedAudioError } from '../../audio/audio-pipe.js';
import type { AudioFormat, ByteSink } from '../../ports/engine.js';
import { UpstreamFailure } from './upstream-errors.js';

/** How an upstream's audio answer is taken in. */
export interface ReceiveOptions {
  /** The instance name, for messages. */
  readonly instance: string;
  /** The format the client asked for: the upstream's bytes are converted when they differ. */
  readonly target: AudioFormat;
  readonly sink: ByteSink;
  readonly signal: AbortSignal;
  /** Largest answer accepted, in bytes. */
  readonly maxBytes: number;
  /** Longest wait for the next chunk of the body. */
  readonly idleTimeoutMs: number;
  /** What was asked of the upstream, when its Content-Type says nothing useful. */
  readonly expected?: AudioFormat;
  /** Sample rate of raw `pcm` answers. */
  readonly pcmSampleRate?: number;
}

/**
 * Stream an upstream's audio answer into `sink` as it arrives — passed through when it is
 * already in the target format, converted otherwise — and return its measured duration. A
 * dropped connection, a stall, a body shorter than its Content-Length, or bytes that are not a
 * whole audio file throw `UpstreamFailure`; the caller then discards what the sink received.
 */
export async function receiveAudio(response: Response, options: ReceiveOptions): Promise<{ durationSeconds: number; bytes: number }> {
  const { instance, signal } = options;
  const source = formatOfContentType(response.headers.get('content-type')) ?? options.expected;
  const pipe = createAudioPipe({
    target: options.target,
    sink: options.sink,
    source,
    pcmSampleRate: options.pcmSampleRate,
    maxInputBytes: options.maxBytes,
  });
  const declared = response.headers.get('content-length');
  const body = response.body;
  if (!body) throw new UpstreamFailure(`${instance} answered with no body`);
  const reader = body.getReader();
  let received = 0;
  try {
    for (;;) {
      const next = await withIdleTimeout(reader.read(), options.idleTimeoutMs, signal, instance);
      if (next.done) break;
      received += next.value.byteLength;
      // A sink that stops taking bytes (a client gone) must not hold the call past its abort.
      await untilAborted(pipe.write(next.value), signal);
    }
    if (declared !== null && Number(declared) !== received)
      throw new UpstreamFailure(`${instance} sent ${received} of the ${declared} bytes it announced`);
    const { durationSeconds } = await pipe.end();
    return { durationSeconds, bytes: received };
  } catch (error) {
    reader.cancel().catch(() => undefined);
    pipe.abort();
    signal.throwIfAborted();
    if (error instanceof MalformedAudioError) throw new UpstreamFailure(`${instance} sent malformed audio: ${error.message}`);
    if (error instanceof UpstreamFailure) throw error;
    if (error instanceof TypeError || String((error as { code?: unknown }).code).startsWith('UND_'))
      throw new UpstreamFailure(`${instance} dropped the connection mid-download: ${String((error as Error).message)}`);
    throw error;
  }
}

function withIdleTimeout<T>(read: Promise<T>, ms: number, signal: AbortSignal, instance: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new UpstreamFailure(`${instance} stalled for ${ms} ms mid-answer`))), ms);
    const onAbort = () => finish(() => reject(signal.reason));
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      settle();
    };
    if (signal.aborted) {
      // The read is left behind: when the aborted fetch errors the body, it must not reject unhandled (that ends the process).
      read.catch(() => undefined);
      return onAbort();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    read.then(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
  });
}

/** `work`, or the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
