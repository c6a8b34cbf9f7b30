/**
 * Test fake of Replicate's hosted predictions API on a loopback port, answering real audio made
 * with the project's encoders.
 *
 * Contract as read: replicate/replicate-javascript (commit 2fd6f394, 2025-11) lib/predictions.js
 * (`POST /predictions {version, input, webhook?}`, `POST /models/{owner}/{name}/predictions {input}`,
 * `Prefer: wait[=n]`, `GET /predictions/{id}`, `POST /predictions/{id}/cancel`), lib/deployments.js
 * (`POST /deployments/{owner}/{name}/predictions`), index.js (Bearer auth; 429 retried after
 * `Retry-After`), index.d.ts `Prediction` {id, status starting|processing|succeeded|failed|canceled|
 * aborted, model, version, input, output, error, logs, data_removed, metrics, created_at, started_at,
 * completed_at, urls{get,cancel,stream,web}}; replicate/replicate-python (0110c2c5) replicate/exceptions.py
 * (errors are RFC 7807 problem documents `{type?,title,status,detail}`). Replicate's docs:
 * replicate.com/docs/topics/predictions/rate-limits (600 creations a minute, 3000 other requests,
 * tighter as credit runs low; 429 `{"detail":"Request was throttled. Your rate limit resets in ~30s."}`),
 * …/create-a-prediction (sync mode `Prefer: wait`, default 60 s, answers the incomplete prediction
 * when the model is slower), …/data-retention (API predictions' inputs, outputs and files removed
 * after an hour), changelog 2025-10-16 (`Cancel-After` deadline: `aborted` before it ran, `canceled`
 * while running). Observed bodies in replicate issue threads: 402 `{"title":"Billing required",…}`,
 * 422 `{"title":"Invalid version or not permitted","detail":"The specified version does not exist
 * (or perhaps you don't have permission to use it?)","status":422}`. Input validation: 422
 * `{"title":"Input validation failed","detail":"- input.duration: …","status":422,"invalid_fields":[…]}`.
 *
 * The model (MusicGen-like, version `VERSION`, model `meta/musicgen`, deployment `acme/musicgen`):
 * `prompt` (required), `duration` (1–30 s, default 8), `seed` (int), `output_format` (`wav`|`mp3`).
 * A prediction is `starting`, then `processing` (logs with a tqdm bar), then `succeeded` after
 * `finishAfterPolls` GETs (or `finishAfterMs`); its output is a URL under `/files/`, as on
 * replicate.delivery. Rate limits are a sliding window per token (`limits`).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sine } from './fake-cog-server.js';
import { listenOnLoopback, sendHalf } from './fake-http-server.js';

/** An answer: status, JSON body (or raw text), extra headers. */
type Answer = [number, unknown, Record<string, string>?];

export const VERSION = 'b05b1dff1d8c6dc63d14b0cdb42135378dcb87f6373b0d3d341ede46e59e2b38';

export type FakeReplicateRoute = 'create' | 'get' | 'cancel' | 'file';

/**
 * A scripted fault, taken by the first request of its route (any route when absent):
 * `rate_limit` 429 with `Retry-After` (`retryAfterSeconds`, default 1) and `rate_limit_no_header`
 * 429 whose only hint is the body's "resets in ~Ns"; `server_error` 500; `unauthorized` 401;
 * `billing` 402; `hang` never answers (with `afterEffect`, after creating the prediction: an answer
 * lost on the way back); `malformed_json` a cut JSON 200; `drop`/`truncated` cut a file download
 * (connection destroyed, or closed cleanly short of its Content-Length); `oversized` makes the next
 * prediction's file 40 times longer; `model_error` and `nsfw` make it fail.
 */
export interface FakeReplicateFault {
  readonly kind:
    | 'rate_limit'
    | 'rate_limit_no_header'
    | 'server_error'
    | 'unauthorized'
    | 'billing'
    | 'hang'
    | 'malformed_json'
    | 'drop'
    | 'truncated'
    | 'oversized'
    | 'model_error'
    | 'nsfw';
  readonly route?: FakeReplicateRoute;
  readonly retryAfterSeconds?: number;
  readonly afterEffect?: boolean;
}

