import type { Worker } from 'node:worker_threads';
import {
  type ByteSink,
  type Engine,
  type EngineCallOptions,
  EngineRejection,
  type EngineRequest,
  type EngineResult,
} from '../../ports/engine.js';
import type { EngineThreadData, FromEngineThread, ThreadError } from './engine-thread-protocol.js';
import { startModuleWorker } from './module-worker.js';

/** A generation in flight: where its bytes and progress go, and how it ends. */
interface Generation {
  readonly sink: ByteSink;
  readonly options: EngineCallOptions;
  readonly resolve: (result: EngineResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * An engine whose generations run on a worker thread of their own (one per engine, started on
 * first use), so that their CPU work never holds up the event loop that answers HTTP requests
 * and claims jobs. `local` gives the name, formats and concurrency; the thread creates its own
 * instance of the built-in engine of that name. Bytes cross as copies, one chunk at a time:
 * the thread writes the next chunk only once the sink took the last one. Aborting the signal
 * aborts the generation there; an `EngineRejection` comes back as one. With `startNow` the thread
 * (and the engine's warm-up there) starts at once instead of on the first generation.
 */
export function threadedEngine(local: Engine, options: { readonly startNow?: boolean } = {}): Engine {
  let thread: Worker | undefined;
  let nextId = 1;
  const generations = new Map<number, Generation>();

  const start = (): Worker => {
    const data: EngineThreadData = { engine: local.name };
    const created = startModuleWorker(import.meta.url, './engine-thread-entry.js', { workerData: data, name: `engine ${local.name}` });
    created.unref();
    created.on('message', (message: FromEngineThread) => receive(created, message));
    const failAll = (error: Error) => {
      if (thread === created) thread = undefined;
      for (const generation of generations.values()) generation.reject(error);
      generations.clear();
    };
    created.on('error', failAll);
    created.on('exit', (code) => failAll(new Error(`engine thread ${local.name} exited (${code})`)));
    return created;
  };

  const receive = (from: Worker, message: FromEngineThread): void => {
    const generation = generations.get(message.id);
    if (!generation) return;
    switch (message.type) {
      case 'chunk':
        // Through a promise: a sink that throws at once refuses the chunk like one that rejects.
        Promise.resolve()
          .then(() => generation.sink.write(message.chunk))
          .then(
            () => from.postMessage({ type: 'written', id: message.id }),
            (error: unknown) => from.postMessage({ type: 'written', id: message.id, error: String((error as Error)?.message ?? error) }),
          );
        return;
      case 'progress':
        generation.options.onProgress(message.fraction, message.stage);
        return;
      case 'done':
        generation.resolve(message.result);
        return;
      case 'failed':
        generation.reject(generation.options.signal.aborted ? abortReason(generation.options.signal) : fromThreadError(message.error));
    }
  };

  if (options.startNow) thread = start();
  return {
    name: local.name,
    formats: local.formats,
    pcmSampleRate: local.pcmSampleRate,
    pacedByText: local.pacedByText,
    concurrency: local.concurrency,
    // A check is pure and cheap: it runs here, on the local instance, not on the thread.
    check: local.check?.bind(local),
    generate(request: EngineRequest, sink: ByteSink, options: EngineCallOptions): Promise<EngineResult> {
      if (options.signal.aborted) return Promise.reject(abortReason(options.signal));
      thread ??= start();
      const worker = thread;
      const id = nextId++;
      return new Promise<EngineResult>((resolve, reject) => {
        const abort = () => worker.postMessage({ type: 'abort', id });
        const settle = () => {
          generations.delete(id);
          options.signal.removeEventListener('abort', abort);
          // An idle thread must not keep the process alive; a busy one must.
          if (generations.size === 0) worker.unref();
        };
        generations.set(id, {
          sink,
          options,
          resolve: (result) => {
            settle();
            resolve(result);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        });
        options.signal.addEventListener('abort', abort, { once: true });
        worker.ref();
        worker.postMessage({ type: 'generate', id, request });
      });
    },
    async close() {
      const running = thread;
      thread = undefined;
      await running?.terminate();
      await local.close?.();
    },
  };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** The error the engine threw, rebuilt on this side (an `EngineRejection` as one). */
function fromThreadError(crossed: ThreadError): Error {
  const error = crossed.kind
    ? new EngineRejection(crossed.kind, crossed.message, crossed.suggestedPrompt, crossed.reason)
    : new Error(crossed.message);
  error.name = crossed.name;
  if (crossed.stack) error.stack = crossed.stack;
  return error;
}
