/**
 * Test fake of the ElevenLabs API on a loopback port, answering real audio made with the
 * project's own encoders, of the length asked for. Contract as read:
 * - elevenlabs/elevenlabs-python (Fern-generated from ElevenLabs' API definition; snapshot of
 *   2026-07-23, commit 54e58995): `src/elevenlabs/music/raw_client.py` `compose` — `POST v1/music`,
 *   query `output_format` (mp3_22050_32 … mp3_44100_192, music-only mp3_48000_128…320, pcm_8000 …
 *   pcm_48000, ulaw_8000, alaw_8000, opus_48000_32…192; default "auto"), JSON `prompt` XOR
 *   `composition_plan`, `music_length_ms` (3000–600000, only with prompt), `model_id` (music_v1 |
 *   music_v2), `seed` ("cannot be used in conjunction with prompt"), `force_instrumental` (only
 *   with prompt), `respect_sections_durations`; answers the audio bytes.
 *   `types/music_prompt.py` + `song_section.py` (plan for music_v1: positive_global_styles,
 *   negative_global_styles, sections[{section_name 1–100 chars, positive_local_styles,
 *   negative_local_styles, duration_ms 3000–120000, lines ≤ 30 of ≤ 200 chars}]);
 *   `types/composition_plan.py` + `generation_chunk_input.py` (plan for music_v2: chunks[{text,
 *   duration_ms 3000–120000, positive_styles, negative_styles?}]) — "using this field with any
 *   other model will result in an error". `text_to_sound_effects/raw_client.py`: `POST
 *   v1/sound-generation` {text, loop, duration_seconds 0.5–30 or null, prompt_influence 0–1
 *   (default 0.3), model_id}. `text_to_speech/raw_client.py`: `POST v1/text-to-speech/{voice_id}`
 *   and `…/stream` {text, model_id, language_code, voice_settings{stability, similarity_boost,
 *   style, use_speaker_boost, speed}, seed 0–4294967295, previous_text, next_text, …}.
 *   `core/client_wrapper.py`: the key goes in the `xi-api-key` header. 422 bodies are FastAPI's
 *   `{"detail":[{loc,msg,type}]}` (HTTPValidationError). `voices/raw_client.py` `get_all`: `GET
 *   v1/voices` (query `show_legacy`) → `types/get_voices_response.py` `{"voices":[Voice]}`, `types/voice.py`
 *   (voice_id, name, category, labels{…}, description, preview_url, verified_languages[{language,
 *   model_id, accent, locale, preview_url}], …).
 * - elevenlabs/skills `music/references/api_reference.md` and `music/SKILL.md`: chunks up to 30,
 *   `bad_prompt` errors carry a `prompt_suggestion`, `bad_composition_plan` a
 *   `composition_plan_suggestion`; elevenlabs.io/docs/cookbooks/music/quickstart (copyrighted
 *   material → those errors). Where the suggestion sits in the body is not documented: here
 *   `detail.data.prompt_suggestion`.
 * - help.elevenlabs.io "API - Error Code 429": `too_many_concurrent_requests` (the plan's
 *   concurrency is used up) vs `system_busy` (retry); "API - Error Code 400 or 401": bodies
 *   `{"detail":{"status","message"}}` with invalid_api_key, voice_not_found, quota_exceeded,
 *   max_character_limit_exceeded. elevenlabs.io/docs/…/speed-control: speed 0.7–1.2.
 * Raw `pcm_<rate>` is s16le mono at that rate (sent as application/octet-stream); music is stereo MP3.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, encodeAudio } from '../../src/audio/encode-audio.js';
import type { PcmAudio } from '../../src/audio/pcm-audio.js';
import type { AudioFormat, ByteSink } from '../../src/ports/engine.js';
import { type ElevenLabsBody, validate } from './fake-elevenlabs-contract.js';
import { listenOnLoopback } from './fake-http-server.js';

/** What the next request suffers (first in, first out); `none` answers normally. */
export type FakeElevenLabsFault =
  | {
      readonly kind: 'none' | 'server_error' | 'hang' | 'drop' | 'unauthorized' | 'quota' | 'validation' | 'malformed_json' | 'bad_prompt';
    }
  | { readonly kind: 'concurrent' | 'system_busy'; readonly retryAfterSeconds?: number }
  /** `truncated`: the full Content-Length announced, half sent, the connection closed; `garbage`: an HTML page as audio. */
  | { readonly kind: 'malformed'; readonly how: 'truncated' | 'garbage' }
  /** The audio of `times` the length asked for (against a small `maxResponseBytes`). */
  | { readonly kind: 'oversized'; readonly times: number }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'hold'; readonly release: Promise<void> };