export interface FakeReplicateOptions {
  /** The token it accepts (default `r8_test`). */
  readonly apiKey?: string;
  /** GETs answered `processing` before a prediction succeeds (default 1). Ignored with `finishAfterMs`. */
  readonly finishAfterPolls?: number;
  readonly finishAfterMs?: number;
  /** Requests allowed per `windowMs` (default 600 creations and 3000 others a minute). */
  readonly limits?: { readonly create: number; readonly other: number; readonly windowMs: number };
  /** Output: the file URL, or a list holding it. */
  readonly outputShape?: 'string' | 'list';
}

export interface FakeReplicatePrediction {
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly input: Record<string, unknown>;
  readonly headers: IncomingMessage['headers'];
  status: string;
  polls: number;
  readonly createdAt: number;
  output?: unknown;
  error?: string;
  dataRemoved: boolean;
  /** Set it to finish at the next look, whatever the options say. */
  ready?: boolean;
  failure?: string;
  oversized?: boolean;
}

export interface FakeReplicateRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
  readonly status: number;
  readonly at: number;
}

export interface FakeReplicate {
  /** The API base, `http://127.0.0.1:<port>/v1`. */
  readonly url: string;
  readonly faults: FakeReplicateFault[];
  /** Every prediction created, in order. */
  readonly predictions: FakeReplicatePrediction[];
  readonly requests: FakeReplicateRequest[];
  close(): Promise<void>;
}

