/** Body of `POST /audio/quote`. */
export interface QuoteRequest {
  readonly model: string;
  /** Positive integer or a string of digits; missing means the model default. */
  readonly duration_seconds?: number | string;
  /** Required for `per_thousand_characters` models. */
  readonly character_count?: number;
}

/** Answer of `POST /audio/quote`: the price in USD. */
export interface QuoteResponse {
  readonly quote: number;
  /** Overture, with a key, on its own models: pass it to `queue` to lock this price. */
  readonly quote_id?: string;
  /** ISO time after which `quote_id` no longer binds. */
  readonly expires_at?: string;
}

/** One voice of a model, as `GET /audio/voices` lists it. */
export interface Voice {
  /** What a request's `voice` names. */
  readonly id: string;
  readonly name: string;
  /** Language code, when known. */
  readonly language: string | null;
}

/** Answer of `GET /audio/voices?model=` (Overture). */
export interface VoiceList {
  readonly object: 'list';
  readonly model: string;
  readonly data: readonly Voice[];
}

/** Body of `POST /audio/queue`; every field is checked against the model's `model_spec`. */
export interface QueueRequest {
  readonly model: string;
  /** The description of the audio (for narration models, the text to speak). */
  readonly prompt: string;
  readonly lyrics_prompt?: string;
  readonly duration_seconds?: number | string;
  readonly force_instrumental?: boolean;
  readonly lyrics_optimizer?: boolean;
  readonly loop?: boolean;
  readonly voice?: string;
  /** ISO 639-1 code. */
  readonly language_code?: string;
  readonly speed?: number;
  /** Overture extension: where to send this job's signed webhook events. */
  readonly webhook_url?: string;
  /** Overture extension: a binding quote's id, locking its price. */
  readonly quote_id?: string;
}

/** Answer of `POST /audio/queue`. */
export interface QueueResponse {
  readonly model: string;
  readonly queue_id: string;
  readonly status: 'QUEUED';
  /** True when the server replayed an earlier answer for the same `Idempotency-Key` (no new job, no new charge). */
  readonly replayed: boolean;
}

/** Body of `POST /audio/retrieve`. */
export interface RetrieveRequest {
  readonly model: string;
  readonly queue_id: string;
  /** Delete the media once it has been sent (then `complete` is not needed). */
  readonly delete_media_on_completion?: boolean;
}

/** Body of `POST /audio/complete`. */
export interface CompleteRequest {
  readonly model: string;
  readonly queue_id: string;
}

/** Answer of `POST /audio/complete`; `false` while the job still runs. */
export interface CompleteResponse {
  readonly success: boolean;
}

/** Retrieve answer while the job waits or runs. */
export interface RetrieveProcessing {
  readonly status: 'PROCESSING';
  /** P80 of the model's recent total times, in milliseconds. */
  readonly averageExecutionTime: number;
  /** Milliseconds since the job was queued. */
  readonly executionDuration: number;
  /** The route family's rate limit as the answer's `x-ratelimit-*` headers gave it, when sent. */
  readonly rateLimit?: RateLimitState;
}

/** The contract's `x-ratelimit-limit-requests`, `-remaining-requests` and `-reset-requests` headers. */
export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
}

/** Retrieve answer once the audio is ready. The body can be read once: `bytes()` or `stream()`. */
export interface RetrieveCompleted {
  readonly status: 'COMPLETED';
  /** `audio/mpeg`, `audio/wav` or `audio/flac`. */
  readonly contentType: string;
  /** From `x-venice-audio-format`, e.g. `mp3`. */
  readonly format: string;
  /** From `x-venice-audio-duration`. */
  readonly durationSeconds: number;
  /** From `x-venice-inference-time`. */
  readonly inferenceSeconds: number;
  /** From `x-venice-model-id`. */
  readonly modelId: string;
  /** Read the whole body. */
  bytes(): Promise<Uint8Array>;
  /** The body as a stream. */
  stream(): ReadableStream<Uint8Array>;
}

/** A discriminated retrieve result: narrow on `status`. */
export type RetrieveResult = RetrieveProcessing | RetrieveCompleted;

/** Body of `POST /audio/speech` (synchronous text to speech). */
export interface SpeechRequest {
  readonly model: string;
  /** 1..4096 characters of speakable text. */
  readonly input: string;
  readonly voice?: string;
  readonly response_format?: 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm';
  readonly speed?: number;
  /** When true the answer is chunked, sentence by sentence. */
  readonly streaming?: boolean;
  readonly language?: string;
  readonly prompt?: string;
  readonly temperature?: number;
  readonly top_p?: number;
}

/** Whole speech audio. */
export interface SpeechAudio {
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** Streamed speech audio (`streaming: true`). */
export interface SpeechStream {
  readonly contentType: string;
  readonly stream: ReadableStream<Uint8Array>;
}
