import type {
  CompleteRequest,
  CompleteResponse,
  QueueRequest,
  QueueResponse,
  QuoteRequest,
  QuoteResponse,
  RetrieveCompleted,
  RetrieveRequest,
  RetrieveResult,
  SpeechAudio,
  SpeechRequest,
  SpeechStream,
  VoiceList,
} from './audio-types.js';
import { BadRequestError, NotFoundError, OvertureError } from './errors.js';
import { type FollowOptions, followJob } from './follow-job.js';
import type {
  CancelRequest,
  CancelResponse,
  IdempotentRequestOptions,
  JobHistoryEntry,
  JobHistoryPage,
  JobHistoryRequest,
  JobReference,
  JobStatus,
  StatusEvent,
  WatchOptions,
} from './job-types.js';
import { listAllJobs, listJobs } from './job-history.js';
import { rateLimitOf } from './poll-job.js';
import type { RequestOptions, Transport } from './transport.js';
import { watchStatus } from './watch-status.js';

/** The `Idempotency-Key` header and retry setting of a call that charges. */
function idempotency(options: IdempotentRequestOptions | undefined): { retry: boolean; headers: Record<string, string> } {
  const key = options?.idempotencyKey;
  return key === undefined ? { retry: false, headers: {} } : { retry: true, headers: { 'idempotency-key': key } };
}

const emptyStream = () => new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });

/** The audio of a finished job, read once from the answer's body. */
function completed(response: Response): RetrieveCompleted {
  const headers = response.headers;
  let consumed = false;
  const take = () => {
    if (consumed) throw new OvertureError('The audio body has already been read');
    consumed = true;
  };
  return {
    status: 'COMPLETED',
    contentType: headers.get('content-type') ?? 'application/octet-stream',
    format: headers.get('x-venice-audio-format') ?? '',
    durationSeconds: Number(headers.get('x-venice-audio-duration') ?? 0),
    inferenceSeconds: Number(headers.get('x-venice-inference-time') ?? 0),
    modelId: headers.get('x-venice-model-id') ?? '',
    async bytes() {
      take();
      return new Uint8Array(await response.arrayBuffer());
    },
    stream() {
      take();
      return response.body ?? emptyStream();
    },
  };
}

/** The asynchronous audio queue and synchronous speech. */
export class AudioResource {
  constructor(private readonly transport: Transport) {}

  /** `POST /audio/quote`: the USD price of a job (no key needed). Retried on transient failures. */
  quote(body: QuoteRequest, options?: RequestOptions): Promise<QuoteResponse> {
    return this.transport.json({ method: 'POST', path: '/audio/quote', body, retry: true, options });
  }

  /**
   * `POST /audio/queue`: reserve the price and start a job. Retried only with an `idempotencyKey`
   * (the server then replays the first answer instead of charging again; `replayed` says so).
   */
  async queue(body: QueueRequest, options?: IdempotentRequestOptions): Promise<QueueResponse> {
    const answer = await this.transport.jsonWithHeaders<Omit<QueueResponse, 'replayed'>>({
      method: 'POST',
      path: '/audio/queue',
      body,
      ...idempotency(options),
      options,
    });
    return { ...answer.body, replayed: answer.headers.get('idempotent-replayed') === 'true' };
  }

  /**
   * `POST /audio/cancel` (Overture): stop a waiting or running job and release its hold; 404 for
   * unknown ids. Without `model`, the job's model is looked up with `status()` first.
   */
  async cancel(body: CancelRequest, options?: RequestOptions): Promise<CancelResponse> {
    const model = await this.modelOf(body, options);
    return this.transport.json({ method: 'POST', path: '/audio/cancel', body: { model, queue_id: body.queue_id }, retry: true, options });
  }

  /** The job's model: the one given, else what the status route says (a clear 400 where there is none). */
  private async modelOf(job: JobReference, options?: RequestOptions): Promise<string> {
    if (job.model !== undefined) return job.model;
    try {
      return (await this.status(job.queue_id, options)).model;
    } catch (error) {
      const missingRoute = (error instanceof NotFoundError && error.message === 'Not found') || (error as OvertureError).status === 405;
      if (!missingRoute) throw error;
      throw new BadRequestError(`model is required: this server has no status route to look up the model of ${job.queue_id}`, {
        status: 400,
        cause: error,
      });
    }
  }