export interface FakeElevenLabsOptions {
  /** When set, a request without `xi-api-key: <apiKey>` is answered 401 invalid_api_key. */
  readonly apiKey?: string;
  /** Voice ids it knows (default: two); others are 400 voice_not_found. */
  readonly voices?: readonly string[];
  /** Seconds of speech per character of text (at speed 1). */
  readonly secondsPerCharacter?: number;
  /** Requests it serves at once (the plan's concurrency); more are 429 too_many_concurrent_requests. */
  readonly concurrency?: number;
}

/** One request received. */
export interface FakeElevenLabsRequest {
  readonly path: string;
  readonly outputFormat: string | null;
  readonly headers: IncomingMessage['headers'];
  readonly body: ElevenLabsBody;
}

export interface FakeElevenLabs {
  /** The API origin (no `/v1`). */
  readonly url: string;
  readonly requests: FakeElevenLabsRequest[];
  readonly faults: FakeElevenLabsFault[];
  /** Faults applied to the next `GET /v1/voices` requests (`server_error`, `unauthorized`, `hang`, `malformed_json`). */
  readonly voiceFaults: FakeElevenLabsFault[];
  /** How many times `GET /v1/voices` was asked. */
  readonly voiceListings: () => number;
  /** Requests being answered right now. */
  readonly inFlight: () => number;
  close(): Promise<void>;
}

/** Names of the premade voices the fake knows by default. */
const PREMADE_NAMES: Readonly<Record<string, string>> = { '21m00Tcm4TlvDq8ikWAM': 'Rachel', EXAVITQu4vr4xnSDxMaL: 'Sarah' };
const detail = (status: string, message: string, extra: Record<string, unknown> = {}) => ({ detail: { status, message, ...extra } });
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A tone of `seconds`: a stereo chord for music, a mono sine for speech. */
function tone(seconds: number, rate: number, channels: number): PcmAudio {
  const data = Array.from({ length: channels }, (_, c) => {
    const samples = new Float32Array(Math.max(1, Math.round(seconds * rate)));
    for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * (220 + 110 * c) * i) / rate);
    return samples;
  });
  return { sampleRate: rate, channels: data };
}

/** Encode for an `output_format`: `mp3_<rate>_<kbps>` (our encoder's bitrate), `pcm_<rate>` raw mono, `opus_48000_*` Ogg Opus. */
async function encodeFor(outputFormat: string, seconds: number, channels: number): Promise<{ bytes: Buffer; type: string }> {
  const [codec, rateText] = outputFormat.split('_') as [string, string];
  const rate = Number(rateText);
  const chunks: Uint8Array[] = [];
  const sink: ByteSink = { write: async (chunk) => void chunks.push(chunk.slice()) };
  if (codec === 'pcm') {
    const samples = tone(seconds, rate, 1).channels[0] as Float32Array;
    const bytes = Buffer.alloc(samples.length * 2);
    for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(Math.round((samples[i] as number) * 32767), i * 2);
    return { bytes, type: 'application/octet-stream' };
  }
  const format: AudioFormat = codec === 'opus' ? 'opus' : 'mp3';
  await encodeAudio(tone(seconds, format === 'opus' ? 48_000 : rate, channels), format, sink);
  return { bytes: Buffer.concat(chunks), type: CONTENT_TYPES[format] };
}

