/**
 * Test fake of a Replicate Cog model container (the HTTP server `cog` images run) serving an
 * audio model, on a loopback port, answering real audio made with the project's encoders.
 *
 * Contract as read in replicate/cog (commit 6110c912, 2026-08): docs/http.md; the coglet server
 * crates/coglet/src/transport/http/routes.rs (create_prediction_idempotent, create_prediction_with_id,
 * cancel_prediction, health_check), crates/coglet/src/service.rs (submit_prediction → NotReady
 * unless health is READY, AtCapacity when no slot is free; get_prediction_response;
 * remove_prediction once predict() ends), crates/coglet/src/prediction.rs build_state_snapshot,
 * crates/coglet/src/predictor.rs (error texts), crates/coglet/src/health.rs; and the legacy Python
 * server python/cog/server/http.py at commit 5df702ae (cog ≤ 0.16). What it does:
 * - `PUT /predictions/{id}` (and `POST /predictions` with `id` in the body): a body `id` other than
 *   the path's → 422. An id already in flight → 202 with its current state (`{id,status,logs,output?,
 *   error?,metrics,input}`), whatever `Prefer` says. Not READY → 503 `{"error":"Setup has not
 *   finished yet. …","status":"failed"}`. No free slot → 409 `{"error":"At capacity - all prediction
 *   slots busy","status":"failed"}` (legacy: `{"detail":"Already running a prediction"}`). Input
 *   errors → 422 `{"detail":[{"loc":["body","input",field],"msg","type"}]}`; unknown input fields are
 *   dropped silently. `Prefer: respond-async` → 202 `{"id","status":"starting"}`; otherwise the
 *   request blocks until 200 `{id,output,logs,status:"succeeded"|"failed"|"canceled",metrics:{predict_time}}`
 *   (a failed model is a 200 with `status:"failed"` and `error`). A synchronous caller that goes
 *   away cancels its prediction (coglet's SyncPredictionGuard; the legacy server lets it run).
 *   A finished prediction is forgotten: PUT of its id again starts a new one.
 * - `webhook` + `webhook_events_filter` (default all): the prediction's state is POSTed there at
 *   `start` and `completed`.
 * - `POST /predictions/{id}/cancel` → 200 `{}` when it runs, else 404 `{}`.
 * - `GET /health-check` → 200 `{status: STARTING|READY|BUSY|SETUP_FAILED|DEFUNCT, setup:{started_at,
 *   completed_at,status,logs}, version:{coglet}}`.
 * - Output files: a base64 data URL by default; with `uploads` (the server's `--upload-url`) a
 *   URL served by this fake under `/uploads/`.
 * The model: `prompt` (required, non-empty), `duration` (seconds, 0.5–`maxDuration`, default 1),
 * `seed` (int), `output_format` (`wav` | `mp3`, default wav); it answers a sine of that length.
 * Cog itself has no authentication; `apiKey` stands for a proxy in front of it (401 without the key).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeAudio } from '../../src/audio/encode-audio.js';
import { listenOnLoopback, sendHalf, sendJson } from './fake-http-server.js';

export type FakeCogRoute = 'predict' | 'cancel' | 'health' | 'upload';

/**
 * A scripted fault, taken by the first request of its route (any route when absent):
 * `hang` never answers; `server_error` 500; `malformed_json` a 200 whose JSON is cut;
 * `unauthorized` 401 (a proxy's); `at_capacity` 409; `not_ready` 503; `drop` destroys the
 * connection half-way through the answer (an upload, or a finished prediction's JSON);
 * `truncated` ends an upload cleanly after half its announced bytes; `oversized` makes the next
 * prediction's file 40 times longer; `model_error` makes it fail (`status: "failed"`).
 */
export type FakeCogFaultKind =
  | 'hang'
  | 'server_error'
  | 'malformed_json'
  | 'unauthorized'
  | 'at_capacity'
  | 'not_ready'
  | 'drop'
  | 'truncated'
  | 'oversized'
  | 'model_error';

export interface FakeCogFault {
  readonly kind: FakeCogFaultKind;
  readonly route?: FakeCogRoute;
}

export interface FakeCogOptions {
  /** `coglet` (cog ≥ 0.17, default) or `legacy` (the Python server): error bodies and disconnect handling. */
  readonly flavor?: 'coglet' | 'legacy';
  /** Predictions that may run at once (default 1). */
  readonly slots?: number;
  /** How long a prediction runs, in ms (default 20); see also `hold`. */
  readonly predictMs?: number;
  readonly maxDuration?: number;
  /** Serve output files by URL (the `--upload-url` mode) instead of data URLs. */
  readonly uploads?: boolean;
  /** Output shape: the file URL, a list of it, or `{audio: url}`. */
  readonly outputShape?: 'string' | 'list' | 'object';
  readonly apiKey?: string;
}

