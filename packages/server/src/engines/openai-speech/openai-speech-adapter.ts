/**
 * Adapter for OpenAI-compatible text-to-speech servers: `POST {url}/audio/speech` as OpenAI
 * defines it (api.openai.com), Kokoro-FastAPI, LocalAI, Speaches and the like. `url` includes
 * `/v1`. Synchronous rows (`tts`) stream the upstream's answer to the client as it arrives;
 * queued rows (`music`: narration of long texts) speak the text part by part (see narrate.ts).
 */
import { z } from 'zod';
import type { ByteSink, Engine, EngineCallOptions, EngineRequest, EngineResult } from '../../ports/engine.js';
import { EngineRejection } from '../../ports/engine.js';
import type { AdapterContext, EngineAdapter, InstanceSettings } from '../../ports/engine-adapter.js';
import { receiveAudio } from '../remote/receive-audio.js';
import { remoteEngine } from '../remote/remote-engine.js';
import { UpstreamClient } from '../remote/upstream-client.js';
import { UpstreamBusy } from '../remote/upstream-errors.js';
import { narrate } from './narrate.js';
import { postSpeech, type SpeechUpstream, speechBody, upstreamFormatFor } from './speech-call.js';
import { listVoices } from './upstream-voices.js';

const UPSTREAM_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;

/** The instance's `options` in the engines file. */
export const openaiSpeechOptions = z
  .object({
    formats: z
      .array(z.enum(UPSTREAM_FORMATS, { error: `must be one of ${UPSTREAM_FORMATS.join(', ')}` }))
      .min(1, 'must list at least one format')
      .optional()
      .describe('formats the upstream can answer (default: all six)'),
    stream: z.boolean().optional().describe("send Kokoro-FastAPI's `stream: true` (default true, false for api.openai.com)"),
    voices: z.record(z.string().min(1), z.string().min(1, 'voice ids must not be empty')).optional(),
    max_characters: z.number().int().min(50, 'must be at least 50').max(100_000, 'must be at most 100000').optional(),
    language_field: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a JSON field name such as lang_code')
      .optional(),
    languages: z.record(z.string().min(2), z.string().min(1)).optional(),
    pcm_sample_rate: z.number().int().min(8000).max(192_000).optional(),
  })
  .strict();

function settingsError(name: string, error: z.ZodError): Error {
  const lines = error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  return new Error(`Engine instance "${name}" (openai-speech) has invalid options: ${lines.join('; ')}`);
}

/** A 429/503 on a synchronous request: the caller fails over to another instance or answers 503. */
async function atOnce<T>(work: Promise<T>, instance: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof UpstreamBusy) throw new EngineRejection('capacity', `${instance} is busy: ${error.message}`);
    throw error;
  }
}

/** `/audio/speech`: one upstream request, its answer streamed to the sink as bytes arrive (converted when needed). */
async function speak(upstream: SpeechUpstream, request: EngineRequest, sink: ByteSink, signal: AbortSignal): Promise<EngineResult> {
  const asked = upstreamFormatFor(upstream, request.format);
  const response = await atOnce(postSpeech(upstream, speechBody(upstream, request, request.prompt, asked), signal), upstream.instance);
  const { durationSeconds } = await receiveAudio(response, {
    instance: upstream.instance,
    target: request.format,
    sink,
    signal,
    maxBytes: upstream.maxResponseBytes,
    idleTimeoutMs: upstream.idleTimeoutMs,
    expected: asked,
    pcmSampleRate: upstream.pcmSampleRate,
  });
  return { durationSeconds };
}

function create(settings: InstanceSettings, context: AdapterContext): Engine {
  const { name } = settings;
  if (!settings.url) throw new Error(`Engine instance "${name}" (openai-speech) needs a url, e.g. http://gpu-box:8880/v1`);
  let base: URL;
  try {
    base = new URL(settings.url);
  } catch {
    throw new Error(`Engine instance "${name}" (openai-speech) has an invalid url: ${settings.url}`);
  }
  const parsed = openaiSpeechOptions.safeParse(settings.options);
  if (!parsed.success) throw settingsError(name, parsed.error);
  const options = parsed.data;
  const upstream: SpeechUpstream = {
    instance: name,
    client: new UpstreamClient({
      instance: name,
      baseUrl: settings.url.replace(/\/+$/, ''),
      headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
      requestTimeoutMs: settings.requestTimeoutMs,
      fetch: context.fetch,
    }),
    formats: options.formats ?? UPSTREAM_FORMATS,
    // OpenAI documents no `stream` field (its answer is chunked anyway): keep its body to the documented fields.
    stream: options.stream ?? base.hostname !== 'api.openai.com',
    voices: options.voices ?? {},
    languageField: options.language_field,
    languages: options.languages ?? {},
    maxCharacters: options.max_characters ?? 1000,
    pcmSampleRate: options.pcm_sample_rate ?? 24_000,
    maxResponseBytes: settings.maxResponseBytes,
    idleTimeoutMs: settings.requestTimeoutMs,
  };
  return remoteEngine(settings, {
    capabilities: { types: ['music', 'tts'], features: ['speed', 'language_code'] },
    generate(request: EngineRequest, sink: ByteSink, call: EngineCallOptions): Promise<EngineResult> {
      if (request.modelType === 'music') return narrate(upstream, request, sink, call);
      return speak(upstream, request, sink, call.signal);
    },
    // OpenAI documents no voice list (its voices are fixed: list them on the row); Kokoro-FastAPI has one.
    ...(base.hostname === 'api.openai.com' ? {} : { voices: (signal: AbortSignal) => listVoices(upstream, signal) }),
  });
}

/** `"adapter": "openai-speech"` in the engines file. */
export const openaiSpeechAdapter: EngineAdapter = { remote: true, defaultConcurrency: 4, create };
