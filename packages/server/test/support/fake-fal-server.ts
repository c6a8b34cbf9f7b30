/**
 * Test helper: a fake of fal.ai's queue on a loopback port, plus a second server on another port
 * (another origin) standing for fal's CDN, for the `fal` adapter.
 *
 * Contract as read:
 * - docs.fal.ai/model-endpoints/queue (and fal.ai/docs/documentation/model-apis/inference/queue):
 *   `POST queue.fal.run/{app}[/{subpath}]` with `Authorization: Key …` → `{request_id, response_url,
 *   status_url, cancel_url}`; status, result and cancel live under the app id *without* its
 *   sub-path: `GET …/{owner}/{alias}/requests/{id}/status` → `{status: IN_QUEUE (queue_position) |
 *   IN_PROGRESS (logs) | COMPLETED (logs, metrics.inference_time)}`, `GET …/requests/{id}` → the
 *   app's output, `PUT …/requests/{id}/cancel`; `X-Fal-Object-Lifecycle-Preference:
 *   {"expiration_duration_seconds": n}` sets how long output files live.
 * - fal-ai/fal-js libs/client/src/queue.ts, utils.ts (`parseEndpointId`: namespaces `workflows`,
 *   `comfy`), response.ts (errors: 422 `{detail: [{loc, msg, type}]}`, others `{detail}`), retry.ts
 *   (429, 502, 503, 504 are retried).
 * - docs.fal.ai/errors: model errors `detail: [{loc, msg, type, url, ctx}]` (e.g. type
 *   `content_policy_violation`, 422); fal.ai/docs/documentation/model-apis/request-errors:
 *   `{detail, error_type}` for runner failures (500 runner_server_error, 503, 504).
 * - fal.ai/models/fal-ai/stable-audio/llms.txt `{prompt, seconds_start, seconds_total 0..47 (30), steps}`
 *   → `{audio_file: File}`; …/stable-audio-25/text-to-audio `{prompt, seconds_total 1..190, seed}` →
 *   `{audio: File}`; …/ace-step/prompt-to-audio `{prompt, instrumental, duration 5..240 (60),
 *   number_of_steps, seed}` → `{audio: File, seed, tags, lyrics}`; File = `{url, content_type, file_name, file_size}`.
 * Not confirmed in what was read: the cancel answers (202 CANCELLATION_REQUESTED, 400
 * ALREADY_COMPLETED, 404 NOT_FOUND, as fal's older docs gave them) and the exact texts of 401/404/429.
 *
 * A request is IN_QUEUE for `queuedPolls` status answers, IN_PROGRESS for `runningPolls`, then
 * COMPLETED; its output names a file on the CDN server: a 440 Hz tone of the input's length.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES } from '../../src/audio/encode-audio.js';
import type { AudioFormat } from '../../src/ports/engine.js';
import { toneFile } from './fake-ace-step-server.js';
import { listenOnLoopback, sendHalf, sendJson } from './fake-http-server.js';

export type FalRoute = 'submit' | 'status' | 'result' | 'cancel' | 'file' | 'other';

/**
 * - `rate_limit`: 429 (with `Retry-After` when `retryAfterSeconds` is given); `capacity`: 503;
 *   `server_error`: 500 `{detail, error_type: "runner_server_error"}`; `unauthorized`: 401;
 * - `validation` / `content_policy`: 422 `{detail: [{loc, msg, type}]}` (`missing` / `content_policy_violation`);
 * - `malformed_json`: 200 JSON that is not; `hang`: never answers;
 * - `drop` / `truncated` / `oversized` (files only): connection destroyed after half the file /
 *   closed cleanly short of its Content-Length / the file sent 64 times over.
 */
export type FalFaultKind =
  | 'rate_limit'
  | 'capacity'
  | 'server_error'
  | 'unauthorized'
  | 'validation'
  | 'content_policy'
  | 'malformed_json'
  | 'hang'
  | 'drop'
  | 'truncated'
  | 'oversized';

export interface FalFault {
  readonly kind: FalFaultKind;
  readonly route?: FalRoute;
  readonly retryAfterSeconds?: number;
  /** Do what the request asks first (e.g. queue it), then answer the fault: an answer lost on the way back. */
  readonly afterEffect?: boolean;
}

/** An app's input and output as documented. */
export interface FakeFalApp {
  readonly durationField: string;
  readonly range: readonly [number, number];
  readonly defaultSeconds: number;
  readonly outputField: string;
}

