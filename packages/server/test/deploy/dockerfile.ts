import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { workerHealthOf } from '../../src/app/worker-health.js';
import { startWorkerHealthServer } from '../../src/http/worker-health-server.js';
import { freePort } from '../support/child-process.js';
import { startTestApp } from '../support/test-app.js';

/** One Dockerfile instruction, its continuation lines joined (Dockerfile reference, "Format"). */
export interface DockerfileInstruction {
  readonly keyword: string;
  readonly arguments: string;
}

/** The instructions of a Dockerfile, without comments, each on one line. */
export function dockerfileInstructions(text: string): DockerfileInstruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const continued = /\\\s*$/.test(line);
    pending += ` ${line.replace(/\\\s*$/, '').trim()}`;
    if (continued) continue;
    if (pending.trim()) logical.push(pending.trim());
    pending = '';
  }
  if (pending.trim()) logical.push(pending.trim());
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), arguments: rest.join(' ') };
  });
}

/** The exec-form command of the Dockerfile's HEALTHCHECK (`HEALTHCHECK [OPTIONS] CMD ["…", …]`). */
export function healthcheckCommand(text: string): string[] {
  const healthcheck = dockerfileInstructions(text).find((instruction) => instruction.keyword === 'HEALTHCHECK');
  const json = healthcheck && /\bCMD\s+(\[.*\])$/.exec(healthcheck.arguments)?.[1];
  if (!json) throw new Error('no exec-form HEALTHCHECK CMD in the Dockerfile');
  return JSON.parse(json) as string[];
}

/**
 * Run `command` (the image's health check) as Docker would, with the container's environment,
 * against an API serving on PORT, a worker's health server on OVERTURE_HEALTH_PORT and a port
 * where nothing listens; answers each exit code (Docker: 0 healthy, 1 unhealthy).
 */
export async function runHealthcheck(command: readonly string[]): Promise<Record<'api' | 'worker' | 'closed', number>> {
  const api = await startTestApp();
  const worker = await startTestApp({ env: { OVERTURE_ROLE: 'worker' } });
  try {
    await api.app.http.listen({ port: 0, host: '127.0.0.1' });
    const apiPort = (api.app.http.server.address() as AddressInfo).port;
    const health = await startWorkerHealthServer(workerHealthOf(worker.app), 0, '127.0.0.1');
    const healthPort = (health.address() as AddressInfo).port;
    try {
      return {
        api: await exitCode(command, { PORT: String(apiPort) }),
        worker: await exitCode(command, { PORT: String(apiPort + 1), OVERTURE_HEALTH_PORT: String(healthPort) }),
        closed: await exitCode(command, { PORT: String(await freePort()) }),
      };
    } finally {
      await new Promise((resolve) => health.close(resolve));
    }
  } finally {
    await Promise.all([api.close(), worker.close()]);
  }
}

async function exitCode(command: readonly string[], env: Record<string, string>): Promise<number> {
  const [program = '', ...rest] = command;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PORT|OVERTURE_|NODE_TEST)/.test(key)));
  const child = spawn(program === 'node' ? process.execPath : program, rest, { env: { ...clean, ...env }, stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code ?? -1;
}
