import type { Catalog } from '../domain/catalog.js';
import type { Micros } from '../domain/money.js';
import { type EngineRegistry, type InstanceSlot, routeOf } from '../engines/engine-registry.js';
import { StopReason } from '../ports/engine.js';
import type { MediaStore } from '../ports/media-store.js';
import type { Store } from '../ports/store/store.js';
import type { JobRecord } from '../ports/store/store-records.js';
import { runAttempt } from './run-attempt.js';
import type { AttemptReport } from './run-job.js';

export interface WorkerPoolOptions {
  readonly store: Pick<Store, 'jobs' | 'leases'>;
  readonly media: MediaStore;
  readonly engines: EngineRegistry;
  /** The catalog rows' `engine` fields this process claims jobs for (each a failover list). */
  readonly routes: readonly string[];
  readonly catalog: Catalog;
  readonly leaseMs: number;
  /** An attempt still running after this long is aborted and counts as failed (then retried). */
  readonly attemptTimeoutMs: number;
  readonly retentionMs: number;
  readonly pollMs: number;
  readonly now: () => number;
  readonly log: {
    info(object: object, message: string): void;
    warn(object: object, message: string): void;
    error(object: object, message: string): void;
  };
  /** Called when an attempt ends, with the model, the instance it ended on, its outcome and wall time. */
  readonly onAttempt?: (attempt: AttemptReport) => void;
  /** Called with what a remote instance charged for a finished attempt, in micro-USD. */
  readonly onUpstreamCost?: (instance: string, cost: Micros) => void;
}

/**
 * Runs queued jobs on their engine instances: claims as many as the route's instances that are
 * up have free slots, under a lease, renews the lease while the engine works, writes media
 * durably, then settles (fenced). A job whose instance fails moves to the next one of its route.
 */
export class WorkerPool {
  /** Runs by lease token: after a lost lease the same job may run here twice (old and new attempt). */
  private readonly running = new Map<string, { jobId: string; controller: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  /**
   * Start polling. With `holdProcess` the poll timer keeps the process alive until `stop()`: a
   * worker-role process serves no HTTP, so nothing else does, and it would exit (code 0) once idle.
   */
  start(holdProcess = false): void {
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    if (!holdProcess) this.timer.unref();
    this.wake();
  }

  /** Does this pool claim jobs of this route (a job's `engine`)? */
  serves(route: string): boolean {
    return this.options.routes.includes(route);
  }

  /** Look for work now (called after an enqueue in this process, and by the poll timer). */
  wake(): void {
    if (this.stopping) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .catch((error) => this.options.log.error({ err: error }, 'worker tick failed'))
      .finally(() => {
        this.ticking = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Stop a job running in this process now (it was cancelled); false when it does not run here. */
  abort(jobId: string): boolean {
    const runs = [...this.running.values()].filter((run) => run.jobId === jobId);
    for (const run of runs) run.controller.abort(new StopReason('cancelled'));
    return runs.length > 0;
  }

  /** Jobs running in this process now. */
  get active(): number {
    return this.running.size;
  }

  private async tick(): Promise<void> {
    const { store, engines, leaseMs, now } = this.options;
    for (const route of this.options.routes) {
      const instances = routeOf(route);
      const free = engines.freeSlots(instances);
      if (free <= 0) continue;
      const jobs = await store.leases.claimJobs(route, free, leaseMs, now());
      for (const job of jobs) {
        // Resume on the instance that holds the job's upstream request, when it is still there.
        const resumeOn = job.upstream?.instance;
        const slot =
          (resumeOn && instances.includes(resumeOn) ? engines.take(instances, new Set(), resumeOn) : undefined) ?? engines.take(instances);
        // Claimed while stop() began, or every slot went meanwhile: give it back unspent.
        if (this.stopping || !slot) {
          slot?.finish('neutral');
          await store.leases.returnJob(job.id, job.leaseToken as string);
        } else this.launch(job, slot);
      }
    }
  }

  private launch(job: JobRecord, slot: InstanceSlot): void {
    const controller = new AbortController();
    const token = job.leaseToken as string;
    const entry = { jobId: job.id, controller, done: Promise.resolve() };
    this.running.set(token, entry);
    this.options.log.info({ jobId: job.id, model: job.modelId, engine: slot.instance.name, attempt: job.attempt }, 'job started');
    entry.done = runAttempt({ ...this.options, stopping: () => this.stopping }, job, slot, controller)
      // Only a store error while settling gets here. The lease is no longer renewed, so it lapses and
      // the reaper hands the job out again; a crash of this process would stop every other job too.
      .catch((error) => this.options.log.error({ err: error, jobId: job.id, attempt: job.attempt }, 'job could not be settled'))
      .finally(() => {
        this.running.delete(token);
        this.wake();
      });
  }

  /** Stop claiming; let running jobs finish for `graceMs`, then abort them and give them back. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    const all = () => Promise.all([...this.running.values()].map((run) => run.done));
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([all(), timeout])) === 'timeout') {
      for (const run of this.running.values()) run.controller.abort(new StopReason('shutdown'));
      await all();
    }
  }
}