export interface FakeCogPrediction {
  readonly id: string;
  readonly input: Record<string, unknown>;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  output?: unknown;
  error?: string;
  readonly webhook: string | undefined;
  readonly events: readonly string[];
  readonly createdAt: number;
}

export interface FakeCogRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
  readonly at: number;
}

export interface FakeCog {
  readonly url: string;
  /** Container state; READY by default. */
  state: 'STARTING' | 'READY' | 'SETUP_FAILED' | 'DEFUNCT';
  /** While true, predictions run until `finish()` (or a cancel). */
  hold: boolean;
  readonly faults: FakeCogFault[];
  readonly requests: FakeCogRequest[];
  /** Predictions in flight, by id. */
  readonly running: Map<string, FakeCogPrediction>;
  /** Every prediction started, in order (ended ones included). */
  readonly started: FakeCogPrediction[];
  /** Webhook deliveries attempted: url and status posted. */
  readonly webhooks: { readonly url: string; readonly status: string; delivered: number }[];
  /** End held predictions (all, or one). */
  finish(id?: string): void;
  /** A container restart: in-flight predictions are lost, `setup.started_at` changes. */
  restart(): void;
  close(): Promise<void>;
}

const SAMPLE_RATE = 32_000;
const NOT_READY = 'Setup has not finished yet. Wait until it has finished, or GET /health-check for status.';
const audioCache = new Map<string, Promise<Uint8Array>>();

/** `seconds` of a 440 Hz sine at 32 kHz mono (MusicGen's rate), encoded once per format and length. */
export function sine(format: 'wav' | 'mp3', seconds: number): Promise<Uint8Array> {
  const key = `${format}:${seconds}`;
  let bytes = audioCache.get(key);
  if (!bytes) {
    const data = new Float32Array(Math.round(seconds * SAMPLE_RATE));
    for (let i = 0; i < data.length; i++) data[i] = 0.4 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE);
    const chunks: Uint8Array[] = [];
    bytes = encodeAudio({ sampleRate: SAMPLE_RATE, channels: [data] }, format, { write: async (c) => void chunks.push(c.slice()) }).then(
      () => Buffer.concat(chunks),
    );
    audioCache.set(key, bytes);
  }
  return bytes;
}

