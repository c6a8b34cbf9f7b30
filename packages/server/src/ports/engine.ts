/**
 * The engine port: the one interface every audio generator implements, built-in or remote.
 * The job runner and the synchronous speech route call it; engines never touch money,
 * jobs or storage. Shaped after vercel/ai's `SpeechModel.doGenerate`.
 */

import type { AudioFormat, GenerationRequest } from '../domain/generation-request.js';
import type { Micros } from '../domain/money.js';

export type { AudioFormat } from '../domain/generation-request.js';

/** A validated request, already checked against the model's spec and defaults applied. */
export interface EngineRequest extends GenerationRequest {
  /** Public model id the request was made for (engines may serve several models). */
  readonly modelId: string;
  /** Engine-specific settings from the catalog row (`engine_options`), e.g. an upstream model id. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Seed derived from the request, so that the same request gives the same bytes. */
  readonly seed: number;
  /** The job's id (or a synchronous request's own id): stable across attempts of one job. */
  readonly requestId: string;
  /** The row's type: `music` rows are queued jobs, `tts` rows answer `/audio/speech` as bytes arrive. */
  readonly modelType: 'music' | 'tts';
}

/** Where an engine writes encoded bytes: a file, an S3 upload or an HTTP response. */
export interface ByteSink {
  /** Append bytes; resolves when the sink accepted them (honours back-pressure). */
  write(chunk: Uint8Array): Promise<void>;
}

/** Progress as a fraction 0..1 with an optional stage name ("compose", "render", "encode"). */
export type ProgressReporter = (fraction: number, stage?: string) => void;

/** What a remote engine keeps on the job about its upstream request, fenced by the job's lease. */
export interface UpstreamEntry {
  /** The key the submission was (or is about to be) sent with; upstreams that honour idempotency keys replay it. */
  readonly submissionKey: string;
  /** The upstream's id for the request once it answered the submission; null before. */
  readonly requestId: string | null;
}

/**
 * The job's upstream journal: lets a later attempt (after a crash, a lost lease or a restart)
 * resume the upstream request an earlier one started, instead of submitting — and paying — again.
 */
export interface UpstreamJournal {
  /** What an earlier attempt of this job recorded on this same engine instance, if anything. */
  readonly previous: UpstreamEntry | undefined;
  /** Record an entry durably; rejects when the job's lease is lost (stop waiting on the upstream). */
  record(entry: UpstreamEntry): Promise<void>;
}

/** Per-call context. */
export interface EngineCallOptions {
  /** Aborted when the job is cancelled, its lease is lost or the server shuts down; the reason is a `StopReason`. */
  readonly signal: AbortSignal;
  /** Called now and then while the engine works. */
  readonly onProgress: ProgressReporter;
  /** The job's upstream journal; absent for synchronous requests (`/audio/speech`). */
  readonly upstream?: UpstreamJournal;
}

/** What an engine reports after writing the whole file. */
export interface EngineResult {
  /** Length of the audio written, in seconds. */
  readonly durationSeconds: number;
  /** What the upstream charged for this request in micro-USD, when the upstream says so. */
  readonly upstreamCostMicros?: Micros;
  /** Called once the result is stored for good: remote engines delete the upstream's copy here. */
  readonly cleanup?: () => Promise<void>;
}

/** Why a call's signal aborted: remote engines cancel upstream work only when it will not be resumed. */
export class StopReason extends Error {
  constructor(readonly kind: 'cancelled' | 'timed_out' | 'lease_lost' | 'shutdown' | 'disconnected') {
    super(`engine call stopped: ${kind}`);
    this.name = 'AbortError';
  }

  /** True when nobody will resume the upstream request (cancel, timeout, client gone). */
  static abandons(reason: unknown): boolean {
    return !(reason instanceof StopReason) || !['lease_lost', 'shutdown'].includes(reason.kind);
  }
}

/** What narrows a rejection's kind: `no_speakable_text` (an `invalid_input`) is the text having nothing to say. */
export type RejectionReason = 'no_speakable_text';

