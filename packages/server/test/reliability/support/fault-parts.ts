import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Store } from '../../../src/ports/store/store.js';
import { withLeaseMethod } from '../../support/lease-method.js';

/** A lease token a worker was handed, kept to replay settles with it later. */
export interface SeenToken {
  readonly jobId: string;
  readonly token: string;
}

/** Wrap a store so that every claimed lease token is recorded (for stale-settle replays). */
export function recordingStore(store: Store, tokens: SeenToken[]): Store {
  return withLeaseMethod(store, 'claimJobs', (claimJobs) => async (...args) => {
    const jobs = await claimJobs(...args);
    for (const job of jobs) if (job.leaseToken) tokens.push({ jobId: job.id, token: job.leaseToken });
    return jobs;
  });
}

/** Start a worker process on the shared directory; resolves once it works. */
export async function spawnWorker(directory: string, catalog: string, seed: number, databaseUrl?: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fault-child.ts'), directory, catalog, String(seed), databaseUrl ?? ''],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    setTimeout(() => reject(new Error('worker did not start')), 120_000).unref();
  });
  return child;
}

/** SIGKILL a worker process and wait until it is gone. */
export async function killWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
