import { rmSync } from 'node:fs';
import { killWorld } from './kill-requests.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

type World = ReturnType<typeof killWorld>;

const roleEnv = (world: World, role: 'api' | 'worker') => ({
  OVERTURE_CATALOG: world.catalog,
  OVERTURE_ROLE: role,
  // The worker logs each job's start and end: a failure message shows what it last did.
  ...(role === 'worker' ? { LOG_LEVEL: 'info' } : {}),
});

/**
 * An API-role and a worker-role server process on one SQLite data directory (a kill world).
 * Either may be killed and started again; the fields hold the latest of each.
 */
export class ApiAndWorker {
  private constructor(
    readonly world: World,
    public api: ServerProcess,
    public worker: ServerProcess,
  ) {}

  /** Start an API process, then a worker process, on `world`. */
  static async start(world: World): Promise<ApiAndWorker> {
    const api = await startServerProcess(world.directory, roleEnv(world, 'api'));
    try {
      return new ApiAndWorker(world, api, await startServerProcess(world.directory, roleEnv(world, 'worker')));
    } catch (error) {
      await api.kill();
      throw error;
    }
  }

  /** Start a new API process (after the last one was killed). */
  async restartApi(): Promise<ServerProcess> {
    this.api = await startServerProcess(this.world.directory, roleEnv(this.world, 'api'));
    return this.api;
  }

  /** Start a new worker process (after the last one was killed). */
  async restartWorker(): Promise<ServerProcess> {
    this.worker = await startServerProcess(this.world.directory, roleEnv(this.world, 'worker'));
    return this.worker;
  }

  /** SIGKILL both processes (those already gone are left alone). */
  async kill(): Promise<void> {
    await this.api.kill();
    await this.worker.kill();
  }
}

/** Run `body` on a fresh kill world with an API and a worker process; afterwards both are killed and the data removed. */
export async function withApiAndWorker(body: (processes: ApiAndWorker) => Promise<void>): Promise<void> {
  const world = killWorld();
  try {
    const processes = await ApiAndWorker.start(world);
    try {
      await body(processes);
    } finally {
      await processes.kill();
    }
  } finally {
    rmSync(world.directory, { recursive: true, force: true });
  }
}
