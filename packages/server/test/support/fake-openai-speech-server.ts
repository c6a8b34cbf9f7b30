/**
 * Test fake of an OpenAI-compatible speech server on a loopback port, answering real audio made
 * with the project's own encoders. Contract as read (2025/2026 sources):
 * - remsky/Kokoro-FastAPI (commit 26eec068) api/src/routers/openai_compatible.py: `POST /v1/audio/speech`;
 *   `stream` (default true) answers a chunked StreamingResponse as sentences are made, false one
 *   whole Response; Content-Type audio/mpeg|opus|aac|flac|wav|pcm; unknown model or voice → 400
 *   `{"detail":{"error","message","type"}}`; failures → 500 `{"detail":{"error":"processing_error",…}}`;
 *   no authentication. api/src/structures/schemas.py `OpenAISpeechRequest`: model (default kokoro),
 *   input, voice (default af_heart; mixes "af_bella(2)+af_sky"), response_format mp3|opus|aac|flac|wav|pcm
 *   (default mp3), speed 0.25–4, stream, lang_code, …; unknown fields ignored; pydantic errors →
 *   422 `{"detail":[{"type","loc","msg","input"}]}`. api/src/core/openai_mappings.json: models
 *   tts-1, tts-1-hd, kokoro, gpt-4o-mini-tts. services/streaming_audio_writer.py: 24 kHz mono; pcm = raw s16le.
 *   `GET /v1/audio/voices` (`list_voices`) answers `{"voices":[{"id","name"}]}` (name = id), with
 *   `?legacy=true` the older `{"voices":["af_heart",…]}`; a failure is 500 `{"detail":{"error":"server_error",…}}`.
 * - OpenAI API reference, Create speech (CreateSpeechRequest of its OpenAPI spec; mirrored at
 *   docs.rs/crate/openai-client-base docs/CreateSpeechRequest.md): model, input (≤ 4096 chars), voice,
 *   instructions, response_format (default mp3), speed 0.25–4, stream_format audio|sse; pcm is 24 kHz
 *   16-bit little-endian mono; errors `{"error":{"message","type","param","code"}}`: 401 invalid_api_key,
 *   404 model_not_found, 429 rate_limit_exceeded (Retry-After, x-ratelimit-* headers) or insufficient_quota,
 *   503 server_is_overloaded. Unknown body fields are answered 400 unknown_parameter here, as OpenAI's
 *   newer endpoints do (not confirmed for this one: the reason the adapter sends no `stream` to OpenAI).
 *   OpenAI documents no route listing voices: 404 here.
 * The tone spoken lasts `secondsPerCharacter` per input character (divided by speed) and starts
 * mid-wave on a DC offset, so that joining parts without fades would click.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, createStreamingEncoder, ENCODABLE_FORMATS, encodeAudio } from '../../src/audio/encode-audio.js';
import type { PcmAudio } from '../../src/audio/pcm-audio.js';
import type { AudioFormat, ByteSink } from '../../src/ports/engine.js';
import { listenOnLoopback } from './fake-http-server.js';

/** What the next request suffers; `none` answers normally (to aim a later fault at a later request). */
export type FakeSpeechFault =
  | { readonly kind: 'none' | 'server_error' | 'overloaded' | 'quota' | 'hang' | 'drop' | 'unauthorized' | 'validation' }
  | { readonly kind: 'rate_limited'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'malformed'; readonly how?: 'truncated' | 'garbage' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'hold'; readonly release: Promise<void> };

export interface FakeOpenAiSpeechOptions {
  /** Kokoro-FastAPI (default: FastAPI error shapes, `stream`/`lang_code` accepted) or OpenAI proper. */
  readonly flavor?: 'kokoro' | 'openai';
  /** When set, a request without `Authorization: Bearer <apiKey>` is answered 401. */
  readonly apiKey?: string;
  /** Formats it can answer (default: all the project can encode — no aac); others are a 422/400. */
  readonly formats?: readonly AudioFormat[];
  readonly secondsPerCharacter?: number;
  /** Voices it knows and lists (default: Kokoro's few, or OpenAI's eleven). */
  readonly voices?: readonly string[];
}

