import type { EngineInstance } from '../engines/engine-registry.js';
import { EngineRejection, type EngineResult, type StopReason } from '../ports/engine.js';
import type { JobRecord } from '../ports/store/store-records.js';
import { type AttemptContext, classifyFailure, mediaKeyOf, reportAttempt } from './run-job.js';
import type { AttemptJournal } from './upstream-journal.js';

/** What an attempt that generated hands to its settlement. */
export interface Generated {
  readonly instance: EngineInstance;
  readonly journal: AttemptJournal | undefined;
  readonly result: EngineResult;
  readonly bytes: number;
  readonly started: number;
  readonly instanceStarted: number;
  readonly finished: number;
}

/** Record what the upstream charged, then complete the job (fenced); a stale attempt's media goes. */
export async function settleSuccess(context: AttemptContext, job: JobRecord, generated: Generated): Promise<void> {
  const { store, media, engines, log } = context;
  const { instance, journal, result, finished, started } = generated;
  const token = job.leaseToken as string;
  const key = mediaKeyOf(job.id, job.attempt, job.request.format);
  if (journal) {
    const usage = { durationSeconds: result.durationSeconds, characters: job.request.characterCount };
    const entry = journal.latest ?? journal.previous;
    const costMicros = result.upstreamCostMicros ?? engines.costOf(instance, usage);
    await store.leases.recordUpstream(job.id, token, {
      instance: instance.name,
      submissionKey: entry?.submissionKey ?? null,
      requestId: entry?.requestId ?? null,
      latencyMs: finished - generated.instanceStarted,
      costMicros,
    });
    if (costMicros !== undefined) context.onUpstreamCost?.(instance.name, costMicros);
  }
  const model = context.catalog.find(job.modelId);
  const success = {
    mediaKey: key,
    mediaBytes: generated.bytes,
    durationSeconds: result.durationSeconds,
    inferenceMs: finished - started,
    expiresAt: finished + (model?.media_retention_seconds ?? context.retentionMs / 1000) * 1000,
  };
  const settled = await store.leases.completeJob(job.id, token, success, finished);
  if (!settled) await media.delete(key);
  else {
    // Earlier attempts that generated but never settled (a crash, a store error) left their media.
    for (let earlier = 1; earlier < job.attempt; earlier++)
      await media.delete(mediaKeyOf(job.id, earlier, job.request.format)).catch(() => undefined);
    // The upstream's copy goes only once ours is stored for good (a stale attempt leaves it for the live one).
    // Not for an operator to act on: the upstream's copy only outlives its own retention.
    result.cleanup?.().catch((error) => log.info({ jobId: job.id, error: String(error) }, 'upstream clean-up failed'));
  }
  reportAttempt(context, job, { engine: instance.name, outcome: settled ? 'done' : 'stale', milliseconds: finished - started });
}

/** Give the job back (shutdown) or fail the attempt: requeued while attempts remain and the error allows. */
export async function settleFailure(
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