/** A kind of error an engine can raise that the API reports to the client (`services/engine-failure.ts`). */
export class EngineRejection extends Error {
  /**
   * `content_policy` becomes a 422, `invalid_input` a 400, `capacity` a 503 (retried), and
   * `refused` a final 500 whose message says why (an upstream refused Overture's request).
   * A `reason` picks the API's own code for the case (`no_speakable_text`: `speakable_text`).
   */
  constructor(
    readonly kind: 'content_policy' | 'invalid_input' | 'capacity' | 'refused',
    message: string,
    readonly suggestedPrompt?: string,
    readonly reason?: RejectionReason,
  ) {
    super(message);
    this.name = 'EngineRejection';
  }
}

/** Request fields a catalog row may offer only when its engine honours them (checked at start). */
export type EngineFeature = 'lyrics' | 'lyrics_optimizer' | 'force_instrumental' | 'loop' | 'speed' | 'language_code' | 'duration';

/** What rows bound to an engine may claim in their `model_spec`. */
export interface EngineCapabilities {
  /** Row types it serves: `music` (queued jobs) and `tts` (synchronous `/audio/speech`). */
  readonly types: readonly ('music' | 'tts')[];
  /** The request fields it honours. */
  readonly features: readonly EngineFeature[];
}

/** Why an engine cannot make a request, found by its `check` before any money is held. */
export interface EngineCheckProblem {
  /** The request field at fault, as the API names it (e.g. `prompt`). */
  readonly field: string;
  /** What is wrong and what the engine can make instead. */
  readonly message: string;
}

/** One voice an upstream offers, as `/audio/voices` lists it. */
export interface EngineVoice {
  /** What a request's `voice` names. */
  readonly id: string;
  /** A display name, when the upstream gives one. */
  readonly name?: string;
  /** Language code of the voice, when the upstream says. */
  readonly language?: string;
}

/** An audio generator bound to models by the catalog's `engine` field. */
export interface Engine {
  /** Stable name used by catalog rows: the instance name, e.g. `music`, `speech`, `gpu-1`. */
  readonly name: string;
  /** Formats this engine can write; the catalog is checked against it at start. */
  readonly formats: readonly AudioFormat[];
  /**
   * Samples per second of the raw `pcm` it writes (s16le mono), which `/audio/speech` tells the
   * client in `x-audio-sample-rate`. Absent: 24,000, the rate the shared encoders write.
   */
  readonly pcmSampleRate?: number;
  /** How many calls of this engine may run at once in one process. */
  readonly concurrency: number;
  /** What its rows may claim; absent means anything (checked by the engine at run time). */
  readonly capabilities?: EngineCapabilities;
  /**
   * Its run time follows the length of the prompt's text, not the requested duration (speech):
   * until a model has finished jobs to measure, its wait estimates scale with characters.
   */
  readonly pacedByText?: boolean;
  /**
   * Generate the audio for one request and write it, encoded in `request.format`, to `sink`.
   * Must stop promptly with an `AbortError` when `options.signal` aborts.
   * Throws `EngineRejection` for errors the client should see; anything else is a 500 that is
   * retried (and, for remote engines, counts against the instance's health).
   */
  generate(request: EngineRequest, sink: ByteSink, options: EngineCallOptions): Promise<EngineResult>;
  /**
   * A cheap, pure look at a validated request at queue time, before any money is held: the
   * problem when the engine cannot make what was asked (the client gets a 400 naming it and
   * pays nothing), else undefined. Optional: engines without it take every validated request.
   * `generate` must still refuse such a request itself (an `invalid_input` rejection).
   */
  check?(request: GenerationRequest): EngineCheckProblem | undefined;
  /**
   * The voices the upstream offers now, asked of it (engines whose upstream cannot list its voices
   * leave this out). Rejects when the list cannot be had; the caller then accepts any voice.
   */
  voices?(signal: AbortSignal): Promise<readonly EngineVoice[]>;
  /** Release long-lived resources (WASM instances, worker threads, connections). Optional. */
  close?(): Promise<void>;
}
