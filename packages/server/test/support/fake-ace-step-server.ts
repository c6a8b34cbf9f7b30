/**
 * Test helper: a fake ACE-Step 1.5 API server on a loopback port, for the `ace-step` adapter.
 *
 * Contract as read in ace-step/ACE-Step-1.5 (commit f30aee4c, 2026-02-08):
 * - docs/en/API.md: every answer wrapped `{data, code, error, timestamp, extra}`; `POST /release_task`
 *   (JSON: prompt|caption, lyrics, audio_duration 10..600, bpm 30..300, key_scale, seed with
 *   use_random_seed, batch_size (default 2), audio_format mp3|wav|flac, model, thinking, …) →
 *   `{task_id, status:"queued", queue_position}`; `POST /query_result {task_id_list}` → per task
 *   `{task_id, status 0 queued/running | 1 succeeded | 2 failed, result: "<JSON string>"}` whose
 *   entries carry `file: "/v1/audio?path=<url-encoded>"`, `progress`, `stage`, `metas`;
 *   `GET /v1/audio?path=…` serves the file; `GET /health`; auth by `ai_token` in the body or
 *   `Authorization: Bearer`; errors `{"detail": "…"}` with 400, 401, 404, 415, 429 (queue full), 500.
 * - acestep/api_server.py: `verify_token_from_request` (ai_token first, then the header, "Bearer "
 *   optional; 401 "Invalid ai_token" | "Invalid API key" | "Missing ai_token or Authorization header");
 *   `/v1/audio` and `/v1/stats` read the header only (`verify_api_key`); a full queue is
 *   429 "Server busy: queue is full" (no Retry-After); an unknown task id is answered
 *   `{"task_id", "result": "[]", "status": 0}`; a failed task `status: 2` with `error` in its entry;
 *   `/v1/audio` refuses paths outside its temp dir with 403 and missing files with 404, and sets
 *   the media type from the extension; `_is_instrumental`: empty lyrics, "[inst]" or "[instrumental]".
 * - acestep/audio_utils.py: formats other than mp3|wav|flac fall back to flac.
 *
 * Tasks succeed after `finishAfterPolls` running answers (or when `ready` is set) with a 440 Hz
 * tone of the task's `audio_duration` (30 s when none) in its `audio_format`, made with the
 * project's encoders. `faults` is a queue: each request takes the first fault whose route matches.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, encodeAudio } from '../../src/audio/encode-audio.js';
import type { AudioFormat } from '../../src/ports/engine.js';
import { listenOnLoopback, sendHalf, sendJson } from './fake-http-server.js';

export type AceRoute = 'release' | 'query' | 'audio' | 'health' | 'other';

/**
 * - `queue_full`: 429 `{"detail":"Server busy: queue is full"}`; `server_error`: 500; `unauthorized`: 401;
 * - `validation`: 400 `{"detail":"JSON payload must be an object"}`;
 * - `malformed_json`: 200 `application/json` that is not JSON; `hang`: never answers;
 * - `drop` / `truncated` / `oversized` (audio answers only): the connection destroyed after half the
 *   file / closed cleanly after half of its announced Content-Length / the file sent 64 times over.
 */
export type AceFaultKind =
  | 'queue_full'
  | 'server_error'
  | 'unauthorized'
  | 'validation'
  | 'malformed_json'
  | 'hang'
  | 'drop'
  | 'truncated'
  | 'oversized';

export interface AceFault {
  readonly kind: AceFaultKind;
  readonly route?: AceRoute;
  /** Do what the request asks first (e.g. release the task), then answer the fault: an answer lost on the way back. */
  readonly afterEffect?: boolean;
}

export interface FakeAceTask {
  readonly id: string;
  readonly body: Record<string, unknown>;
  /** Running answers given so far. */
  polls: number;
  /** Set to make the next query succeed. */
  ready?: boolean;
  /** Set to make the task fail with this error. */
  failure?: string;
  /** Set to delete its file (as the server's cleanup does), the task still succeeded. */
  fileGone?: boolean;
}

