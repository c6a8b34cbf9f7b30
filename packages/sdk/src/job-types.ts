import type { RequestOptions } from './transport.js';

/** The life of a queued job on Overture. */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'expired';

/** A queued job: its id, and its model when the caller knows it (else it is looked up). */
export interface JobReference {
  readonly queue_id: string;
  /** The job's model; when omitted, `status()` (Overture) supplies it. */
  readonly model?: string;
}

/** Body of `POST /audio/cancel` (Overture extension); `model` may be omitted (looked up). */
export type CancelRequest = JobReference;

/** Answer of `POST /audio/cancel`: cancelled (its hold released in full), or why not. */
export type CancelResponse =
  | { readonly success: true; readonly queue_id: string; readonly state: 'cancelled'; readonly was: 'queued' | 'running' }
  | {
      readonly success: false;
      readonly queue_id: string;
      readonly state: Exclude<JobState, 'queued' | 'running'>;
      readonly message: string;
    };

/** Answer of `GET /audio/status/{queue_id}` (Overture extension), and the data of each `status` event. */
export interface JobStatus {
  readonly queue_id: string;
  readonly model: string;
  readonly state: JobState;
  /** 1-based attempt number (a job whose worker was lost runs again). */
  readonly attempt?: number;
  /** Jobs ahead of this one while queued; null otherwise. */
  readonly queue_position: number | null;
  /** 0..1; 1 once done. */
  readonly progress: number;
  /** What the engine is doing, when it says. */
  readonly stage: string | null;
  /** Milliseconds left, estimated from the model's P80 time; null once final. */
  readonly eta_ms: number | null;
  readonly price_usd: number;
  /** What is still reserved from the balance (0 once final). */
  readonly price_held_usd: number;
  readonly currency: 'USD' | 'DIEM';
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  /** When a done job's media will be deleted; null when there is none. */
  readonly media_expires_at: string | null;
  /** The error a failed job answers on retrieve. */
  readonly error: { readonly status: number; readonly error: string; readonly [field: string]: unknown } | null;
}

/** One `status` event of `audio.watch()`. */
export interface StatusEvent {
  /** The event's `id:` (resume point). */
  readonly id: string | undefined;
  readonly status: JobStatus;
}

/** Options of `audio.watch()`. */
export interface WatchOptions extends Omit<RequestOptions, 'maxRetries'> {
  /** Resume after this event id (sent as `Last-Event-ID`). */
  readonly lastEventId?: string;
  /** Reconnections allowed when the stream drops before a final state (default 5). */
  readonly maxReconnects?: number;
}

/** Per-call options of `queue` and `speech`. */
export interface IdempotentRequestOptions extends RequestOptions {
  /**
   * Sent as `Idempotency-Key`. The server answers a repeat with the first answer (no second job,
   * no second charge), so with a key the call is retried on connection errors, 409, 429 and 5xx.
   */
  readonly idempotencyKey?: string;
}

/** True for states a job never leaves (`done` may still become `expired`, but its work is over). */
export function isFinalState(state: JobState): boolean {
  return state !== 'queued' && state !== 'running';
}

/** One job of `audio.jobs()` (Overture): its status (no live position or ETA) and what it made. */
export interface JobHistoryEntry extends JobStatus {
  /** The prompt, cut to 200 characters. */
  readonly prompt: string;
  /** The audio format asked for, when one was. */
  readonly format: string | null;
  /** Seconds of audio made, else asked for; null when neither is known. */
  readonly duration_seconds: number | null;
  /** True while the media can still be retrieved. */
  readonly media_available: boolean;
}

/** Query of `audio.jobs()`: page size and where to start. */
export interface JobHistoryRequest {
  /** Jobs per page, 1 to 100 (server default 20). */
  readonly limit?: number;
  /** The `next_cursor` of the previous page. */
  readonly after?: string;
}

/** Answer of `GET /audio/jobs` (Overture): a page of the account's jobs, newest first. */
export interface JobHistoryPage {
  readonly object: 'list';
  readonly data: readonly JobHistoryEntry[];
  readonly has_more: boolean;
  /** Pass as `after` for the next page; null on the last. */
  readonly next_cursor: string | null;
}
