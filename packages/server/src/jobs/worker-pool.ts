import type { Catalog } from '../domain/catalog.js';
import type { Engine } from '../ports/engine.js';
import type { MediaStore } from '../ports/media-store.js';
import type { Store } from '../ports/store-port.js';
import type { JobRecord } from '../ports/store.js';
import { seedOf } from '../services/model-access.js';
import { classifyFailure, type EngineRegistry, mediaKeyOf } from './run-job.js';

export interface WorkerPoolOptions {
  readonly store: Store;
  readonly media: MediaStore;
  readonly engines: EngineRegistry;
  readonly catalog: Catalog;
  readonly leaseMs: number;
  /** An attempt still running after this long is aborted and counts as failed (then retried). */
  readonly attemptTimeoutMs: number;
  readonly retentionMs: number;
  readonly pollMs: number;
  readonly now: () => number;
  readonly log: { info(object: object, message: string): void; error(object: object, message: string): void };
  /** Called when an attempt ends, with the engine's wall time. */
  readonly onAttempt?: (engine: string, outcome: string, milliseconds: number) => void;
}

/**
 * Runs queued jobs on their engines: claims up to each engine's concurrency under a lease,
 * renews the lease while the engine works, writes media durably, then settles (fenced).
 */
export class WorkerPool {
  /** Runs by lease token: after a lost lease the same job may run here twice (old and new attempt). */
  private readonly running = new Map<string, { engine: string; jobId: string; controller: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
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
    for (const run of runs) run.controller.abort(new Error('cancelled'));
    return runs.length > 0;
  }

  /** Jobs running in this process now. */
  get active(): number {
    return this.running.size;
  }

  private async tick(): Promise<void> {
    for (const engine of this.options.engines.values()) {
      const busy = [...this.running.values()].filter((run) => run.engine === engine.name).length;
      const free = engine.concurrency - busy;
      if (free <= 0) continue;
      const jobs = await this.options.store.claimJobs(engine.name, free, this.options.leaseMs, this.options.now());
      for (const job of jobs) {
        // Claimed while stop() began: give it back at once rather than run it unwatched.
        if (this.stopping) await this.options.store.returnJob(job.id, job.leaseToken as string);
        else this.launch(job, engine);
      }
    }
  }

  private launch(job: JobRecord, engine: Engine): void {
    const controller = new AbortController();
    const token = job.leaseToken as string;
    const entry = { engine: engine.name, jobId: job.id, controller, done: Promise.resolve() };
    this.running.set(token, entry);
    entry.done = this.run(job, engine, controller).finally(() => {
      this.running.delete(token);
      this.wake();
    });
  }

  private async run(job: JobRecord, engine: Engine, controller: AbortController): Promise<void> {
    const { store, media, now } = this.options;
    const token = job.leaseToken as string;
    const started = now();
    let progress = { fraction: 0, stage: null as string | null };
    const renew = setInterval(
      () => {
        store
          .renewLease(job.id, token, now() + this.options.leaseMs, progress.fraction, progress.stage)
          .then((held) => held || controller.abort(new Error('lease lost')))
          .catch(() => undefined);
      },
      Math.max(50, this.options.leaseMs / 3),
    );
    const key = mediaKeyOf(job.id, job.attempt, job.request.format);
    const deadline = setTimeout(() => controller.abort(new Error('attempt timed out')), this.options.attemptTimeoutMs);
    // An engine that ignores its abort signal must not hold the job (or shutdown) forever.
    const aborted = new Promise<never>((_resolve, reject) =>
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
    );
    aborted.catch(() => undefined);
    let writer: Awaited<ReturnType<MediaStore['create']>> | undefined;
    try {
      writer = await media.create(key);
      const model = this.options.catalog.find(job.modelId);
      const generation = engine.generate(
        { ...job.request, modelId: job.modelId, options: model?.engine_options ?? {}, seed: seedOf(job.modelId, job.request) },
        writer as NonNullable<typeof writer>,
        { signal: controller.signal, onProgress: (fraction, stage) => (progress = { fraction, stage: stage ?? null }) },
      );
      generation.catch(() => undefined);
      const result = await Promise.race([generation, aborted]);
      const { bytes } = await writer.commit();
      const finished = now();
      const settled = await store.completeJob(
        job.id,
        token,
        {
          mediaKey: key,
          mediaBytes: bytes,
          durationSeconds: result.durationSeconds,
          inferenceMs: finished - started,
          expiresAt: finished + this.options.retentionMs,
        },
        finished,
      );
      if (!settled) await media.delete(key);
      this.options.onAttempt?.(engine.name, settled ? 'done' : 'stale', finished - started);
    } catch (error) {
      await writer?.abort().catch(() => undefined);
      if (this.stopping && controller.signal.aborted) {
        await store.returnJob(job.id, token);
        this.options.onAttempt?.(engine.name, 'returned', now() - started);
        return;
      }
      const outcome = await store.failJob(job.id, token, classifyFailure(error, job.attempt, now()), now());
      this.options.log.error({ err: error, jobId: job.id, attempt: job.attempt, outcome }, 'job attempt failed');
      this.options.onAttempt?.(engine.name, outcome, now() - started);
    } finally {
      clearInterval(renew);
      clearTimeout(deadline);
    }
  }

  /** Stop claiming; let running jobs finish for `graceMs`, then abort them and give them back. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    const all = () => Promise.all([...this.running.values()].map((run) => run.done));
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([all(), timeout])) === 'timeout') {
      for (const run of this.running.values()) run.controller.abort(new Error('shutting down'));
      await all();
    }
  }
}
