/** One long-lived render worker thread, started on first use and shared by all renders in the process. */
import { Worker } from 'node:worker_threads';
import type { SpanJob } from './render-span.js';

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

function startWorker(): Worker {
  // In the build the sources are .js; under tsx (tests, development) they are .ts and the worker
  // must register tsx's loader before importing them.
  let created: Worker;
  if (import.meta.url.endsWith('.ts')) {
    const loader = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./render-worker.ts', import.meta.url).href;
    const code = `import(${JSON.stringify(loader)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
    created = new Worker(code, { eval: true });
  } else {
    created = new Worker(new URL('./render-worker.js', import.meta.url));
  }
  created.unref();
  created.on('message', (message: { id: number; ok: boolean; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    // An idle worker must not keep the process alive; a busy one must.
    if (pending.size === 0) created.unref();
    if (message.ok) waiter?.resolve();
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

/** Render a span in the worker thread; aborting cancels it there. */
export function renderSpanInWorker(job: SpanJob, signal?: AbortSignal): Promise<void> {
  worker ??= startWorker();
  const current = worker;
  const id = nextId++;
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => current.postMessage({ id, cancel: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.set(id, {
      resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); },
      reject: (error) => { signal?.removeEventListener('abort', onAbort); reject(error); },
    });
    current.ref();
    current.postMessage({ id, job });
  });
}

/** Stop the worker thread (it is started again on the next render). */
export async function closeRenderWorker(): Promise<void> {
  const current = worker;
  worker = undefined;
  if (current) await current.terminate();
}
