/** One long-lived render worker thread, started on first use and shared by all renders in the process. */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../thread/module-worker.js';
import type { LimitSettings } from '../master/limited-mp3.js';
import type { SpanJob } from './render-span.js';
import type { Mp3TailJob, StatsJob, WorkerReply, WorkerRequest } from './render-worker.js';

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();

function startWorker(): Worker {
  const created = startModuleWorker(import.meta.url, './render-worker.js');
  created.unref();
  created.on('message', (message: WorkerReply) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    // An idle worker must not keep the process alive; a busy one must.
    if (pending.size === 0) created.unref();
    if (message.ok) waiter?.resolve(message);
    else waiter?.reject(new Error(message.error ?? 'render worker failed'));
  });
  const failAll = (error: Error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
    worker = undefined;
  };
  created.on('error', failAll);
  created.on('exit', () => failAll(new Error('render worker exited')));
  return created;
}

function send(request: Omit<WorkerRequest, 'id'>, signal?: AbortSignal): Promise<WorkerReply> {
  worker ??= startWorker();
  const current = worker;
  const id = nextId++;
  return new Promise<WorkerReply>((resolve, reject) => {
    const onAbort = () => current.postMessage({ id, cancel: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.set(id, {
      resolve: (reply) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(reply);
      },
      reject: (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
    });
    current.ref();
    current.postMessage({ id, ...request });
  });
}

/** Render a span in the worker thread; aborting cancels it there. */
export async function renderSpanInWorker(job: SpanJob, signal?: AbortSignal): Promise<void> {
  await send({ job }, signal);
}

/**
 * Encode the tail of an MP3 in the worker thread (channels must be in shared memory), limiting it
 * on the way when `limit` is given (see `encodeLimitedMp3`).
 */
export async function encodeMp3TailInWorker(
  channels: readonly Float32Array[],
  sampleRate: number,
  startFrame: number,
  limit?: LimitSettings,
): Promise<Uint8Array> {
  const mp3Tail: Mp3TailJob = { channels, sampleRate, startFrame, ...(limit ? { limit } : {}) };
  const { bytes } = await send({ mp3Tail });
  if (!bytes) throw new Error('render worker returned no MP3 bytes');
  return bytes;
}

/** Loudness statistics of frames [from, to) of shared channels, measured in the worker thread. */
export async function rangeChunksInWorker(job: StatsJob): Promise<NonNullable<WorkerReply['stats']>> {
  const { stats } = await send({ stats: job });
  if (!stats) throw new Error('render worker returned no statistics');
  return stats;
}

/** Stop the worker thread (it is started again on the next render). */
export async function closeRenderWorker(): Promise<void> {
  const current = worker;
  worker = undefined;
  if (current) await current.terminate();
}