export const FAL_APPS: Readonly<Record<string, FakeFalApp>> = {
  'fal-ai/stable-audio': { durationField: 'seconds_total', range: [0, 47], defaultSeconds: 30, outputField: 'audio_file' },
  'fal-ai/stable-audio-25/text-to-audio': { durationField: 'seconds_total', range: [1, 190], defaultSeconds: 190, outputField: 'audio' },
  'fal-ai/ace-step/prompt-to-audio': { durationField: 'duration', range: [5, 240], defaultSeconds: 60, outputField: 'audio' },
};

export interface FakeFalRequest {
  readonly id: string;
  readonly app: string;
  readonly requestsApp: string;
  readonly input: Record<string, unknown>;
  readonly headers: IncomingMessage['headers'];
  polls: number;
  cancelled: boolean;
  /** Set to complete it at its next status request. */
  ready?: boolean;
  /** Set to make its result this error. */
  failure?: { readonly status: number; readonly body: unknown };
  /** Set to delete its file from the CDN. */
  fileGone?: boolean;
}

export interface FakeFalOptions {
  /** The fal key it accepts (default `test-key`). */
  readonly apiKey?: string;
  readonly queuedPolls?: number;
  readonly runningPolls?: number;
  /** Format of the output files (default wav). */
  readonly format?: 'mp3' | 'wav' | 'flac';
  /** More apps, e.g. one with lyrics under another name. */
  readonly apps?: Readonly<Record<string, FakeFalApp>>;
}

export interface FakeFal {
  /** The queue base, as `https://queue.fal.run`. */
  readonly url: string;
  /** The CDN's origin. */
  readonly filesUrl: string;
  readonly requests: Map<string, FakeFalRequest>;
  readonly faults: FalFault[];
  readonly seen: { route: FalRoute; method: string; path: string; headers: IncomingMessage['headers']; body: unknown; at: number }[];
  close(): Promise<void>;
}

const FILE_FAULTS: readonly FalFaultKind[] = ['drop', 'truncated', 'oversized'];

