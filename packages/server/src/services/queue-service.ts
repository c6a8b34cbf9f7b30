import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ApiError, errorFromStored } from '../domain/api-error.js';
import type { Catalog } from '../domain/catalog.js';
import type { ContentPolicy } from '../domain/content-policy.js';
import { isPending } from '../domain/job-state.js';
import { fromMicros } from '../domain/money.js';
import { PricingError, priceJob } from '../domain/pricing.js';
import type { QueueBody, QuoteBody } from '../domain/request-schemas.js';
import { validateQueue, validateQuote } from '../domain/validate-request.js';
import { invalidParameters } from '../domain/validation-error.js';
import { CONTENT_TYPES } from '../audio/encode-audio.js';
import type { MediaStore } from '../ports/media-store.js';
import type { Store } from '../ports/store-port.js';
import type { JobRecord } from '../ports/store.js';
import type { ExecutionEstimates } from './execution-estimates.js';
import { resolveModel } from './model-access.js';
import type { Principal } from './principal.js';

/** What retrieve answers: still processing, or the media with its headers. */
export type RetrieveResult =
  | { readonly kind: 'processing'; readonly body: { status: 'PROCESSING'; average_execution_time: number; execution_duration: number } }
  | { readonly kind: 'media'; readonly stream: Readable; readonly headers: Record<string, string>; readonly afterSend: () => Promise<void> };

export interface QueueServiceDependencies {
  readonly store: Store;
  readonly media: MediaStore;
  readonly catalog: Catalog;
  readonly contentPolicy: ContentPolicy;
  readonly estimates: ExecutionEstimates;
  readonly maxAttempts: number;
  readonly now: () => number;
  /** Called after a job is durably queued (wakes an in-process worker pool). */
  readonly onQueued: (job: JobRecord) => void;
}

/** The asynchronous flow of the contract: quote → queue → retrieve → complete. */
export class QueueService {
  constructor(private readonly deps: QueueServiceDependencies) {}

  quote(body: QuoteBody, principal?: Principal): { quote: number } {
    const model = resolveModel(this.deps.catalog, body.model, 'music', principal);
    validateQuote(model, body);
    const price = withPricingErrors(() => priceJob(model, { durationSeconds: body.duration_seconds, characterCount: body.character_count }));
    return { quote: fromMicros(price.usd) };
  }

  async queue(principal: Principal, body: QueueBody): Promise<{ model: string; queue_id: string; status: 'QUEUED' }> {
    const model = resolveModel(this.deps.catalog, body.model, 'music', principal);
    const request = validateQueue(model, body);
    const violation = this.deps.contentPolicy({ prompt: request.prompt, lyrics_prompt: request.lyrics });
    if (violation) throw new ApiError('content_policy', violation.suggestedPrompt ? { suggested_prompt: violation.suggestedPrompt } : {});
    const price = withPricingErrors(() =>
      priceJob(model, { durationSeconds: request.durationSeconds, characterCount: request.characterCount }),
    );
    const id = randomUUID();
    const outcome = await this.deps.store.enqueue(
      { id, accountId: principal.account.id, keyId: principal.key.id, modelId: model.id, engine: model.engine, request, maxAttempts: this.deps.maxAttempts },
      price,
      this.deps.now(),
    );
    if (!outcome.ok) throw new ApiError(outcome.reason);
    this.deps.onQueued(outcome.value);
    return { model: model.id, queue_id: id, status: 'QUEUED' };
  }

  private async findJob(principal: Principal, modelId: string, queueId: string): Promise<JobRecord> {
    const job = await this.deps.store.getJob(principal.account.id, queueId);
    if (!job || job.modelId !== modelId) throw new ApiError('media_not_found');
    return job;
  }

  async retrieve(principal: Principal, body: { model: string; queue_id: string; delete_media_on_completion?: boolean }): Promise<RetrieveResult> {
    const job = await this.findJob(principal, body.model, body.queue_id);
    if (isPending(job.state)) {
      const model = this.deps.catalog.find(job.modelId);
      const average = model ? await this.deps.estimates.p80(model, job.request.durationSeconds, job.request.characterCount) : 0;
      const body = { status: 'PROCESSING' as const, average_execution_time: average, execution_duration: Math.max(0, this.deps.now() - job.createdAt) };
      return { kind: 'processing', body };
    }
    if (job.state === 'failed' && job.errorStatus && job.errorBody) throw errorFromStored(job.errorStatus, job.errorBody);
    if (job.state !== 'done' || job.mediaDeletedAt !== null || !job.mediaKey) throw new ApiError('media_not_found');
    if (body.delete_media_on_completion && !(await this.deps.store.markMediaDeleted(job.id, this.deps.now())))
      throw new ApiError('media_not_found');
    const media = await this.deps.media.open(job.mediaKey);
    if (!media) throw new ApiError('media_not_found');
    const format = job.request.format;
    return {
      kind: 'media',
      stream: media.stream,
      headers: {
        'content-type': CONTENT_TYPES[format],
        'content-length': String(media.bytes),
        'x-venice-audio-format': format,
        'x-venice-audio-duration': String(job.durationSeconds ?? 0),
        'x-venice-inference-time': String((job.inferenceMs ?? 0) / 1000),
        'x-venice-model-id': job.modelId,
      },
      afterSend: body.delete_media_on_completion ? () => this.purge(job) : async () => undefined,
    };
  }

  async complete(principal: Principal, body: { model: string; queue_id: string }): Promise<{ success: boolean }> {
    const job = await this.findJob(principal, body.model, body.queue_id);
    if (isPending(job.state)) return { success: false };
    if (job.state === 'expired') throw new ApiError('media_not_found');
    if (job.state === 'done' && job.mediaDeletedAt === null) {
      await this.deps.store.markMediaDeleted(job.id, this.deps.now());
      await this.purge(job);
    }
    return { success: true };
  }

  /** Delete the bytes now; if this fails, the reaper's purge sweep deletes them later. */
  private async purge(job: JobRecord): Promise<void> {
    if (!job.mediaKey) return;
    await this.deps.media.delete(job.mediaKey);
    await this.deps.store.markMediaPurged(job.id);
  }
}

function withPricingErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof PricingError) throw invalidParameters([{ path: [error.field], message: error.message }]);
    throw error;
  }
}