/** Start the fake on 127.0.0.1 and an ephemeral port. */
export async function startFakeCog(options: FakeCogOptions = {}): Promise<FakeCog> {
  const legacy = options.flavor === 'legacy';
  const running = new Map<string, FakeCogPrediction>();
  const waiters = new Map<string, (prediction: FakeCogPrediction) => void>();
  const timers = new Map<string, NodeJS.Timeout>();
  const uploads = new Map<string, { bytes: Uint8Array; type: string }>();
  const syncConnections = new Map<string, ServerResponse>();
  let setupStartedAt = new Date().toISOString();
  let base = '';

  const fake: FakeCog = {
    url: '',
    state: 'READY',
    hold: false,
    faults: [],
    requests: [],
    running,
    started: [],
    webhooks: [],
    finish: (id) => {
      for (const prediction of [...running.values()]) if (id === undefined || prediction.id === id) void complete(prediction);
    },
    restart: () => {
      for (const prediction of running.values()) clearTimeout(timers.get(prediction.id));
      running.clear();
      for (const connection of syncConnections.values()) connection.socket?.destroy();
      syncConnections.clear();
      waiters.clear();
      setupStartedAt = new Date(Date.now() + 1000).toISOString();
    },
    close: () => {
      for (const timer of timers.values()) clearTimeout(timer);
      return loopback.close();
    },
  };

  function takeFault(route: FakeCogRoute, kinds?: readonly FakeCogFaultKind[]): FakeCogFault | undefined {
    const index = fake.faults.findIndex((fault) => (fault.route ?? route) === route && (!kinds || kinds.includes(fault.kind)));
    return index < 0 ? undefined : fake.faults.splice(index, 1)[0];
  }

  function snapshot(prediction: FakeCogPrediction): Record<string, unknown> {
    const state: Record<string, unknown> = { id: prediction.id, status: prediction.status, logs: '', metrics: {}, input: prediction.input };
    if (prediction.output !== undefined) state.output = prediction.output;
    if (prediction.error !== undefined) state.error = prediction.error;
    return state;
  }

  function sendWebhook(prediction: FakeCogPrediction, event: string): void {
    if (!prediction.webhook || !prediction.events.includes(event)) return;
    const record = { url: prediction.webhook, status: prediction.status, delivered: 0 };
    fake.webhooks.push(record);
    fetch(prediction.webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(snapshot(prediction)),
    })
      .then(async (response) => {
        record.delivered = response.status;
        await response.arrayBuffer();
      })
      .catch(() => undefined);
  }

  async function complete(prediction: FakeCogPrediction, failure = prediction.error): Promise<void> {
    if (running.get(prediction.id) !== prediction) return;
    clearTimeout(timers.get(prediction.id));
    let output: unknown;
    if (failure === undefined && prediction.status !== 'canceled') {
      const format = prediction.input.output_format === 'mp3' ? 'mp3' : 'wav';
      const seconds = (prediction.input.duration as number) * ((prediction as { oversized?: boolean }).oversized ? 40 : 1);
      const bytes = await sine(format, seconds);
      const type = format === 'mp3' ? 'audio/mpeg' : legacy ? 'audio/x-wav' : 'audio/wav';
      let url: string;
      if (options.uploads) {
        const name = `${prediction.id}-${randomBytes(4).toString('hex')}.${format}`;
        uploads.set(name, { bytes, type });
        url = `${base}/uploads/${name}`;
      } else url = `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
      output = options.outputShape === 'list' ? [url] : options.outputShape === 'object' ? { audio: url, sample_rate: SAMPLE_RATE } : url;
    }
    // A cancel or a restart while the file was being made wins.
    if (running.get(prediction.id) !== prediction) return;
    if (failure !== undefined) {
      prediction.status = 'failed';
      prediction.error = failure;
    } else if (prediction.status !== 'canceled') {
      prediction.output = output;
      prediction.status = 'succeeded';
    }
    running.delete(prediction.id);
    sendWebhook(prediction, 'completed');
    const wake = waiters.get(prediction.id);
    waiters.delete(prediction.id);
    wake?.(prediction);
  }

  function validate(input: Record<string, unknown>): { field: string; msg: string } | undefined {
    if (typeof input.prompt !== 'string') return { field: 'prompt', msg: 'Field required' };
    if (input.prompt.trim().length === 0) return { field: 'prompt', msg: 'String should have at least 1 character' };
    const max = options.maxDuration ?? 30;
    const duration = input.duration;
    if (typeof duration !== 'number' || duration < 0.5 || duration > max)
      return { field: 'duration', msg: `Input should be a number between 0.5 and ${max}` };
    if (input.seed !== undefined && !Number.isInteger(input.seed)) return { field: 'seed', msg: 'Input should be a valid integer' };
    if (input.output_format !== 'wav' && input.output_format !== 'mp3')
      return { field: 'output_format', msg: "Input should be 'wav' or 'mp3'" };
    return undefined;
  }

  async function predict(request: IncomingMessage, response: ServerResponse, pathId: string | undefined, body: Record<string, unknown>) {
    if (pathId !== undefined && body.id !== undefined && body.id !== pathId)
      return json(response, 422, {
        detail: [{ loc: ['body', 'id'], msg: 'prediction ID must match the ID supplied in the URL', type: 'value_error' }],
      });
    const id = pathId ?? (typeof body.id === 'string' ? body.id : `pred_${randomBytes(8).toString('hex')}`);
    const existing = running.get(id);
    if (pathId !== undefined && existing) return json(response, 202, snapshot(existing));
    const capacity = takeFault('predict', ['at_capacity', 'not_ready']);
    if (fake.state !== 'READY' || capacity?.kind === 'not_ready') return json(response, 503, { error: NOT_READY, status: 'failed' });
    if (running.size >= (options.slots ?? 1) || capacity)
      return json(
        response,
        409,
        legacy ? { detail: 'Already running a prediction' } : { error: 'At capacity - all prediction slots busy', status: 'failed' },
      );
    const raw = (typeof body.input === 'object' && body.input !== null ? body.input : {}) as Record<string, unknown>;
    const input: Record<string, unknown> = { duration: 1, output_format: 'wav' };
    for (const key of ['prompt', 'duration', 'seed', 'output_format']) if (raw[key] !== undefined) input[key] = raw[key];
    const invalid = validate(input);
    if (invalid) return json(response, 422, { detail: [{ loc: ['body', 'input', invalid.field], msg: invalid.msg, type: 'value_error' }] });
    const events = Array.isArray(body.webhook_events_filter)
      ? (body.webhook_events_filter as string[])
      : ['start', 'output', 'logs', 'completed'];
    const prediction: FakeCogPrediction = {
      id,
      input,
      status: 'processing',
      webhook: typeof body.webhook === 'string' ? body.webhook : undefined,
      events,
      createdAt: Date.now(),
    };
    const fault = takeFault('predict', ['oversized', 'model_error', 'drop']);
    if (fault?.kind === 'oversized') (prediction as { oversized?: boolean }).oversized = true;
    running.set(id, prediction);
    fake.started.push(prediction);
    sendWebhook(prediction, 'start');
    if (!fake.hold)
      timers.set(
        id,
        setTimeout(
          () => void complete(prediction, fault?.kind === 'model_error' ? 'CUDA out of memory' : undefined),
          options.predictMs ?? 20,
        ),
      );
    else if (fault?.kind === 'model_error') prediction.error = 'CUDA out of memory';
    if (request.headers.prefer === 'respond-async') return json(response, 202, { id, status: 'starting' });
    syncConnections.set(id, response);
    response.on('close', () => {
      if (syncConnections.get(id) === response) syncConnections.delete(id);
      if (!response.writableFinished && !legacy && running.get(id) === prediction) {
        prediction.status = 'canceled';
        void complete(prediction);
      }
    });
    const finished = await new Promise<FakeCogPrediction>((resolve) => waiters.set(id, resolve));
    const answer = {
      id,
      output: finished.output,
      logs: '',
      status: finished.status,
      metrics: { predict_time: (Date.now() - prediction.createdAt) / 1000 },
    };
    if (finished.error !== undefined) Object.assign(answer, { error: finished.error });
    if (fault?.kind === 'drop') {
      const text = JSON.stringify(answer);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) });
      response.write(text.slice(0, text.length >> 1), () => response.socket?.destroy());
      return;
    }
    json(response, 200, answer);
  }

  async function serve(request: IncomingMessage, response: ServerResponse, text: string): Promise<void> {
    const path = (request.url ?? '').split('?')[0] as string;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = undefined;
    }
    fake.requests.push({ method: request.method ?? '', path, headers: request.headers, body, at: Date.now() });
    const route: FakeCogRoute | undefined = path.startsWith('/uploads/')
      ? 'upload'
      : path === '/health-check'
        ? 'health'
        : /\/cancel$/.test(path)
          ? 'cancel'
          : path.startsWith('/predictions')
            ? 'predict'
            : undefined;
    if (!route) return json(response, 404, { detail: 'Not Found' });
    const fault = takeFault(route, ['hang', 'server_error', 'malformed_json', 'unauthorized']);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'server_error') return json(response, 500, { detail: 'Internal Server Error' });
    if (fault?.kind === 'unauthorized' || (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`))
      return json(response, 401, { detail: 'Unauthorized' });
    if (fault?.kind === 'malformed_json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return void response.end('{"status":"succeeded","output":"data:audio/wav;base64,UklGR');
    }
    if (route === 'upload') return upload(response, path.slice('/uploads/'.length));
    if (route === 'health') {
      const status = fake.state === 'READY' && running.size >= (options.slots ?? 1) ? 'BUSY' : fake.state;
      const setup = {
        started_at: setupStartedAt,
        status: fake.state === 'SETUP_FAILED' ? 'failed' : 'succeeded',
        logs: fake.state === 'SETUP_FAILED' ? 'loading weights\nRuntimeError: CUDA error: no kernel image\n' : '',
      };
      return json(response, 200, { status, setup, version: { coglet: '0.17.0' } });
    }
    const match = /^\/predictions(?:\/([^/]+))?(\/cancel)?$/.exec(path);
    if (!match) return json(response, 404, { detail: 'Not Found' });
    const id = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    if (route === 'cancel') {
      const prediction = id === undefined ? undefined : running.get(id);
      if (request.method !== 'POST' || !prediction) return json(response, 404, {});
      prediction.status = 'canceled';
      await complete(prediction);
      return json(response, 200, {});
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return json(response, 422, { detail: [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }] });
    if ((request.method === 'PUT' && id !== undefined) || (request.method === 'POST' && id === undefined))
      return predict(request, response, id, body as Record<string, unknown>);
    return json(response, 405, { detail: 'Method Not Allowed' });
  }

  function upload(response: ServerResponse, name: string): void {
    const file = uploads.get(name);
    if (!file) {
      json(response, 404, { detail: 'Not Found' });
      return;
    }
    const cut = takeFault('upload', ['drop', 'truncated']);
    response.writeHead(200, { 'content-type': file.type, 'content-length': String(file.bytes.length) });
    if (!cut) return void response.end(file.bytes);
    sendHalf(response, file.bytes, cut.kind);
  }

  const loopback = await listenOnLoopback(serve, (response, error) => json(response, 500, { detail: String(error) }));
  base = loopback.origin;
  (fake as { url: string }).url = base;
  return fake;
}

/** JSON, unless the connection is already gone (`restart()` destroys the waiting ones). */
function json(response: ServerResponse, status: number, body: unknown): void {
  if (!response.destroyed) sendJson(response, status, body);
}
