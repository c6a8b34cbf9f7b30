import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root (the bench runs from anywhere). */
export const ROOT = resolve(import.meta.dirname, '../..');

/** A server running in a child process, isolated from the load generator in this process. */
export interface ChildServer {
  readonly pid: number;
  readonly port: number;
  /** The rest of the child's first stdout line (e.g. the inference key). */
  readonly info: Record<string, unknown>;
  /** The child's resident set size in bytes, read from /proc. */
  rss(): number;
  /** SIGTERM, then wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/**
 * Start `script` (TypeScript, run through tsx) with `env` added; resolves once it printed its
 * JSON line. `BENCH_CPU_PROF=<dir>` profiles Overture children with `--cpu-prof`.
 */
export async function startChild(script: string, env: Record<string, string> = {}, profile = false): Promise<ChildServer> {
  const profileDir = process.env.BENCH_CPU_PROF;
  const nodeArgs = profile && profileDir ? [`--cpu-prof`, `--cpu-prof-dir=${resolve(profileDir)}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', resolve(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await firstLine(child);
  const info = JSON.parse(line) as Record<string, unknown>;
  const pid = child.pid as number;
  return {
    pid,
    port: Number(info.port),
    info,
    rss: () => readRss(pid),
    stop: () => stopChild(child),
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before it was ready`));
    child.once('exit', onExit);
    lines.once('line', (text) => {
      child.off('exit', onExit);
      resolvePromise(text);
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** VmRSS of a process in bytes (0 when it is gone). */
export function readRss(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
