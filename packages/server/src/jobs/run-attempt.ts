import { type InstanceSlot, routeOf } from '../engines/engine-registry.js';
import { EngineRejection, type EngineResult, StopReason } from '../ports/engine.js';
import type { MediaStore } from '../ports/media-store.js';
import type { JobRecord } from '../ports/store/store-records.js';
import { seedOf } from '../services/model-access.js';
import { type AttemptContext, mediaKeyOf } from './run-job.js';
import { settleFailure, settleSuccess } from './settle-attempt.js';
import { attemptJournal } from './upstream-journal.js';

/** Renew the lease every lease/3 while the attempt runs; a lost lease (or a cancel) aborts it. */
function keepLease(context: AttemptContext, job: JobRecord, controller: AbortController, progress: () => [number, string | null]) {
  const { store, now, leaseMs } = context;
  const token = job.leaseToken as string;
  const renew = async () => {
    const [fraction, stage] = progress();
    if (await store.leases.renewLease(job.id, token, now() + leaseMs, fraction, stage)) return;
    // Cancelled by another process, or reclaimed after a stall: only a cancel abandons upstream work.
    const current = await store.jobs.getJob(job.accountId, job.id).catch(() => undefined);
    controller.abort(new StopReason(current?.state === 'cancelled' ? 'cancelled' : 'lease_lost'));
  };
  const timer = setInterval(() => renew().catch(() => undefined), Math.max(50, leaseMs / 3));
  const deadline = setTimeout(() => controller.abort(new StopReason('timed_out')), context.attemptTimeoutMs);
  return () => {
    clearInterval(timer);
    clearTimeout(deadline);
  };
}

/**
 * One attempt of a claimed job: generate on the slot's instance into a media writer, then
 * commit the media and settle (fenced). When the instance fails (not the request), the attempt
 * moves to the next instance of the job's route that is up; rejections and aborts do not.
 * A store error while settling rejects (it is no instance failure): the job's lease then lapses
 * and the reaper hands the job out again.
 */
export async function runAttempt(context: AttemptContext, job: JobRecord, first: InstanceSlot, controller: AbortController): Promise<void> {
  const { store, media, engines, now, log } = context;
  const started = now();
  let progress: [number, string | null] = [0, null];
  const stopLease = keepLease(context, job, controller, () => progress);
  // An engine that ignores its abort signal must not hold the job (or shutdown) forever.
  const aborted = new Promise<never>((_resolve, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
  );
  aborted.catch(() => undefined);
  const key = mediaKeyOf(job.id, job.attempt, job.request.format);
  const model = context.catalog.find(job.modelId);
  const tried = new Set<string>();
  let slot = first;
  try {
    for (;;) {
      const { instance } = slot;
      const instanceStarted = now();
      let writer: Awaited<ReturnType<MediaStore['create']>> | undefined;
      const journal = instance.remote ? attemptJournal(store, job, instance.name, controller) : undefined;
      let generated: { result: EngineResult; bytes: number; finished: number };
      try {
        writer = await media.create(key);
        const generation = instance.engine.generate(
          {
            ...job.request,
            modelId: job.modelId,
            modelType: 'music',
            options: model?.engine_options ?? {},
            seed: seedOf(job.modelId, job.request),
            requestId: job.id,
          },
          writer as NonNullable<typeof writer>,
          { signal: controller.signal, onProgress: (fraction, stage) => (progress = [fraction, stage ?? null]), upstream: journal },
        );
        generation.catch(() => undefined);
        const result = await Promise.race([generation, aborted]);
        const { bytes } = await writer.commit();
        generated = { result, bytes, finished: now() };
      } catch (error) {
        await writer?.abort().catch(() => undefined);
        const stopped = controller.signal.aborted;
        const healthy = stopped || error instanceof EngineRejection;
        slot.finish(healthy ? 'neutral' : 'failed');
        tried.add(instance.name);
        const next = healthy ? undefined : engines.take(routeOf(job.engine), tried);
        if (next) {
          log.warn({ err: error, jobId: job.id, from: instance.name, to: next.instance.name }, 'engine instance failed; failing over');
          slot = next;
          continue;
        }
        const stop = stopped ? (controller.signal.reason as unknown) : undefined;
        await settleFailure(context, job, error, stop instanceof StopReason ? stop.kind : undefined, instance.name, started);
        return;
      }
      // The instance did its work: a store error from here on is no instance failure (no failover);
      // it reaches the pool, and the job runs again once its lease lapses.
      slot.finish('ok');
      await settleSuccess(context, job, { instance, instanceStarted, journal, started, ...generated });
      return;
    }
  } finally {
    stopLease();
  }
}