export interface FakeOpenAiSpeech {
  /** Base URL including `/v1`. */
  readonly url: string;
  /** Every JSON body received, in order (also those answered with a fault). */
  readonly requests: Record<string, unknown>[];
  /** Faults applied to the next requests, first in first out. */
  readonly faults: FakeSpeechFault[];
  /** Faults applied to the next `GET /audio/voices` requests (`server_error`, `hang`, `malformed`, `unauthorized`). */
  readonly voiceFaults: FakeSpeechFault[];
  /** How many times `GET /audio/voices` was asked. */
  readonly voiceListings: () => number;
  close(): Promise<void>;
}

const RATE = 24_000;
const KOKORO_MODELS = ['tts-1', 'tts-1-hd', 'kokoro', 'gpt-4o-mini-tts'];
const KOKORO_VOICES = ['af_heart', 'af_bella', 'af_sky', 'am_adam', 'bf_emma', 'alloy', 'echo', 'nova', 'shimmer'];
const OPENAI_MODELS = ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts'];
const OPENAI_FIELDS = ['model', 'input', 'voice', 'instructions', 'response_format', 'speed', 'stream_format'];
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function tone(seconds: number): PcmAudio {
  const data = new Float32Array(Math.max(1, Math.round(seconds * RATE)));
  for (let i = 0; i < data.length; i++) data[i] = 0.05 + 0.4 * Math.sin(Math.PI / 2 + (2 * Math.PI * 220 * i) / RATE);
  return { sampleRate: RATE, channels: [data] };
}

async function encode(audio: PcmAudio, format: AudioFormat, streamed: boolean): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const sink: ByteSink = { write: async (chunk) => void chunks.push(chunk.slice()) };
  if (!streamed) await encodeAudio(audio, format, sink);
  else {
    const encoder = createStreamingEncoder(format, RATE, 1, sink);
    await encoder.write(audio);
    await encoder.end();
  }
  return Buffer.concat(chunks);
}

function pieces(bytes: Uint8Array, count: number): Uint8Array[] {
  const size = Math.max(1, Math.ceil(bytes.length / count));
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
}

