/**
 * Test helper: a fake upstream that speaks Venice's public audio API on a loopback port, for the
 * tests of remote adapters (the `venice` gateway adapter first of all).
 *
 * It follows the contract Overture itself speaks — `shared/spec/contract.md` (POST /audio/queue,
 * /audio/retrieve, /audio/complete, /audio/speech, error bodies and statuses) — which records
 * Venice's public API reference: https://docs.venice.ai/api-reference/endpoint/audio/queue,
 * …/audio/retrieve (`{"status":"PROCESSING","average_execution_time":<ms P80>,"execution_duration":<ms>}`
 * until the audio bytes come), …/audio/complete and …/audio/speech. It also honours Overture's
 * extensions a gateway uses: the `Idempotency-Key` header on /audio/queue (the first job is
 * replayed) and `POST /audio/cancel {model, queue_id}`.
 *
 * Jobs finish after a number of polls (or milliseconds) and answer real audio — a 1 s 440 Hz sine
 * made with the project's encoders. `faults` is a queue the test fills: each request takes the
 * first fault whose route matches (or that names none) and answers it instead.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, encodeAudio } from '../../src/audio/encode-audio.js';
import type { AudioFormat } from '../../src/ports/engine.js';
import { listenOnLoopback, sendHalf, sendJson as sendJsonBody } from './fake-http-server.js';

export type FakeRoute = 'queue' | 'retrieve' | 'complete' | 'cancel' | 'speech';

/**
 * What a fault does to the request it takes:
 * - `rate_limit`: 429 `{"error":"Rate limit exceeded"}` with `Retry-After` (`retryAfterSeconds`, default 1);
 * - `capacity`: 503 `{"error":"The model is at capacity. Please try again later."}` (with `Retry-After` when given);
 * - `server_error`: 500 `{"error":"Inference processing failed"}`;
 * - `unauthorized`: 401 `{"error":"Authentication failed"}`;
 * - `content_policy`: 422 with `suggested_prompt` (when `suggestedPrompt` is given);
 * - `not_found`: 404 "Media could not be found…";
 * - `malformed_json`: 200 `application/json` whose body is not JSON;
 * - `hang`: never answers (until `close()`);
 * - `stall`: answers 200 `application/json` headers and part of a body, then nothing more;
 * - `drop`: an audio answer whose connection is destroyed after half its bytes;
 * - `truncated`: an audio answer announcing its full `Content-Length` whose connection closes cleanly after half of it.
 * `drop` and `truncated` wait for a request that answers audio (a finished retrieve, a speech).
 */
export type FakeFaultKind =
  | 'rate_limit'
  | 'capacity'
  | 'server_error'
  | 'unauthorized'
  | 'content_policy'
  | 'not_found'
  | 'malformed_json'
  | 'hang'
  | 'stall'
  | 'drop'
  | 'truncated';

export interface FakeFault {
  readonly kind: FakeFaultKind;
  /** The route it applies to; any when absent. */
  readonly route?: FakeRoute;
  readonly retryAfterSeconds?: number;
  readonly suggestedPrompt?: string;
  /** Do what the request asks (e.g. create the job) before answering with the fault: an answer lost on the way back. */
  readonly afterEffect?: boolean;
}

/** One `/audio/queue` request as received. */
export interface FakeSubmission {
  readonly body: Record<string, unknown>;
  readonly idempotencyKey: string | undefined;
  /** The job it created or replayed; undefined when it was refused. */
  queueId?: string;
}

export interface FakeJob {
  readonly id: string;
  readonly model: string;
  readonly body: Record<string, unknown>;
  readonly createdAt: number;
  /** PROCESSING answers given so far. */
  polls: number;
  cancelled: boolean;
  /** Set it to finish the job at its next retrieve, whatever the options say. */
  ready?: boolean;
  /** Set it to make the job fail: retrieve answers this status and body from then on. */
  failure?: { readonly status: number; readonly body: Record<string, unknown> };
}

