import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreatedAccount } from '../../../src/services/account-service.js';

/** A running `server-child.ts`: its port, the account it created on first start, its output. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly created: CreatedAccount | null;
  output(): string;
  /** SIGKILL (no shutdown of any kind); resolves once the process is gone. */
  kill(): Promise<void>;
}

/** Settings every kill test shares: loopback, any port, quiet, generous limits, short leases. */
export const KILL_ENV = {
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  OVERTURE_SQLITE_SYNCHRONOUS: 'FULL',
  OVERTURE_LEASE_SECONDS: '2',
  OVERTURE_MAX_ATTEMPTS: '3',
  OVERTURE_SHUTDOWN_GRACE_SECONDS: '0',
  OVERTURE_RATE_LIMIT_QUEUE: '100000',
  OVERTURE_RATE_LIMIT_RETRIEVE: '100000',
  OVERTURE_RATE_LIMIT_OTHER: '100000',
  OVERTURE_STARTING_CREDIT_USD: '5',
  // Engines on the main thread: a process starts faster, and a kill takes everything at once.
  OVERTURE_ENGINE_THREADS: 'false',
};

/** Move the shared clock of the server processes on `directory` to `offsetMs` ahead of real time. */
export function setClock(directory: string, offsetMs: number): void {
  writeFileSync(join(directory, 'clock-offset'), String(offsetMs));
}

/** Start a server process with `env` (plus the shared clock file of `directory`); resolves once it serves. */
export async function startServerProcess(directory: string, env: Record<string, string>, limitMs = 120_000): Promise<ServerProcess> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NODE_TEST')));
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'server-child.ts')], {
    env: { ...clean, ...KILL_ENV, OVERTURE_DATA_DIR: directory, OVERTURE_TEST_CLOCK_FILE: join(directory, 'clock-offset'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => {
    output = (output + chunk).slice(-10_000);
  });
  const first = await new Promise<{ port: number; created: CreatedAccount | null }>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within ${limitMs} ms:\n${output}`)), limitMs);
    child.stdout!.on('data', (chunk) => {
      buffer += chunk;
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (${code}):\n${output}`));
    });
  });
  return {
    child,
    ...first,
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
