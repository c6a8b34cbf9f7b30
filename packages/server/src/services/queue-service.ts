import { randomUUID } from 'node:crypto';
import { ApiError, errorFromStored } from '../domain/api-error.js';
import type { Catalog } from '../domain/catalog.js';
import type { ContentPolicy } from '../domain/content-policy.js';
import { isPending } from '../domain/job-state.js';
import { fromMicros } from '../domain/money.js';
import { PricingError, priceJob } from '../domain/pricing.js';
import { EXTENSION_FIELDS, type QueueBody, type QuoteBody } from '../domain/request-schemas.js';
import type { CurrencyAmounts } from '../domain/currency.js';
import { buildJobStatus, type JobStatusView } from '../domain/job-status.js';
import type { CatalogModel } from '../domain/model-spec.js';
import { isValidIdempotencyKey, requestHash } from './request-hash.js';
import { checkWebhookUrl } from './webhook-target.js';
import { signQuote, verifyQuote } from './quote-token.js';
import { newWebhookSecret } from './webhook-signature.js';
import { hasDurationMetadata, type JobRequest, validateQueue, validateQuote } from '../domain/validate-request.js';
import { invalidParameters } from '../domain/validation-error.js';
import { CONTENT_TYPES } from '../audio/encode-audio.js';
import type { EngineCheckProblem } from '../ports/engine.js';
import type { MediaStore, MediaStream } from '../ports/media-store.js';
import type { Store } from '../ports/store/store.js';
import type { JobRecord } from '../ports/store/store-records.js';
import type { ExecutionEstimates } from './execution-estimates.js';
import { assertAccepting, resolveModel } from './model-access.js';
import type { Principal } from './principal.js';
import type { VoiceDirectory } from './voice-directory.js';
import { buildHistoryPage, parseHistoryPage } from '../domain/job-history.js';

/** What retrieve answers: still processing, or the media with its headers. */
export type RetrieveResult =
  | { readonly kind: 'processing'; readonly body: { status: 'PROCESSING'; average_execution_time: number; execution_duration: number } }
  | {
      readonly kind: 'media';
      readonly stream: MediaStream;
      readonly headers: Record<string, string>;
      /** Call once the answer ended: `sent` when every byte was handed to the client's connection. */
      readonly finish: (sent: boolean) => Promise<void>;
    };

export interface QueueServiceDependencies {
  readonly store: Pick<Store, 'accounts' | 'jobs' | 'webhooks' | 'housekeeping'>;
  readonly media: MediaStore;
  readonly catalog: Catalog;
  readonly contentPolicy: ContentPolicy;
  readonly estimates: ExecutionEstimates;
  readonly maxAttempts: number;
  readonly now: () => number;
  /** Called after a job is durably queued (wakes an in-process worker pool). */
  readonly onQueued: (job: JobRecord) => void;
  /** Called after a job is cancelled (aborts it if it runs in this process). */
  readonly onCancelled: (jobId: string) => void;
  /** Overture's extensions (webhooks, binding quotes) on every model, not only Overture's own. */
  readonly extensionsEverywhere: boolean;
  readonly webhookAllowPrivate: boolean;
  readonly idempotencyMs: number;
  readonly quoteTtlMs: number;
  /** Engine concurrency, for ETAs. */
  readonly concurrencyOf: (engine: string) => number;
  /** Voices of rows whose voices live upstream; absent: every row's own list only. */
  readonly voices?: Pick<VoiceDirectory, 'allowed'>;
  /** Whether a row's engines can make a request (see `Engine.check`), asked before the hold; absent: all can. */
  readonly check?: (engineField: string, request: JobRequest) => EngineCheckProblem | undefined;
}

/** What queue answers, and whether it was a replay of an earlier request with the same key. */
export interface QueueAnswer {
  readonly body: { model: string; queue_id: string; status: 'QUEUED' };
  readonly replayed: boolean;
}

/** The asynchronous flow of the contract: quote → queue → retrieve → complete. */
export class QueueService {
  private readonly secrets = new Map<string, string>();
  /** Jobs whose media this process is sending with `delete_media_on_completion`: one at a time. */
  private readonly deleting = new Set<string>();

