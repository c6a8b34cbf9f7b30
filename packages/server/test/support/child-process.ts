import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free loopback port (asked of the OS, then released for the child to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server process started from the sources, with its output kept for diagnostics. */
export interface ServerChild {
  readonly name: string;
  readonly process: ChildProcess;
  output(): string;
  /** SIGKILL, or SIGTERM for a graceful stop; resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Start `overture serve --role ROLE` in a child process with `env` added to a clean environment. */
export function startServer(name: string, role: 'api' | 'worker' | 'all', env: Record<string, string>): ServerChild {
  const script = join(import.meta.dirname, 'serve-child.ts');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NODE_TEST')));
  const child = spawn(process.execPath, ['--import', 'tsx', script, 'serve', '--role', role], {
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    name,
    process: child,
    output: () => output,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/** Poll `url` until it answers 200 (bounded; generous, as a start from the TypeScript sources on a loaded machine is slow). */
export async function waitUntilUp(url: string, child: ServerChild, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited early:\n${child.output()}`);
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${child.name} did not come up:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
