import { type AudioFormat, EngineRejection, type EngineRequest } from '../../ports/engine.js';
import type { UpstreamClient } from '../remote/upstream-client.js';
import { UpstreamBusy } from '../remote/upstream-errors.js';

/** What one instance settled at creation; both modes (speech and narration) use it. */
export interface SpeechUpstream {
  readonly instance: string;
  readonly client: UpstreamClient;
  /** What the upstream can answer. */
  readonly formats: readonly AudioFormat[];
  /** Send Kokoro-FastAPI's `stream: true` (its default anyway); OpenAI proper takes no such field. */
  readonly stream: boolean;
  /** Catalog voice name → upstream voice id. */
  readonly voices: Readonly<Record<string, string>>;
  /** Name of the upstream's language field (Kokoro `lang_code`, LocalAI `language`); undefined: not sent. */
  readonly languageField: string | undefined;
  /** ISO 639-1 code → the upstream's own code (Kokoro wants `a`, `b`, `e`, `f`…); absent codes go as they are. */
  readonly languages: Readonly<Record<string, string>>;
  /** Narration part size, in characters. */
  readonly maxCharacters: number;
  /** Rate of the upstream's raw `pcm` answers (OpenAI and Kokoro: 24000). */
  readonly pcmSampleRate: number;
  readonly maxResponseBytes: number;
  /** Longest wait for the next chunk of an answer. */
  readonly idleTimeoutMs: number;
}

/** Preferred fallbacks when the upstream lacks the client's format: lossless first, then what it has. */
const FALLBACK: readonly AudioFormat[] = ['wav', 'pcm', 'flac', 'mp3', 'opus', 'aac'];

/** The format to ask for when the client wants `wanted`: the same when the upstream has it, else wav (converted here). */
export function upstreamFormatFor(upstream: SpeechUpstream, wanted: AudioFormat): AudioFormat {
  if (upstream.formats.includes(wanted)) return wanted;
  return FALLBACK.find((format) => upstream.formats.includes(format)) as AudioFormat;
}

/**
 * The `/audio/speech` body. Venice → upstream: model (the row's `engine_options.model`, else the
 * public model id) → `model`; prompt (or one narration part) → `input`; voice (through the
 * `voices` map) → `voice`; format (or its fallback) → `response_format`; speed → `speed`;
 * language_code (through `languages`) → the field `language_field` names; plus `stream: true`.
 */
export function speechBody(upstream: SpeechUpstream, request: EngineRequest, input: string, format: AudioFormat): Record<string, unknown> {
  const model = typeof request.options.model === 'string' && request.options.model.length > 0 ? request.options.model : request.modelId;
  const body: Record<string, unknown> = { model, input };
  if (request.voice !== undefined) body.voice = upstream.voices[request.voice] ?? request.voice;
  body.response_format = format;
  body.speed = request.speed;
  if (upstream.stream) body.stream = true;
  if (upstream.languageField && request.languageCode) {
    body[upstream.languageField] = upstream.languages[request.languageCode] ?? request.languageCode;
  }
  return body;
}

/** A 429 that waiting will not cure: OpenAI's `insufficient_quota` (billing), not a rate limit. */
const QUOTA = /quota|billing|credit/i;

/**
 * POST `/audio/speech`; resolves with the 2xx response whose body is the audio. An exhausted
 * quota is a configuration problem (`refused`), never capacity to wait out; other errors are the
 * toolkit's (`UpstreamBusy`, `UpstreamFailure`, `EngineRejection`).
 */
export async function postSpeech(upstream: SpeechUpstream, body: Record<string, unknown>, signal: AbortSignal): Promise<Response> {
  try {
    return await upstream.client.send('/audio/speech', { json: body, streamed: true }, signal);
  } catch (error) {
    if (error instanceof UpstreamBusy && QUOTA.test(error.message)) {
      throw new EngineRejection('refused', `Upstream ${upstream.instance} refused Overture's request: ${error.message}`);
    }
    throw error;
  }
}