  constructor(private readonly deps: QueueServiceDependencies) {}

  /** Are Overture's extension fields accepted for this model? */
  private extensionsFor(model: CatalogModel): boolean {
    return this.deps.extensionsEverywhere || model.owned_by === 'overture';
  }

  /** The price of a request, as the contract's quote answers it without a key (pure arithmetic). */
  price(body: QuoteBody, principal?: Principal): { model: CatalogModel; durationSeconds: number | undefined; price: CurrencyAmounts } {
    const model = resolveModel(this.deps.catalog, body.model, 'music', principal);
    validateQuote(model, body);
    const durationSeconds = body.duration_seconds ?? (hasDurationMetadata(model) ? model.model_spec.default_duration : undefined);
    return {
      model,
      durationSeconds,
      price: withPricingErrors(() => priceJob(model, { durationSeconds, characterCount: body.character_count })),
    };
  }

  /** The quote without a key: `{ quote }` in USD. */
  publicQuote(body: QuoteBody): { quote: number } {
    return { quote: fromMicros(this.price(body).price.usd) };
  }

  /** The price in USD; with a key, on models that take extensions, also a binding `quote_id`. */
  async quote(body: QuoteBody, principal?: Principal): Promise<{ quote: number; quote_id?: string; expires_at?: string }> {
    const { model, durationSeconds, price } = this.price(body, principal);
    if (!principal || !this.extensionsFor(model)) return { quote: fromMicros(price.usd) };
    const expiresAt = this.deps.now() + this.deps.quoteTtlMs;
    const terms = {
      accountId: principal.account.id,
      modelId: model.id,
      durationSeconds: durationSeconds ?? null,
      characterCount: body.character_count ?? null,
      price,
      expiresAt,
    };
    const quoteId = signQuote(await this.accountSecret(principal.account.id), terms);
    return { quote: fromMicros(price.usd), quote_id: quoteId, expires_at: new Date(expiresAt).toISOString() };
  }

  /** The account's signing secret, read once per process. */
  private async accountSecret(accountId: string): Promise<string> {
    let secret = this.secrets.get(accountId);
    if (!secret) this.secrets.set(accountId, (secret = await this.deps.store.accounts.webhookSecret(accountId, newWebhookSecret)));
    return secret;
  }