/** Start the fake on 127.0.0.1 and an ephemeral port. */
export async function startFakeReplicate(options: FakeReplicateOptions = {}): Promise<FakeReplicate> {
  const apiKey = options.apiKey ?? 'r8_test';
  const limits = options.limits ?? { create: 600, other: 3000, windowMs: 60_000 };
  const windows = { create: [] as number[], other: [] as number[] };
  const files = new Map<string, Uint8Array>();
  let base = '';
  const fake: FakeReplicate = {
    url: '',
    faults: [],
    predictions: [],
    requests: [],
    close: () => loopback.close(),
  };

  function takeFault(route: FakeReplicateRoute, kinds: readonly FakeReplicateFault['kind'][]): FakeReplicateFault | undefined {
    const index = fake.faults.findIndex((fault) => (fault.route ?? route) === route && kinds.includes(fault.kind));
    return index < 0 ? undefined : fake.faults.splice(index, 1)[0];
  }

  /** Move a prediction on as time and polls pass; its file is made when it succeeds. */
  async function advance(prediction: FakeReplicatePrediction, polled: boolean): Promise<void> {
    if (['succeeded', 'failed', 'canceled', 'aborted'].includes(prediction.status)) return;
    if (polled) prediction.polls++;
    const done =
      prediction.ready === true ||
      (options.finishAfterMs !== undefined
        ? Date.now() - prediction.createdAt >= options.finishAfterMs
        : prediction.polls > (options.finishAfterPolls ?? 1));
    if (!done) {
      prediction.status = 'processing';
      return;
    }
    if (prediction.failure) {
      prediction.status = 'failed';
      prediction.error = prediction.failure;
      return;
    }
    const format = prediction.input.output_format === 'mp3' ? 'mp3' : 'wav';
    const bytes = await sine(format, (prediction.input.duration as number) * (prediction.oversized ? 40 : 1));
    const name = `${randomBytes(12).toString('hex')}/output.${format}`;
    files.set(name, bytes);
    if (prediction.status === 'canceled') return;
    const url = `${base}/files/${name}`;
    prediction.output = options.outputShape === 'list' ? [url] : url;
    prediction.status = 'succeeded';
  }

  function view(prediction: FakeReplicatePrediction): Record<string, unknown> {
    const url = `${base}/v1/predictions/${prediction.id}`;
    const processing = prediction.status === 'processing' || prediction.status === 'succeeded';
    return {
      id: prediction.id,
      model: 'meta/musicgen',
      version: VERSION,
      input: prediction.dataRemoved ? {} : prediction.input,
      logs: processing
        ? `Generating...\n 50%|█████     | 50/100\n${prediction.status === 'succeeded' ? '100%|██████████| 100/100\n' : ''}`
        : '',
      output: prediction.dataRemoved ? null : (prediction.output ?? null),
      data_removed: prediction.dataRemoved,
      error: prediction.error ?? null,
      status: prediction.status,
      created_at: new Date(prediction.createdAt).toISOString(),
      urls: { get: url, cancel: `${url}/cancel`, web: `https://replicate.com/p/${prediction.id}` },
      metrics: prediction.status === 'succeeded' ? { predict_time: 0.1 } : {},
    };
  }

  function validate(input: Record<string, unknown>): { field: string; description: string } | undefined {
    if (typeof input.prompt !== 'string' || input.prompt.trim() === '') return { field: 'input.prompt', description: 'prompt is required' };
    const duration = input.duration;
    if (typeof duration !== 'number' || duration < 1) return { field: 'input.duration', description: 'Must be greater than or equal to 1' };
    if (duration > 30) return { field: 'input.duration', description: 'Must be less than or equal to 30' };
    if (input.output_format !== 'wav' && input.output_format !== 'mp3')
      return { field: 'input.output_format', description: 'output_format must be one of the following: "wav", "mp3"' };
    return undefined;
  }

  async function create(request: IncomingMessage, path: string, body: Record<string, unknown>): Promise<Answer> {
    const viaVersion = path === '/v1/predictions';
    if (viaVersion) {
      const version = typeof body.version === 'string' ? body.version.split(':').at(-1) : undefined;
      if (version !== VERSION)
        return [
          422,
          {
            title: 'Invalid version or not permitted',
            detail: "The specified version does not exist (or perhaps you don't have permission to use it?)",
            status: 422,
          },
        ];
    } else if (path !== '/v1/models/meta/musicgen/predictions' && path !== '/v1/deployments/acme/musicgen/predictions')
      return [404, { title: 'Not found', detail: 'The requested resource could not be found.', status: 404 }];
    const raw = (typeof body.input === 'object' && body.input !== null ? body.input : {}) as Record<string, unknown>;
    const input: Record<string, unknown> = { duration: 8, output_format: 'wav', ...raw };
    const invalid = validate(input);
    if (invalid)
      return [
        422,
        {
          title: 'Input validation failed',
          detail: `- ${invalid.field}: ${invalid.description}\n`,
          status: 422,
          invalid_fields: [{ type: 'invalid', field: invalid.field, description: invalid.description }],
        },
      ];
    const fault = takeFault('create', ['oversized', 'model_error', 'nsfw']);
    const prediction: FakeReplicatePrediction = {
      id: randomBytes(13).toString('hex').slice(0, 26),
      body,
      input,
      headers: request.headers,
      status: 'starting',
      polls: 0,
      createdAt: Date.now(),
      dataRemoved: false,
      oversized: fault?.kind === 'oversized',
      failure:
        fault?.kind === 'model_error'
          ? 'CUDA out of memory'
          : fault?.kind === 'nsfw'
            ? 'NSFW content detected. Try a different prompt.'
            : undefined,
    };
    fake.predictions.push(prediction);
    const wait = /^wait(?:=(\d+))?$/.exec(String(request.headers.prefer ?? ''));
    if (wait) {
      const until = Date.now() + Math.min(60, Number(wait[1] ?? 60)) * 1000;
      for (;;) {
        await advance(prediction, false);
        if (prediction.status === 'succeeded' || prediction.status === 'failed' || Date.now() >= until) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    return [201, view(prediction)];
  }

  async function route(request: IncomingMessage, path: string, body: unknown): Promise<Answer | undefined> {
    const method = request.method ?? 'GET';
    const which: FakeReplicateRoute | undefined =
      method === 'POST' && /\/predictions$/.test(path)
        ? 'create'
        : method === 'POST' && /^\/v1\/predictions\/[^/]+\/cancel$/.test(path)
          ? 'cancel'
          : method === 'GET' && /^\/v1\/predictions\/[^/]+$/.test(path)
            ? 'get'
            : undefined;
    if (!which) return [404, { title: 'Not found', detail: 'The requested resource could not be found.', status: 404 }];
    if (request.headers.authorization !== `Bearer ${apiKey}`)
      return [401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 }];
    const fault = takeFault(which, [
      'rate_limit',
      'rate_limit_no_header',
      'server_error',
      'unauthorized',
      'billing',
      'hang',
      'malformed_json',
    ]);
    const throttle = (seconds: number, header: boolean): Answer => [
      429,
      { detail: `Request was throttled. Your rate limit resets in ~${seconds}s.` },
      header ? { 'retry-after': String(seconds) } : {},
    ];
    if (fault?.kind === 'rate_limit') return throttle(fault.retryAfterSeconds ?? 1, true);
    if (fault?.kind === 'rate_limit_no_header') return throttle(fault.retryAfterSeconds ?? 1, false);
    const window = which === 'create' ? windows.create : windows.other;
    const now = Date.now();
    while (window.length > 0 && (window[0] as number) <= now - limits.windowMs) window.shift();
    if (window.length >= (which === 'create' ? limits.create : limits.other))
      return throttle(Math.max(1, Math.ceil(((window[0] as number) + limits.windowMs - now) / 1000)), true);
    window.push(now);
    if (fault?.kind === 'server_error') return [500, { detail: 'Internal Server Error' }];
    if (fault?.kind === 'unauthorized')
      return [401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 }];
    if (fault?.kind === 'billing')
      return [
        402,
        {
          title: 'Billing required',
          detail: 'You need to set up billing to run this model. Go to https://replicate.com/account/billing#billing to set it up.',
          status: 402,
        },
      ];
    if (fault?.kind === 'hang' && !fault.afterEffect) return undefined;
    let answer: Answer;
    if (which === 'create') answer = await create(request, path, (body ?? {}) as Record<string, unknown>);
    else {
      const id = path.split('/')[3] as string;
      const prediction = fake.predictions.find((item) => item.id === id);
      if (!prediction) return [404, { title: 'Not found', detail: 'The requested resource could not be found.', status: 404 }];
      if (which === 'cancel' && !['succeeded', 'failed', 'canceled', 'aborted'].includes(prediction.status)) prediction.status = 'canceled';
      else if (which === 'get') await advance(prediction, true);
      answer = [200, view(prediction)];
    }
    if (fault?.kind === 'hang') return undefined;
    if (fault?.kind === 'malformed_json') return [200, '{"id":"x","status":"proc'];
    return answer;
  }

  async function serve(request: IncomingMessage, response: ServerResponse, text: string): Promise<void> {
    const path = (request.url ?? '').split('?')[0] as string;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const record = { method: request.method ?? '', path, headers: request.headers, body, status: 0, at: Date.now() };
    fake.requests.push(record);
    if (path.startsWith('/files/')) return file(response, path.slice('/files/'.length), record);
    const answer = await route(request, path, body);
    if (!answer) return;
    const [status, value, headers] = answer;
    record.status = status;
    const payload = typeof value === 'string' ? value : JSON.stringify(value);
    const type = status >= 400 && status !== 429 && typeof value === 'object' ? 'application/problem+json' : 'application/json';
    response.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(payload)), ...headers });
    response.end(payload);
  }

  function file(response: ServerResponse, name: string, record: { status: number }): void {
    const bytes = files.get(name);
    record.status = bytes ? 200 : 404;
    if (!bytes) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const cut = takeFault('file', ['drop', 'truncated']);
    response.writeHead(200, { 'content-type': name.endsWith('.mp3') ? 'audio/mpeg' : 'audio/wav', 'content-length': String(bytes.length) });
    if (!cut) {
      response.end(bytes);
      return;
    }
    sendHalf(response, bytes, cut.kind);
  }

  const loopback = await listenOnLoopback(serve, (response, error) =>
    response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: String(error) })),
  );
  base = loopback.origin;
  (fake as { url: string }).url = `${base}/v1`;
  return fake;
}
