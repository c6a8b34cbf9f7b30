import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker thread running the module `entry` names, given as its built `.js` URL. Under tsx
 * (tests, development) the sources are `.ts` files, and the thread must register tsx's loader
 * before it imports them; `importer` is the `import.meta.url` of the caller, which tells which.
 */
export function startModuleWorker(importer: string, entry: string, options: WorkerOptions = {}): Worker {
  if (!importer.endsWith('.ts')) return new Worker(new URL(entry, importer), options);
  const loader = import.meta.resolve('tsx/esm/api');
  const source = new URL(entry.replace(/\.js$/, '.ts'), importer).href;
  const code = `import(${JSON.stringify(loader)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(code, { ...options, eval: true });
}