export async function startFakeElevenLabs(options: FakeElevenLabsOptions = {}): Promise<FakeElevenLabs> {
  const requests: FakeElevenLabsRequest[] = [];
  const faults: FakeElevenLabsFault[] = [];
  const voices = options.voices ?? ['21m00Tcm4TlvDq8ikWAM', 'EXAVITQu4vr4xnSDxMaL'];
  const voiceFaults: FakeElevenLabsFault[] = [];
  let voiceListings = 0;
  let inFlight = 0;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  async function answer(req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/v1/voices') return listVoices(req, res);
    let body: ElevenLabsBody;
    try {
      body = JSON.parse(text) as ElevenLabsBody;
    } catch {
      return json(res, 422, { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'value_error.jsondecode' }] });
    }
    const outputFormat = url.searchParams.get('output_format');
    requests.push({ path: url.pathname, outputFormat, headers: req.headers, body });
    const fault = faults.shift() ?? { kind: 'none' };
    if (fault.kind === 'hang') return;
    if (fault.kind === 'concurrent' || fault.kind === 'system_busy') {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      const message =
        fault.kind === 'concurrent'
          ? 'Too many concurrent requests for your subscription. Please try again later.'
          : 'Our services are experiencing high levels of traffic. Please try again.';
      return json(res, 429, detail(fault.kind === 'concurrent' ? 'too_many_concurrent_requests' : 'system_busy', message), headers);
    }
    if (fault.kind === 'server_error') return json(res, 500, detail('internal_server_error', 'An internal server error occurred.'));
    if (fault.kind === 'malformed_json')
      return void res.writeHead(502, { 'content-type': 'application/json' }).end('{"detail": {"status": "bad_gat');
    if (fault.kind === 'unauthorized' || (options.apiKey !== undefined && req.headers['xi-api-key'] !== options.apiKey))
      return json(res, 401, detail('invalid_api_key', 'Invalid API key'));
    if (fault.kind === 'quota')
      return json(res, 401, detail('quota_exceeded', 'This request exceeds your quota of 10000. You have 12 credits remaining.'));
    if (fault.kind === 'validation')
      return json(res, 422, { detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }] });
    if (fault.kind === 'bad_prompt')
      return json(
        res,
        400,
        detail('bad_prompt', 'The prompt references copyrighted material.', { data: { prompt_suggestion: 'an upbeat 60s pop song' } }),
      );

    const checked = validate(url.pathname, outputFormat, body, { voices, secondsPerCharacter: options.secondsPerCharacter ?? 0.01 });
    if ('status' in checked) return json(res, checked.status, checked.body);
    if (options.concurrency !== undefined && inFlight >= options.concurrency)
      return json(res, 429, detail('too_many_concurrent_requests', 'Too many concurrent requests for your subscription.'));
    inFlight++;
    res.on('close', () => inFlight--);
    const seconds = fault.kind === 'oversized' ? checked.seconds * fault.times : checked.seconds;
    const { bytes, type } = await encodeFor(outputFormat ?? 'mp3_44100_128', seconds, checked.channels);
    if (fault.kind === 'malformed' && fault.how === 'garbage') {
      const page = Buffer.from('<html><body>502 Bad Gateway</body></html>');
      return void res.writeHead(200, { 'content-type': type, 'content-length': String(page.length) }).end(page);
    }
    if (fault.kind === 'malformed') {
      // The full Content-Length announced, half of it sent, then the connection closed cleanly.
      res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) });
      return void res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.end());
    }
    res.writeHead(200, { 'content-type': type, 'request-id': `req-${requests.length}` });
    const size = Math.max(1, Math.ceil(bytes.length / 8));
    for (let start = 0, i = 0; start < bytes.length; start += size, i++) {
      if (res.destroyed) return;
      if (fault.kind === 'drop' && i === 4) return void res.socket?.destroy();
      if (fault.kind === 'hold' && start + size >= bytes.length) await fault.release;
      res.write(bytes.subarray(start, start + size));
      await (fault.kind === 'slow' ? wait(fault.delayMs) : new Promise((resolve) => setImmediate(resolve)));
    }
    res.end();
  }

  /** `GET /v1/voices`: the account's voices, premade ones with names, labels and verified languages. */
  function listVoices(req: IncomingMessage, res: ServerResponse) {
    voiceListings++;
    const fault = voiceFaults.shift() ?? { kind: 'none' };
    if (fault.kind === 'hang') return;
    if (fault.kind === 'server_error') return json(res, 500, detail('internal_server_error', 'An internal server error occurred.'));
    if (fault.kind === 'malformed_json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"voices": [{');
    if (fault.kind === 'unauthorized' || (options.apiKey !== undefined && req.headers['xi-api-key'] !== options.apiKey))
      return json(res, 401, detail('invalid_api_key', 'Invalid API key'));
    json(res, 200, {
      voices: voices.map((voice_id, i) => ({
        voice_id,
        name: PREMADE_NAMES[voice_id] ?? `Voice ${i + 1}`,
        category: 'premade',
        labels: { accent: 'american', gender: 'female', use_case: 'narration' },
        description: null,
        preview_url: `https://storage.example/${voice_id}.mp3`,
        verified_languages: [{ language: 'en', model_id: 'eleven_multilingual_v2', accent: 'american', locale: 'en-US' }],
        is_legacy: false,
      })),
    });
  }

  const loopback = await listenOnLoopback(answer, (res, error) => json(res, 500, detail('internal_server_error', error.message)));
  return {
    url: loopback.origin,
    requests,
    faults,
    voiceFaults,
    voiceListings: () => voiceListings,
    inFlight: () => inFlight,
    close: () => loopback.close(),
  };
}