/** Every request received, in order. */
export interface FakeRequest {
  readonly route: FakeRoute | 'other';
  readonly body: unknown;
  readonly headers: IncomingMessage['headers'];
  readonly at: number;
}

export interface FakeVeniceOptions {
  /** The bearer key it accepts; any (or none) when absent. */
  readonly apiKey?: string;
  /** PROCESSING answers before a job's audio (default 1). Ignored when `finishAfterMs` is set. */
  readonly finishAfterPolls?: number;
  /** Milliseconds after submission when a job is done. */
  readonly finishAfterMs?: number;
  /** Format of a finished job's audio (default mp3): queued jobs have no format field, the model decides. */
  readonly format?: 'mp3' | 'wav' | 'flac';
  /** Answer `/audio/speech` in this format whatever `response_format` asks. */
  readonly speechFormat?: AudioFormat;
  /** Awaited between the two halves of a speech answer (to see bytes arrive before the end). */
  readonly speechGate?: () => Promise<void>;
  /** `average_execution_time` reported while processing, in ms (default 2000). */
  readonly averageExecutionMs?: number;
  /** Optional queue fields the fake model supports (default: all); any other is a 400, even when false. */
  readonly supports?: readonly string[];
}

export interface FakeVenice {
  /** The API base, `http://127.0.0.1:<port>/api/v1`. */
  readonly url: string;
  readonly submissions: FakeSubmission[];
  readonly faults: FakeFault[];
  readonly jobs: Map<string, FakeJob>;
  /** Ids completed through `/audio/complete`, and cancelled through `/audio/cancel`. */
  readonly completed: string[];
  readonly cancelled: string[];
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

/** The optional queue fields of the contract, all of which the fake model supports by default. */
export const QUEUE_FIELDS = [
  'lyrics_prompt',
  'duration_seconds',
  'voice',
  'language_code',
  'speed',
  'force_instrumental',
  'lyrics_optimizer',
  'loop',
  'delete_media_on_completion',
];
const NOT_FOUND = { error: 'Media could not be found. Request may be invalid, expired, or deleted.' };
const AUDIO_FAULTS: readonly FakeFaultKind[] = ['drop', 'truncated'];

type Answer =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown; readonly headers?: Record<string, string> }
  | {
      readonly kind: 'audio';
      readonly format: AudioFormat;
      readonly chunked: boolean;
      readonly seconds?: number;
      readonly headers?: Record<string, string>;
    };

const audioCache = new Map<string, Promise<Uint8Array>>();

/** A 440 Hz sine of `seconds` in `format` (speech at 24 kHz, music at 44.1 kHz), made once per shape. */
export function sineAudio(format: AudioFormat, sampleRate = 44_100, seconds = 1): Promise<Uint8Array> {
  const key = `${format}@${sampleRate}x${seconds}`;
  let bytes = audioCache.get(key);
  if (!bytes) {
    const data = new Float32Array(Math.round(sampleRate * seconds));
    for (let i = 0; i < data.length; i++) data[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / sampleRate);
    const chunks: Uint8Array[] = [];
    bytes = encodeAudio({ sampleRate, channels: [data] }, format, { write: async (chunk) => void chunks.push(chunk.slice()) }).then(() =>
      Buffer.concat(chunks),
    );
    audioCache.set(key, bytes);
  }
  return bytes;
}