  /**
   * Wait for a queued job's audio: its status event stream (Overture) or, where there is none,
   * `retrieve` polled from 250 ms up to every 5 s within the rate limit. Resolves with the
   * `COMPLETED` retrieve as soon as the media is ready; a failed job rejects with its error.
   */
  follow(job: { readonly model: string; readonly queue_id: string }, options?: FollowOptions): Promise<RetrieveCompleted> {
    return followJob({ retrieve: (body, call) => this.retrieve(body, call), watch: (id, watch) => this.watch(id, watch) }, job, options);
  }

  /** `GET /audio/voices?model=` (Overture): the model's voices, its row's or those its upstream lists. */
  voices(model: string, options?: RequestOptions): Promise<VoiceList> {
    return this.transport.json({ method: 'GET', path: `/audio/voices?model=${encodeURIComponent(model)}`, retry: true, options });
  }

  /** `GET /audio/status/{queue_id}` (Overture): state, queue position, progress, ETA and hold of a job. */
  status(queueId: string, options?: RequestOptions): Promise<JobStatus> {
    return this.transport.json({ method: 'GET', path: `/audio/status/${encodeURIComponent(queueId)}`, retry: true, options });
  }

  /** `GET /audio/jobs` (Overture): one page of the account's jobs, newest first; `next_cursor` leads on. */
  jobs(request?: JobHistoryRequest, options?: RequestOptions): Promise<JobHistoryPage> {
    return listJobs(this.transport, request, options);
  }

  /** Every job of the account, newest first, fetching page after page as they are read (Overture). */
  allJobs(request?: JobHistoryRequest, options?: RequestOptions): AsyncGenerator<JobHistoryEntry, void, undefined> {
    return listAllJobs(this.transport, request, options);
  }

  /**
   * `GET /audio/status/{queue_id}/events` (Overture): the job's status changes as they happen, until
   * a final state; reconnects with `Last-Event-ID` when the stream drops. Stop with `signal` or `break`.
   */
  watch(queueId: string, options?: WatchOptions): AsyncGenerator<StatusEvent, void, undefined> {
    return watchStatus(this.transport, queueId, options);
  }

  /**
   * `POST /audio/retrieve`: `{ status: 'PROCESSING', … }` while the job runs, then
   * `{ status: 'COMPLETED', bytes(), stream(), … }`. A failed job rejects with its error.
   */
  async retrieve(body: RetrieveRequest, options?: RequestOptions): Promise<RetrieveResult> {
    const response = await this.transport.send({ method: 'POST', path: '/audio/retrieve', body, retry: true, options });
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('application/json')) return completed(response);
    const json = (await response.json()) as { status: string; average_execution_time?: number; execution_duration?: number };
    if (json.status !== 'PROCESSING')
      throw new OvertureError(`Unexpected retrieve status: ${json.status}`, { status: response.status, body: json });
    const rateLimit = rateLimitOf(response.headers);
    return {
      status: 'PROCESSING',
      averageExecutionTime: json.average_execution_time ?? 0,
      executionDuration: json.execution_duration ?? 0,
      ...(rateLimit ? { rateLimit } : {}),
    };
  }

  /**
   * `POST /audio/complete`: delete the media; `{ success: false }` while the job still runs.
   * Without `model`, the job's model is looked up with `status()` first (Overture).
   */
  async complete(body: CompleteRequest | JobReference, options?: RequestOptions): Promise<CompleteResponse> {
    const model = await this.modelOf(body, options);
    return this.transport.json({ method: 'POST', path: '/audio/complete', body: { model, queue_id: body.queue_id }, retry: true, options });
  }

  /** `POST /audio/speech` with `streaming: true`: the audio as a stream. Retried only with an `idempotencyKey`. */
  speech(body: SpeechRequest & { streaming: true }, options?: IdempotentRequestOptions): Promise<SpeechStream>;
  /** `POST /audio/speech`: the whole audio as bytes. Retried only with an `idempotencyKey` (it charges). */
  speech(body: SpeechRequest & { streaming?: false }, options?: IdempotentRequestOptions): Promise<SpeechAudio>;
  async speech(body: SpeechRequest, options?: IdempotentRequestOptions): Promise<SpeechAudio | SpeechStream> {
    const response = await this.transport.send({ method: 'POST', path: '/audio/speech', body, ...idempotency(options), options });
    const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    if (body.streaming) return { contentType, stream: response.body ?? emptyStream() };
    return { contentType, bytes: new Uint8Array(await response.arrayBuffer()) };
  }
}