export interface FakeAceStepOptions {
  /** The server's `ACESTEP_API_KEY`; no auth when absent. */
  readonly apiKey?: string;
  /** Running answers before success (default 1). */
  readonly finishAfterPolls?: number;
}

export interface FakeAceStep {
  readonly url: string;
  readonly tasks: Map<string, FakeAceTask>;
  readonly faults: AceFault[];
  readonly requests: { route: AceRoute; body: unknown; headers: IncomingMessage['headers']; at: number }[];
  /** Forget a task, as a restarted server does. */
  forget(id: string): void;
  close(): Promise<void>;
}

const AUDIO_DIR = '/tmp/api_audio/';
const FAULT_BODIES: Partial<Record<AceFaultKind, [number, string]>> = {
  queue_full: [429, 'Server busy: queue is full'],
  server_error: [500, 'Internal Server Error'],
  unauthorized: [401, 'Invalid API key'],
  validation: [400, 'JSON payload must be an object'],
};
const AUDIO_FAULTS: readonly AceFaultKind[] = ['drop', 'truncated', 'oversized'];
const toneCache = new Map<string, Promise<Uint8Array>>();

/** A 440 Hz tone of `seconds` in `format` (mono, 44.1 kHz), made once per format and length. */
export function toneFile(format: AudioFormat, seconds: number): Promise<Uint8Array> {
  const key = `${format}:${seconds}`;
  let bytes = toneCache.get(key);
  if (!bytes) {
    const data = new Float32Array(Math.round(44_100 * seconds));
    for (let i = 0; i < data.length; i++) data[i] = 0.4 * Math.sin((2 * Math.PI * 440 * i) / 44_100);
    const chunks: Uint8Array[] = [];
    const sink = { write: async (chunk: Uint8Array) => void chunks.push(chunk.slice()) };
    bytes = encodeAudio({ sampleRate: 44_100, channels: [data] }, format, sink).then(() => Buffer.concat(chunks));
    toneCache.set(key, bytes);
  }
  return bytes;
}

const wrap = (data: unknown) => ({ data, code: 200, error: null, timestamp: Date.now(), extra: null });

