import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, startChild } from './child.js';

/** Limits and credit high enough that the bench measures the server, not its guards. */
export const BENCH_ENV: Record<string, string> = {
  OVERTURE_RATE_LIMIT_RETRIEVE: '1000000000',
  OVERTURE_RATE_LIMIT_QUEUE: '1000000000',
  OVERTURE_RATE_LIMIT_OTHER: '1000000000',
  OVERTURE_STARTING_CREDIT_USD: '10000000',
  OVERTURE_SQLITE_SYNCHRONOUS: 'FULL',
};

/** An Overture child server on a fresh data directory, removed on stop. */
export interface OvertureServer extends ChildServer {
  readonly url: string;
  readonly key: string;
  readonly directory: string;
  /** Stop the server but keep its data directory (to restart on it). */
  stopKeepingData(): Promise<void>;
}

/** Start Overture in a child process (`env` overrides `BENCH_ENV`); `directory` reuses prepared data. */
export async function startOverture(env: Record<string, string> = {}, directory?: string, key?: string): Promise<OvertureServer> {
  const dataDirectory = directory ?? mkdtempSync(join(tmpdir(), 'overture-bench-'));
  const child = await startChild('bench/support/server-main.ts', { ...BENCH_ENV, OVERTURE_DATA_DIR: dataDirectory, ...env }, true);
  const inferenceKey = key ?? (child.info.inferenceKey as string | null);
  if (!inferenceKey) throw new Error('the bench server did not create an account');
  return {
    ...child,
    url: `http://127.0.0.1:${child.port}`,
    key: inferenceKey,
    directory: dataDirectory,
    stopKeepingData: () => child.stop(),
    async stop() {
      await child.stop();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

/** Headers of an authenticated JSON request. */
export function jsonHeaders(key: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${key}` };
}

/** POST JSON with `fetch` and return the parsed answer (throws on non-2xx). */
export async function postJson(url: string, key: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: jsonHeaders(key), body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}
