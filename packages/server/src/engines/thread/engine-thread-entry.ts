/** The engine thread: creates one built-in engine and runs the generations its proxy sends. */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type ByteSink, EngineRejection } from '../../ports/engine.js';
import { createBuiltinEngine } from '../builtin-engines.js';
import type { EngineThreadData, FromEngineThread, ThreadError, ToEngineThread } from './engine-thread-protocol.js';

/** How much lower than the event loop's this thread (and the threads it starts) runs. */
const ENGINE_NICENESS = 10;

const port = parentPort;
if (!port) throw new Error('engine-thread-entry runs in a worker thread');
lowerPriority();
const engine = createBuiltinEngine((workerData as EngineThreadData).engine, true);
/** Each running generation: its abort controller and its writes waiting for the sink (in order). */
interface Running {
  readonly controller: AbortController;
  readonly writes: ((error?: string) => void)[];
}
const running = new Map<number, Running>();
const send = (message: FromEngineThread) => port.postMessage(message);

port.on('message', (message: ToEngineThread) => {
  if (message.type === 'generate') void generate(message.id, message.request);
  else if (message.type === 'abort') running.get(message.id)?.controller.abort();
  else running.get(message.id)?.writes.shift()?.(message.error);
});

async function generate(id: number, request: Extract<ToEngineThread, { type: 'generate' }>['request']): Promise<void> {
  const job: Running = { controller: new AbortController(), writes: [] };
  running.set(id, job);
  const sink: ByteSink = {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        job.writes.push((error) => (error === undefined ? resolve() : reject(new Error(error))));
        // A view on a larger buffer would clone the whole buffer: send exactly its bytes, copied
        // (transferring would detach a buffer here, which slows this thread's later renders).
        const exact = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice();
        send({ type: 'chunk', id, chunk: exact });
      }),
  };
  try {
    const result = await engine.generate(request, sink, {
      signal: job.controller.signal,
      onProgress: (fraction, stage) => send({ type: 'progress', id, fraction, ...(stage === undefined ? {} : { stage }) }),
    });
    send({ type: 'done', id, result: { ...result } });
  } catch (error) {
    send({ type: 'failed', id, error: toThreadError(error) });
  } finally {
    running.delete(id);
  }
}

function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const crossing: ThreadError = { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  if (!(error instanceof EngineRejection)) return crossing;
  const { kind, suggestedPrompt, reason } = error;
  return { ...crossing, kind, ...(suggestedPrompt === undefined ? {} : { suggestedPrompt }), ...(reason === undefined ? {} : { reason }) };
}

/**
 * Give way to the event loop: on Linux a thread has its own nice value (threads it starts inherit
 * it), so when both want the CPU the thread that answers HTTP requests runs first. Elsewhere, or
 * when not permitted, the engine runs at normal priority.
 */
function lowerPriority(): void {
  try {
    const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(thread) && thread > 0) setPriority(thread, ENGINE_NICENESS);
  } catch {
    // not Linux, or not permitted
  }
}