export async function startFakeOpenAiSpeech(options: FakeOpenAiSpeechOptions = {}): Promise<FakeOpenAiSpeech> {
  const openai = options.flavor === 'openai';
  const formats = options.formats ?? ENCODABLE_FORMATS;
  const requests: Record<string, unknown>[] = [];
  const faults: FakeSpeechFault[] = [];
  const voiceFaults: FakeSpeechFault[] = [];
  const known =
    options.voices ??
    (openai ? ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse'] : KOKORO_VOICES);
  let voiceListings = 0;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  /** An error in the flavor's shape: OpenAI `{error:{…}}`, FastAPI HTTPException `{detail:{…}}`. */
  const fail = (res: ServerResponse, status: number, message: string, type: string, code: string | null, headers = {}) =>
    json(
      res,
      status,
      openai ? { error: { message, type, param: null, code } } : { detail: { error: code ?? type, message, type } },
      headers,
    );
  const invalid = (res: ServerResponse, field: string, message: string, input: unknown) =>
    openai
      ? fail(res, 400, `Invalid value for '${field}': ${message}`, 'invalid_request_error', 'invalid_value')
      : json(res, 422, { detail: [{ type: 'value_error', loc: ['body', field], msg: message, input }] });

  async function answer(req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake');
    if (!openai && req.method === 'GET' && path.pathname === '/v1/audio/voices') {
      voiceListings++;
      const fault = voiceFaults.shift() ?? { kind: 'none' };
      if (fault.kind === 'hang') return;
      if (fault.kind === 'server_error') return fail(res, 500, 'Failed to retrieve voice list', 'server_error', 'server_error');
      if (fault.kind === 'unauthorized') return fail(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
      if (fault.kind === 'malformed') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"voices": [{"id"');
      const legacy = path.searchParams.get('legacy') === 'true';
      return json(res, 200, { voices: legacy ? known : known.map((id) => ({ id, name: id })) });
    }
    if (req.method !== 'POST' || req.url !== '/v1/audio/speech') return fail(res, 404, 'Not Found', 'invalid_request_error', 'not_found');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return invalid(res, 'body', 'JSON decode error', text.slice(0, 100));
    }
    requests.push(body);
    const fault = faults.shift() ?? { kind: 'none' };
    if (fault.kind === 'hang') return;
    if (fault.kind === 'rate_limited') {
      const headers = {
        'retry-after': String(fault.retryAfterSeconds ?? 0),
        'x-ratelimit-limit-requests': '50',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '1s',
      };
      return fail(res, 429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded', headers);
    }
    if (fault.kind === 'quota')
      return fail(
        res,
        429,
        'You exceeded your current quota, please check your plan and billing details.',
        'insufficient_quota',
        'insufficient_quota',
      );
    if (fault.kind === 'overloaded')
      return fail(res, 503, 'The engine is currently overloaded, please try again later', 'server_error', 'server_is_overloaded');
    if (fault.kind === 'server_error')
      return fail(res, 500, 'Error generating audio: CUDA out of memory', 'server_error', 'processing_error');
    if (fault.kind === 'validation') return invalid(res, 'speed', 'Input should be less than or equal to 4', body.speed);
    const authorized = options.apiKey === undefined || req.headers.authorization === `Bearer ${options.apiKey}`;
    if (fault.kind === 'unauthorized' || !authorized)
      return fail(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');

    const unknown = openai ? Object.keys(body).find((key) => !OPENAI_FIELDS.includes(key)) : undefined;
    if (unknown) return fail(res, 400, `Unknown parameter: '${unknown}'.`, 'invalid_request_error', 'unknown_parameter');
    const {
      model = openai ? undefined : 'kokoro',
      input,
      voice = openai ? undefined : 'af_heart',
      response_format = 'mp3',
      speed = 1,
    } = body;
    if (typeof input !== 'string' || input.length === 0) return invalid(res, 'input', 'Field required', input);
    if (openai && input.length > 4096) return invalid(res, 'input', 'String should have at most 4096 characters', input.length);
    if (typeof speed !== 'number' || speed < 0.25 || speed > 4) return invalid(res, 'speed', 'Input should be between 0.25 and 4', speed);
    if (!formats.includes(response_format as AudioFormat))
      return invalid(res, 'response_format', `Input should be one of ${formats.join(', ')}`, response_format);
    if (!(openai ? OPENAI_MODELS : KOKORO_MODELS).includes(model as string)) {
      return openai
        ? fail(res, 404, `The model '${model}' does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found')
        : fail(res, 400, `Unsupported model: ${model}`, 'invalid_request_error', 'invalid_model');
    }
    const voices = String(voice ?? '')
      .split(/[+-]/)
      .map((item) => item.replace(/\(.*\)$/, '').trim());
    const missing = voices.find((item) => !known.includes(item));
    if (missing !== undefined) return fail(res, 400, `Voice '${missing}' not found`, 'invalid_request_error', 'validation_error');

    const format = response_format as AudioFormat;
    const streamed = openai || body.stream !== false;
    const seconds = Math.max(0.25, input.length * (options.secondsPerCharacter ?? 0.01)) / speed;
    const bytes = await encode(tone(seconds), format, streamed && fault.kind !== 'malformed');
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[format] };
    if (fault.kind === 'malformed') {
      const broken =
        fault.how === 'garbage'
          ? Buffer.from('<html><body>502 Bad Gateway</body></html>')
          : bytes.subarray(0, Math.floor(bytes.length * 0.6));
      res.writeHead(200, { ...headers, 'content-length': String(broken.length) }).end(broken);
      return;
    }
    res.writeHead(200, streamed ? headers : { ...headers, 'content-length': String(bytes.length) });
    const parts = pieces(bytes, fault.kind === 'slow' ? 16 : 8);
    for (let i = 0; i < parts.length; i++) {
      if (res.destroyed) return;
      if (fault.kind === 'drop' && i === Math.floor(parts.length / 2)) return void res.socket?.destroy();
      if (fault.kind === 'hold' && i === parts.length - 1) await fault.release;
      res.write(parts[i]);
      await (fault.kind === 'slow' ? wait(fault.delayMs) : nextTick());
    }
    res.end();
  }

  const loopback = await listenOnLoopback(answer, (res, error) => fail(res, 500, error.message, 'server_error', 'processing_error'));
  return {
    url: `${loopback.origin}/v1`,
    requests,
    faults,
    voiceFaults,
    voiceListings: () => voiceListings,
    close: () => loopback.close(),
  };
}