export async function startFakeFal(options: FakeFalOptions = {}): Promise<FakeFal> {
  const apps = { ...FAL_APPS, ...options.apps };
  const apiKey = options.apiKey ?? 'test-key';
  const requests = new Map<string, FakeFalRequest>();
  const faults: FalFault[] = [];
  const seen: FakeFal['seen'] = [];
  const format = options.format ?? 'wav';
  let url = '';
  let filesUrl = '';
  const takeFault = (route: FalRoute, file: boolean) => {
    const index = faults.findIndex((fault) => (fault.route ?? route) === route && FILE_FAULTS.includes(fault.kind) === file);
    return index < 0 ? undefined : faults.splice(index, 1)[0];
  };
  const links = (request: FakeFalRequest) => {
    const base = `${url}/${request.requestsApp}/requests/${request.id}`;
    return { request_id: request.id, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
  };
  const completed = (request: FakeFalRequest) =>
    request.cancelled || request.ready === true || request.polls >= (options.queuedPolls ?? 1) + (options.runningPolls ?? 1);

  function output(request: FakeFalRequest): [number, unknown] {
    if (request.cancelled) return [400, { detail: 'Request was cancelled', error_type: 'client_cancelled' }];
    if (request.failure) return [request.failure.status, request.failure.body];
    const app = apps[request.app] as FakeFalApp;
    if (typeof request.input.prompt !== 'string' || !request.input.prompt)
      return [422, { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] }];
    const seconds = request.input[app.durationField] ?? app.defaultSeconds;
    const [min, max] = app.range;
    if (typeof seconds !== 'number' || seconds < min || seconds > max) {
      const msg = `Input should be ${seconds as number} within ${min}..${max}`;
      return [422, { detail: [{ loc: ['body', app.durationField], msg, type: 'less_than_equal', ctx: { le: max } }] }];
    }
    const file = {
      url: `${filesUrl}/files/${request.id}.${format}`,
      content_type: CONTENT_TYPES[format],
      file_name: `${request.id}.${format}`,
    };
    return [200, { [app.outputField]: file, seed: request.input.seed ?? 1 }];
  }

  function answer(route: FalRoute, method: string, path: string, body: unknown, headers: IncomingMessage['headers']): [number, unknown] {
    const match = /^\/(.+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(path);
    if (!match) {
      const app = path.slice(1);
      if (method !== 'POST' || !apps[app]) return [404, { detail: 'Not Found' }];
      const id = randomUUID();
      const requestsApp = app.split('/').slice(0, 2).join('/');
      const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const request: FakeFalRequest = { id, app, requestsApp, input, headers, polls: 0, cancelled: false };
      requests.set(id, request);
      return [200, { ...links(request), status: 'IN_QUEUE', queue_position: 0 }];
    }
    const request = requests.get(match[2] as string);
    const known = request && request.requestsApp === match[1];
    if (route === 'cancel') {
      if (!known) return [404, { status: 'NOT_FOUND' }];
      if (completed(request)) return [400, { status: 'ALREADY_COMPLETED' }];
      request.cancelled = true;
      return [202, { status: 'CANCELLATION_REQUESTED' }];
    }
    if (!known) return [404, { detail: 'Request not found' }];
    if (route === 'result') return completed(request) ? output(request) : [400, { detail: 'Request is still in progress' }];
    if (completed(request)) return [200, { ...links(request), status: 'COMPLETED', logs: null, metrics: { inference_time: 1.5 } }];
    request.polls++;
    if (request.polls <= (options.queuedPolls ?? 1)) return [200, { ...links(request), status: 'IN_QUEUE', queue_position: 0 }];
    return [200, { ...links(request), status: 'IN_PROGRESS', logs: null }];
  }

  function routeOf(method: string, path: string): FalRoute {
    if (/\/requests\/[^/]+\/status$/.test(path)) return 'status';
    if (/\/requests\/[^/]+\/cancel$/.test(path)) return method === 'PUT' ? 'cancel' : 'other';
    if (/\/requests\/[^/]+$/.test(path)) return 'result';
    return method === 'POST' ? 'submit' : 'other';
  }

  async function serveQueue(request: IncomingMessage, response: ServerResponse, text: string): Promise<void> {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const route = routeOf(method, path);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    seen.push({ route, method, path, headers: request.headers, body, at: Date.now() });
    const fault = takeFault(route, false);
    if (fault && !fault.afterEffect) return applyFault(response, fault);
    if (request.headers.authorization !== `Key ${apiKey}`)
      return sendJson(response, 401, { detail: 'Authentication is required to access this application.' });
    const [status, json] = answer(route, method, path, body, request.headers);
    if (fault) return applyFault(response, fault);
    sendJson(response, status, json);
  }

  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    seen.push({ route: 'file', method: request.method ?? 'GET', path, headers: request.headers, body: undefined, at: Date.now() });
    const fault = takeFault('file', false);
    if (fault) return applyFault(response, fault);
    const found = requests.get(/^\/files\/([^/.]+)\./.exec(path)?.[1] ?? '');
    if (!found || found.fileGone) return sendJson(response, 404, { detail: 'Not Found' });
    const app = apps[found.app] as FakeFalApp;
    const bytes = await toneFile(format as AudioFormat, Number(found.input[app.durationField] ?? app.defaultSeconds));
    const cut = takeFault('file', true);
    const headers = { 'content-type': CONTENT_TYPES[format] };
    if (cut?.kind === 'oversized') {
      response.writeHead(200, headers);
      for (let i = 0; i < 64 && !response.destroyed; i++) await new Promise((resolve) => response.write(bytes, resolve));
      return void response.end();
    }
    response.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
    if (!cut) return void response.end(bytes);
    sendHalf(response, bytes, cut.kind);
  }

  const fail = (response: ServerResponse, error: Error) => sendJson(response, 500, { detail: String(error) });
  const queue = await listenOnLoopback(serveQueue, fail);
  const cdn = await listenOnLoopback(serveFile, fail);
  url = queue.origin;
  filesUrl = cdn.origin;
  return { url, filesUrl, requests, faults, seen, close: async () => void (await Promise.all([queue.close(), cdn.close()])) };
}

function applyFault(response: ServerResponse, fault: FalFault): void {
  const retryAfter: Record<string, string> =
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
  const errors: Partial<Record<FalFaultKind, [number, unknown]>> = {
    rate_limit: [429, { detail: 'Rate limit exceeded' }],
    capacity: [503, { detail: 'No runner could be allocated', error_type: 'runner_scheduling_failure' }],
    server_error: [500, { detail: 'Internal server error', error_type: 'runner_server_error' }],
    unauthorized: [401, { detail: 'Authentication is required to access this application.' }],
    validation: [422, { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] }],
    content_policy: [
      422,
      {
        detail: [
          {
            loc: ['body', 'prompt'],
            msg: 'The content was flagged by a content checker.',
            type: 'content_policy_violation',
            url: 'https://docs.fal.ai/errors#content_policy_violation',
          },
        ],
      },
    ],
  };
  const error = errors[fault.kind];
  if (error) sendJson(response, error[0], error[1], retryAfter);
  else if (fault.kind === 'malformed_json') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"status": "IN_PROG');
  }
  // hang: no answer until close()
}
