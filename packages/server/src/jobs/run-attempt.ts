import { type InstanceSlot, routeOf } from '../engines/engine-registry.js';
import { EngineRejection, StopReason } from '../ports/engine.js';
import type { MediaStore } from '../ports/media-store.js';
import type { JobRecord } from '../ports/store/store-records.js';
import { seedOf } from '../services/model-access.js';
import { classifyFailure, mediaKeyOf, reportAttempt } from './run-job.js';
import { attemptJournal } from './upstream-journal.js';
import type { WorkerPoolOptions } from './worker-pool.js';

type AttemptContext = WorkerPoolOptions & { readonly stopping: () => boolean };

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
 */
export async function runAttempt(context: AttemptContext, job: JobRecord, first: InstanceSlot, controller: AbortController): Promise<void> {
  const { store, media, engines, now, log } = context;
  const token = job.leaseToken as string;
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
        const finished = now();
        if (journal) {
          const usage = { durationSeconds: result.durationSeconds, characters: job.request.characterCount };
          const entry = journal.latest ?? journal.previous;
          const costMicros = result.upstreamCostMicros ?? engines.costOf(instance, usage);
          await store.leases.recordUpstream(job.id, token, {
            instance: instance.name,
            submissionKey: entry?.submissionKey ?? null,
            requestId: entry?.requestId ?? null,
            latencyMs: finished - instanceStarted,
            costMicros,
          });
          if (costMicros !== undefined) context.onUpstreamCost?.(instance.name, costMicros);
        }
        const success = {
          mediaKey: key,
          mediaBytes: bytes,
          durationSeconds: result.durationSeconds,
          inferenceMs: finished - started,
          expiresAt: finished + (model?.media_retention_seconds ?? context.retentionMs / 1000) * 1000,
        };
        const settled = await store.leases.completeJob(job.id, token, success, finished);
        slot.finish('ok');
        if (!settled) await media.delete(key);
        // The upstream's copy goes only once ours is stored for good (a stale attempt leaves it for the live one).
        // Not for an operator to act on: the upstream's copy only outlives its own retention.
        else result.cleanup?.().catch((error) => log.info({ jobId: job.id, error: String(error) }, 'upstream clean-up failed'));
        reportAttempt(context, job, { engine: instance.name, outcome: settled ? 'done' : 'stale', milliseconds: finished - started });
        return;
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
    }
  } finally {
    stopLease();
  }
}

/** Give the job back (shutdown) or fail the attempt: requeued while attempts remain and the error allows. */
async function settleFailure(
  context: AttemptContext,
  job: JobRecord,
  error: unknown,
  reason: StopReason['kind'] | undefined,
  instance: string,
  started: number,
) {
  const { store, now, log } = context;
  const token = job.leaseToken as string;
  if (context.stopping() && reason !== undefined) {
    await store.leases.returnJob(job.id, token);
    reportAttempt(context, job, { engine: instance, outcome: 'returned', milliseconds: now() - started });
    return;
  }
  const failure = classifyFailure(error, job.attempt, now());
  const stored = await store.leases.failJob(job.id, token, failure, now());
  // A user's cancel and a lease taken over are normal ends, as is input the engine refused.
  const outcome = reason === 'cancelled' || reason === 'lease_lost' ? reason : stored;
  const stopped = outcome !== stored;
  const why = { error: error instanceof Error ? error.message.slice(0, 200) : String(error), status: failure.status };
  reportAttempt(context, job, { engine: instance, outcome, milliseconds: now() - started }, stopped ? {} : why);
  // Only an engine's own failure, for good, is for an operator to look at (with its stack).
  if (!stopped && stored === 'failed' && !(error instanceof EngineRejection))
    log.warn({ err: error, jobId: job.id, engine: instance, attempt: job.attempt }, 'job failed');
}