/** Start the fake on 127.0.0.1 and an ephemeral port. */
export async function startFakeVenice(options: FakeVeniceOptions = {}): Promise<FakeVenice> {
  const state = {
    submissions: [] as FakeSubmission[],
    faults: [] as FakeFault[],
    jobs: new Map<string, FakeJob>(),
    completed: [] as string[],
    cancelled: [] as string[],
    requests: [] as FakeRequest[],
  };
  const keys = new Map<string, string>();
  const done = (job: FakeJob) => {
    if (job.ready === true) return true;
    if (options.finishAfterMs !== undefined) return Date.now() - job.createdAt >= options.finishAfterMs;
    return job.polls >= (options.finishAfterPolls ?? 1);
  };

  function takeFault(route: FakeRoute, audio: boolean): FakeFault | undefined {
    const index = state.faults.findIndex((fault) => (fault.route ?? route) === route && AUDIO_FAULTS.includes(fault.kind) === audio);
    return index < 0 ? undefined : state.faults.splice(index, 1)[0];
  }

  function handle(route: FakeRoute, body: Record<string, unknown>, headers: IncomingMessage['headers']): Answer {
    const json = (status: number, value: unknown): Answer => ({ kind: 'json', status, body: value });
    if (route === 'speech') {
      if (typeof body.model !== 'string') return json(400, { error: 'model is required' });
      if (typeof body.input !== 'string' || body.input.length === 0) return invalid('input', 'Required');
      const format = options.speechFormat ?? (body.response_format as AudioFormat | undefined) ?? 'mp3';
      return { kind: 'audio', format, chunked: body.streaming === true };
    }
    if (typeof body.model !== 'string') return invalid('model', 'Required');
    if (route === 'queue') {
      const submission: FakeSubmission = { body, idempotencyKey: headers['idempotency-key'] as string | undefined };
      state.submissions.push(submission);
      if (typeof body.prompt !== 'string' || body.prompt.trim().length === 0) return invalid('prompt', 'Required');
      const supported = options.supports ?? QUEUE_FIELDS;
      const extra = Object.keys(body).find((field) => field !== 'model' && field !== 'prompt' && !supported.includes(field));
      if (extra) return invalid(extra, `${extra} is not supported by this model`);
      const replayed = submission.idempotencyKey === undefined ? undefined : keys.get(submission.idempotencyKey);
      const id = replayed ?? randomUUID();
      submission.queueId = id;
      if (!replayed) {
        state.jobs.set(id, { id, model: body.model, body, createdAt: Date.now(), polls: 0, cancelled: false });
        if (submission.idempotencyKey !== undefined) keys.set(submission.idempotencyKey, id);
      }
      return {
        ...json(200, { model: body.model, queue_id: id, status: 'QUEUED' }),
        headers: replayed ? { 'idempotent-replayed': 'true' } : {},
      };
    }
    const job = state.jobs.get(String(body.queue_id));
    if (route === 'complete') {
      if (state.completed.includes(String(body.queue_id))) return json(200, { success: true });
      if (!job) return json(404, NOT_FOUND);
      if (!done(job)) return json(200, { success: false });
      state.jobs.delete(job.id);
      state.completed.push(job.id);
      return json(200, { success: true });
    }
    if (!job || job.model !== body.model) return json(404, NOT_FOUND);
    if (route === 'cancel') {
      job.cancelled = true;
      state.cancelled.push(job.id);
      return json(200, { success: true, queue_id: job.id, state: 'cancelled' });
    }
    if (job.cancelled) return json(404, NOT_FOUND);
    if (job.failure) return json(job.failure.status, job.failure.body);
    if (!done(job)) {
      job.polls++;
      const average = options.averageExecutionMs ?? 2000;
      return json(200, { status: 'PROCESSING', average_execution_time: average, execution_duration: Date.now() - job.createdAt });
    }
    if (body.delete_media_on_completion === true) {
      state.jobs.delete(job.id);
      state.completed.push(job.id);
    }
    // The job's own length, as the contract's models honour duration_seconds.
    const seconds = Number(job.body.duration_seconds ?? 1) || 1;
    return {
      kind: 'audio',
      format: options.format ?? 'mp3',
      chunked: false,
      seconds,
      headers: { 'x-venice-audio-duration': String(seconds), 'x-venice-inference-time': '0.1', 'x-venice-model-id': job.model },
    };
  }

  async function serve(request: IncomingMessage, response: ServerResponse, text: string): Promise<void> {
    const match = /^\/api\/v1\/audio\/(queue|retrieve|complete|cancel|speech)$/.exec(request.url ?? '');
    const route = (match?.[1] as FakeRoute | undefined) ?? 'other';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = undefined;
    }
    state.requests.push({ route, body, headers: request.headers, at: Date.now() });
    if (route === 'other' || request.method !== 'POST') return sendJson(response, 404, { error: 'Not found' });
    const fault = takeFault(route, false);
    if (fault && !fault.afterEffect) return applyFault(response, fault);
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`)
      return sendJson(response, 401, { error: 'Authentication failed' });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return sendAnswer(response, invalid('', 'Expected object'));
    const answer = handle(route, body as Record<string, unknown>, request.headers);
    if (fault) return applyFault(response, fault);
    if (answer.kind === 'json') return sendAnswer(response, answer);
    const bytes = await sineAudio(answer.format, route === 'speech' ? 24_000 : 44_100, answer.seconds);
    const headers = { 'content-type': CONTENT_TYPES[answer.format], 'x-venice-audio-format': answer.format, ...answer.headers };
    const cut = takeFault(route, true);
    if (cut) {
      response.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
      return sendHalf(response, bytes, cut.kind);
    }
    if (!answer.chunked) {
      response.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
      response.end(bytes);
      return;
    }
    const half = Math.floor(bytes.length / 2);
    response.writeHead(200, headers);
    await write(response, bytes.subarray(0, half));
    await options.speechGate?.();
    await write(response, bytes.subarray(half));
    response.end();
  }

  const loopback = await listenOnLoopback(serve, (response, error) => sendJson(response, 500, { error: String(error) }));
  return { url: `${loopback.origin}/api/v1`, ...state, close: () => loopback.close() };
}

function invalid(field: string, message: string): Answer {
  const details: Record<string, unknown> = { _errors: [] };
  if (field) details[field] = { _errors: [message] };
  return {
    kind: 'json',
    status: 400,
    body: { error: 'Invalid request parameters', details, issues: [{ path: field ? [field] : [], message, code: 'custom' }] },
  };
}

/** The status answer of a fault (`hang` answers nothing; `malformed_json` answers broken JSON). */
function faultAnswer(fault: FakeFault): Answer | undefined {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({ kind: 'json', status, body, headers });
  const retryAfter: Record<string, string> =
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
  switch (fault.kind) {
    case 'rate_limit':
      return json(429, { error: 'Rate limit exceeded' }, { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
    case 'capacity':
      return json(503, { error: 'The model is at capacity. Please try again later.' }, retryAfter);
    case 'server_error':
      return json(500, { error: 'Inference processing failed' });
    case 'unauthorized':
      return json(401, { error: 'Authentication failed' });
    case 'content_policy':
      return json(422, {
        error: 'Your prompt violates the content policy. Please revise it and try again.',
        ...(fault.suggestedPrompt === undefined ? {} : { suggested_prompt: fault.suggestedPrompt }),
      });
    case 'not_found':
      return json(404, NOT_FOUND);
    case 'hang':
    case 'stall':
    case 'malformed_json':
      return undefined;
    default:
      throw new Error(`${fault.kind} applies to audio answers only`);
  }
}

function applyFault(response: ServerResponse, fault: FakeFault): void {
  const answer = faultAnswer(fault);
  if (answer) sendAnswer(response, answer);
  else if (fault.kind === 'malformed_json') {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end('{"status":"PROCESSING","average_execution_time":');
  } else if (fault.kind === 'stall') {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.write('{"status":"PROCESSING",');
  }
}

function sendAnswer(response: ServerResponse, answer: Answer): void {
  if (answer.kind === 'json') sendJson(response, answer.status, answer.body, answer.headers);
}

/** Venice answers JSON with an explicit charset. */
function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonBody(response, status, body, { 'content-type': 'application/json; charset=utf-8', ...headers });
}

function write(response: ServerResponse, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => response.write(bytes, (error) => (error ? reject(error) : resolve())));
}
