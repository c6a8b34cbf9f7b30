/**
 * The engine port: the one interface every audio generator implements.
 * The job runner and the synchronous speech route call it; engines never touch money,
 * jobs or storage. Shaped after vercel/ai's `SpeechModel.doGenerate`.
 */

import type { AudioFormat, GenerationRequest } from '../domain/generation-request.js';

export type { AudioFormat } from '../domain/generation-request.js';

/** A validated request, already checked against the model's spec and defaults applied. */
export interface EngineRequest extends GenerationRequest {
  /** Public model id the request was made for (engines may serve several models). */
  readonly modelId: string;
  /** Engine-specific settings from the catalog row (`engine_options`), e.g. a style or voice map. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Seed derived from the request, so that the same request gives the same bytes. */
  readonly seed: number;
}

/** Where an engine writes encoded bytes: a file, an S3 upload or an HTTP response. */
export interface ByteSink {
  /** Append bytes; resolves when the sink accepted them (honours back-pressure). */
  write(chunk: Uint8Array): Promise<void>;
}

/** Progress as a fraction 0..1 with an optional stage name ("compose", "render", "encode"). */
export type ProgressReporter = (fraction: number, stage?: string) => void;

/** Per-call context. */
export interface EngineCallOptions {
  /** Aborted when the job is cancelled, its lease is lost or the server shuts down. */
  readonly signal: AbortSignal;
  /** Called now and then while the engine works. */
  readonly onProgress: ProgressReporter;
}

/** What an engine reports after writing the whole file. */
export interface EngineResult {
  /** Length of the audio written, in seconds. */
  readonly durationSeconds: number;
}

/** A kind of error an engine can raise that the API reports to the client as is. */
export class EngineRejection extends Error {
  /** `content_policy` becomes a 422, `invalid_input` a 400, `capacity` a 503. */
  constructor(
    readonly kind: 'content_policy' | 'invalid_input' | 'capacity',
    message: string,
    readonly suggestedPrompt?: string,
  ) {
    super(message);
    this.name = 'EngineRejection';
  }
}

/** An audio generator bound to models by the catalog's `engine` field. */
export interface Engine {
  /** Stable name used by catalog rows, e.g. `tone`, `music`, `effects`, `speech`. */
  readonly name: string;
  /** Formats this engine can write; the catalog is checked against it at start. */
  readonly formats: readonly AudioFormat[];
  /** How many jobs of this engine may run at once in one worker process. */
  readonly concurrency: number;
  /**
   * Generate the audio for one request and write it, encoded in `request.format`, to `sink`.
   * Must stop promptly with an `AbortError` when `options.signal` aborts.
   * Throws `EngineRejection` for errors the client should see; anything else is a 500.
   */
  generate(request: EngineRequest, sink: ByteSink, options: EngineCallOptions): Promise<EngineResult>;
  /** Release long-lived resources (WASM instances, worker threads). Optional. */
  close?(): Promise<void>;
}