  async queue(principal: Principal, body: QueueBody, idempotencyKey?: string): Promise<QueueAnswer> {
    const model = resolveModel(this.deps.catalog, body.model, 'music', principal);
    assertAccepting(model);
    const { webhook_url: ownWebhook, quote_id: quoteId, ...contract } = body;
    if (!this.extensionsFor(model)) {
      const unknown = EXTENSION_FIELDS.filter((field) => body[field] !== undefined);
      if (unknown.length > 0)
        throw invalidParameters([
          {
            path: [],
            code: 'unrecognized_keys',
            message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((f) => `"${f}"`).join(', ')}`,
          },
        ]);
    }
    const request = validateQueue(model, contract, await this.deps.voices?.allowed(model, contract.voice));
    // A request the engine cannot make is a 400 now, so the client never pays for a guess.
    const problem = this.deps.check?.(model.engine, request);
    if (problem) throw invalidParameters([{ path: [problem.field], message: problem.message }]);
    const webhookProblem = ownWebhook === undefined ? undefined : checkWebhookUrl(ownWebhook, this.deps.webhookAllowPrivate);
    if (webhookProblem) throw invalidParameters([{ path: ['webhook_url'], message: webhookProblem }]);
    const violation = this.deps.contentPolicy({ prompt: request.prompt, lyrics_prompt: request.lyrics });
    if (violation) throw new ApiError('content_policy', violation.suggestedPrompt ? { suggested_prompt: violation.suggestedPrompt } : {});
    const price = quoteId
      ? await this.lockedPrice(principal, model, quoteId, request)
      : withPricingErrors(() => priceJob(model, { durationSeconds: request.durationSeconds, characterCount: request.characterCount }));
    if (idempotencyKey !== undefined && !isValidIdempotencyKey(idempotencyKey)) throw new ApiError('idempotency_key_invalid');
    const now = this.deps.now();
    const outcome = await this.deps.store.jobs.enqueue(
      {
        id: randomUUID(),
        accountId: principal.account.id,
        keyId: principal.key.id,
        modelId: model.id,
        engine: model.engine,
        request,
        maxAttempts: this.deps.maxAttempts,
        webhookUrl: ownWebhook ?? principal.key.webhookUrl,
        idempotency:
          idempotencyKey === undefined
            ? undefined
            : { key: idempotencyKey, requestHash: requestHash('queue', body), expiresAt: now + this.deps.idempotencyMs },
      },
      price,
      now,
    );
    if (!outcome.ok) throw new ApiError(outcome.reason);
    if (!outcome.replayed) this.deps.onQueued(outcome.value);
    return { body: { model: model.id, queue_id: outcome.value.id, status: 'QUEUED' }, replayed: outcome.replayed };
  }

  /** The price of a binding quote, when it is the caller's, unexpired, and for the same request. */
  private async lockedPrice(principal: Principal, model: CatalogModel, quoteId: string, request: JobRequest): Promise<CurrencyAmounts> {
    const quote = verifyQuote(await this.accountSecret(principal.account.id), quoteId);
    const problem =
      !quote || quote.accountId !== principal.account.id || quote.expiresAt <= this.deps.now()
        ? 'Quote not found or expired'
        : quote.modelId !== model.id
          ? 'Quote is for another model'
          : (quote.durationSeconds ?? undefined) !== request.durationSeconds
            ? 'Quote is for another duration'
            : quote.characterCount !== null && request.characterCount > quote.characterCount
              ? 'Quote is for fewer characters'
              : undefined;
    if (problem || !quote) throw invalidParameters([{ path: ['quote_id'], message: problem ?? 'Quote not found or expired' }]);
    return quote.price;
  }

  /** Cancel a waiting or running job and release its hold in full. */
  async cancel(principal: Principal, body: { model: string; queue_id: string }) {
    await this.findJob(principal, body.model, body.queue_id);
    const outcome = await this.deps.store.jobs.cancelJob(principal.account.id, body.queue_id, this.deps.now());
    if (!outcome) throw new ApiError('media_not_found');
    if (outcome.outcome === 'final')
      return { success: false, queue_id: body.queue_id, state: outcome.state, message: `The job is already ${outcome.state}` };
    this.deps.onCancelled(body.queue_id);
    return { success: true, queue_id: body.queue_id, state: 'cancelled' as const, was: outcome.was };
  }

  /** The live status of a job of this account. */
  async status(principal: Principal, queueId: string): Promise<JobStatusView> {
    const job = await this.deps.store.jobs.getJob(principal.account.id, queueId);
    if (!job) throw new ApiError('media_not_found');
    const model = this.deps.catalog.find(job.modelId);
    const p80Ms = model ? await this.deps.estimates.p80(model, job.request.durationSeconds, job.request.characterCount) : 0;
    const position = job.state === 'queued' ? await this.deps.store.jobs.queuePosition(job.id) : null;
    return buildJobStatus(job, { position, p80Ms, concurrency: this.deps.concurrencyOf(job.engine), now: this.deps.now() });
  }

  /** A page of this account's jobs, newest first (`GET /audio/jobs?limit=&after=`). */
  async history(principal: Principal, query: unknown) {
    const page = parseHistoryPage(query);
    const jobs = await this.deps.store.jobs.listJobs(principal.account.id, page.limit + 1, page.after);
    return buildHistoryPage(jobs, page, this.deps.now());
  }

  /** The webhook delivery log of a job of this account. */
  async deliveries(principal: Principal, queueId: string) {
    const job = await this.deps.store.jobs.getJob(principal.account.id, queueId);
    if (!job) throw new ApiError('media_not_found');
    const log = await this.deps.store.webhooks.listDeliveries(principal.account.id, queueId);
    return {
      object: 'list',
      data: log.map((delivery) => ({
        id: delivery.id,
        event: delivery.event,
        url: delivery.url,
        state: delivery.state,
        attempts: delivery.attempts,
        last_status: delivery.lastStatus,
        last_error: delivery.lastError,
        created_at: new Date(delivery.createdAt).toISOString(),
        delivered_at: delivery.deliveredAt === null ? null : new Date(delivery.deliveredAt).toISOString(),
        next_attempt_at: delivery.state === 'pending' ? new Date(delivery.nextAttemptAt).toISOString() : null,
      })),
    };
  }

  private async findJob(principal: Principal, modelId: string, queueId: string): Promise<JobRecord> {
    const job = await this.deps.store.jobs.getJob(principal.account.id, queueId);
    if (!job || job.modelId !== modelId) throw new ApiError('media_not_found');
    return job;
  }

  async retrieve(
    principal: Principal,
    body: { model: string; queue_id: string; delete_media_on_completion?: boolean },
  ): Promise<RetrieveResult> {
    const job = await this.findJob(principal, body.model, body.queue_id);
    if (isPending(job.state)) {
      const model = this.deps.catalog.find(job.modelId);
      const average = model ? await this.deps.estimates.p80(model, job.request.durationSeconds, job.request.characterCount) : 0;
      const body = {
        status: 'PROCESSING' as const,
        average_execution_time: average,
        execution_duration: Math.max(0, this.deps.now() - job.createdAt),
      };
      return { kind: 'processing', body };
    }
    if (job.state === 'failed' && job.errorStatus && job.errorBody) throw errorFromStored(job.errorStatus, job.errorBody);
    if (job.state !== 'done' || job.mediaDeletedAt !== null || !job.mediaKey) throw new ApiError('media_not_found');
    const deleting = body.delete_media_on_completion === true;
    if (deleting) await this.claimDelete(job);
    const media = await this.deps.media.open(job.mediaKey).catch((error) => {
      if (deleting) this.deleting.delete(job.id);
      throw error;
    });
    if (!media) {
      if (deleting) this.deleting.delete(job.id);
      throw new ApiError('media_not_found');
    }
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
      // Paid audio is deleted only once all of it was sent: a dropped download can be retried.
      finish: async (sent) => {
        if (!deleting) return;
        try {
          if (sent) await this.deleteSent(job);
        } finally {
          this.deleting.delete(job.id);
        }
      },
    };
  }

  async complete(principal: Principal, body: { model: string; queue_id: string }): Promise<{ success: boolean }> {
    const job = await this.findJob(principal, body.model, body.queue_id);
    if (isPending(job.state)) return { success: false };
    if (job.state === 'expired') throw new ApiError('media_not_found');
    if (job.state === 'done' && job.mediaDeletedAt === null) {
      await this.deps.store.jobs.markMediaDeleted(job.id, this.deps.now());
      await this.purge(job);
    }
    return { success: true };
  }

  /**
   * Only one retrieve at a time sends a job's media to delete it: the others are 404s, as if it
   * were gone (it is, once that one finished). Read again after claiming, since the one before
   * may have deleted it since this request first read the job.
   */
  private async claimDelete(job: JobRecord): Promise<void> {
    if (this.deleting.has(job.id)) throw new ApiError('media_not_found');
    this.deleting.add(job.id);
    const current = await this.deps.store.jobs.getJob(job.accountId, job.id).catch(() => undefined);
    if (current?.mediaDeletedAt === null) return;
    this.deleting.delete(job.id);
    throw new ApiError('media_not_found');
  }

  /** Delete media sent with `delete_media_on_completion`. */
  private async deleteSent(job: JobRecord): Promise<void> {
    if (await this.deps.store.jobs.markMediaDeleted(job.id, this.deps.now())) await this.purge(job);
  }

  /** Delete the bytes now; if this fails, the reaper's purge sweep deletes them later. */
  private async purge(job: JobRecord): Promise<void> {
    if (!job.mediaKey) return;
    await this.deps.media.delete(job.mediaKey);
    await this.deps.store.housekeeping.markMediaPurged(job.id);
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