/** Start the fake on 127.0.0.1 and an ephemeral port. */
export async function startFakeAceStep(options: FakeAceStepOptions = {}): Promise<FakeAceStep> {
  const tasks = new Map<string, FakeAceTask>();
  const faults: AceFault[] = [];
  const requests: FakeAceStep['requests'] = [];
  const takeFault = (route: AceRoute, audio: boolean) => {
    const index = faults.findIndex((fault) => (fault.route ?? route) === route && AUDIO_FAULTS.includes(fault.kind) === audio);
    return index < 0 ? undefined : faults.splice(index, 1)[0];
  };
  const formatOf = (task: FakeAceTask): AudioFormat =>
    (['mp3', 'wav', 'flac'] as const).find((format) => format === task.body.audio_format) ?? (task.body.audio_format ? 'flac' : 'mp3');

  function authorized(body: Record<string, unknown>, header: string | undefined, bodyToken: boolean): string | undefined {
    if (options.apiKey === undefined) return undefined;
    if (bodyToken && body.ai_token) return body.ai_token === options.apiKey ? undefined : 'Invalid ai_token';
    if (!header) return bodyToken ? 'Missing ai_token or Authorization header' : 'Missing Authorization header';
    return (header.startsWith('Bearer ') ? header.slice(7) : header) === options.apiKey ? undefined : 'Invalid API key';
  }

  function entry(id: string): Record<string, unknown> {
    const task = tasks.get(id);
    if (!task) return { task_id: id, result: '[]', status: 0 };
    const base = { wave: '', create_time: 0, env: 'development' };
    if (task.failure)
      return { task_id: id, status: 2, result: JSON.stringify([{ ...base, file: '', status: 2, stage: 'failed', error: task.failure }]) };
    if (!task.ready && task.polls < (options.finishAfterPolls ?? 1)) {
      task.polls++;
      const progress = Math.min(0.9, task.polls / ((options.finishAfterPolls ?? 1) + 1));
      return { task_id: id, status: 0, result: JSON.stringify([{ ...base, file: '', status: 0, progress, stage: 'running' }]) };
    }
    const file = `/v1/audio?path=${encodeURIComponent(`${AUDIO_DIR}${id}.${formatOf(task)}`)}`;
    const metas = { bpm: task.body.bpm ?? 120, duration: task.body.audio_duration ?? 30, genres: '', keyscale: task.body.key_scale ?? '' };
    const item = {
      ...base,
      file,
      status: 1,
      prompt: task.body.prompt,
      lyrics: task.body.lyrics,
      metas,
      seed_value: String(task.body.seed),
    };
    return { task_id: id, status: 1, result: JSON.stringify([item]) };
  }

  async function serve(request: IncomingMessage, response: ServerResponse, text: string): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const routes: Record<string, AceRoute> = {
      '/release_task': 'release',
      '/query_result': 'query',
      '/v1/audio': 'audio',
      '/health': 'health',
    };
    const route = routes[url.pathname] ?? 'other';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = undefined;
    }
    requests.push({ route, body, headers: request.headers, at: Date.now() });
    if (route === 'other') return sendJson(response, 404, { detail: 'Not Found' });
    if (route === 'health') return sendJson(response, 200, wrap({ status: 'ok', service: 'ACE-Step API', version: '1.0' }));
    const fault = takeFault(route, false);
    if (fault && !fault.afterEffect) return applyFault(response, fault);
    const record = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    const refusal = authorized(record, request.headers.authorization, route !== 'audio');
    if (refusal) return sendJson(response, 401, { detail: refusal });
    if (route === 'audio') return serveAudio(response, url.searchParams.get('path') ?? '');
    if (!(request.headers['content-type'] ?? '').includes('json')) return sendJson(response, 415, { detail: 'Unsupported Content-Type' });
    if (record !== body) return sendJson(response, 400, { detail: 'JSON payload must be an object' });
    let answer: unknown;
    if (route === 'release') {
      const id = randomUUID();
      tasks.set(id, { id, body: record, polls: 0 });
      answer = wrap({ task_id: id, status: 'queued', queue_position: 1 });
    } else {
      const list = typeof record.task_id_list === 'string' ? JSON.parse(record.task_id_list) : record.task_id_list;
      answer = wrap((Array.isArray(list) ? list : []).map((id) => entry(String(id))));
    }
    if (fault) return applyFault(response, fault);
    sendJson(response, 200, answer);
  }

  async function serveAudio(response: ServerResponse, path: string): Promise<void> {
    if (!path.startsWith(AUDIO_DIR) || path.includes('..'))
      return sendJson(response, 403, { detail: 'Access denied: path outside allowed directory' });
    const [id, extension] = path.slice(AUDIO_DIR.length).split('.');
    const task = tasks.get(id ?? '');
    if (!task || task.failure || task.fileGone || extension !== formatOf(task))
      return sendJson(response, 404, { detail: 'Audio file not found' });
    const format = formatOf(task);
    const bytes = await toneFile(format, Number(task.body.audio_duration ?? 30));
    const headers = { 'content-type': CONTENT_TYPES[format] };
    const cut = takeFault('audio', true);
    if (cut?.kind === 'oversized') {
      response.writeHead(200, headers);
      for (let i = 0; i < 64 && !response.destroyed; i++) await new Promise((resolve) => response.write(bytes, resolve));
      response.end();
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
    if (!cut) return void response.end(bytes);
    sendHalf(response, bytes, cut.kind);
  }

  const loopback = await listenOnLoopback(serve, (response, error) => sendJson(response, 500, { detail: String(error) }));
  return {
    url: loopback.origin,
    tasks,
    faults,
    requests,
    forget: (id) => void tasks.delete(id),
    close: () => loopback.close(),
  };
}

function applyFault(response: ServerResponse, fault: AceFault): void {
  const answer = FAULT_BODIES[fault.kind];
  if (answer) sendJson(response, answer[0], { detail: answer[1] });
  else if (fault.kind === 'malformed_json') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"data":{"task_id":');
  }
  // hang: no answer until close()
}
