/**
 * Adapter for ElevenLabs (api.elevenlabs.io, or a server that clones its routes): music rows
 * compose songs (`POST /v1/music`), make sound effects (`POST /v1/sound-generation`, row
 * `engine_options.kind: "sound_effects"`) or narrate long texts (`kind: "narration"`); tts rows
 * speak through `POST /v1/text-to-speech/{voice_id}/stream`; `GET /v1/voices` lists the voices.
 * Every call is synchronous: the audio is the answer's body, streamed into the sink as it
 * arrives. The key goes in `xi-api-key`.
 */
import type { ByteSink, Engine, EngineCallOptions, EngineCapabilities, EngineRequest, EngineResult } from '../../ports/engine.js';
import { EngineRejection } from '../../ports/engine.js';
import type { AdapterContext, EngineAdapter, InstanceSettings } from '../../ports/engine-adapter.js';
import { remoteEngine } from '../remote/remote-engine.js';
import { UpstreamClient } from '../remote/upstream-client.js';
import type { ElevenLabs } from './elevenlabs-call.js';
import { generateAudio, musicBody, soundBody } from './elevenlabs-music.js';
import { parseElevenLabsOptions, rowOptions } from './elevenlabs-options.js';
import { narrate, speak } from './elevenlabs-speech.js';
import { listVoices } from './elevenlabs-voices.js';

/**
 * Only what is mapped: lyrics (a composition plan), force_instrumental, duration (music_length_ms,
 * section durations, duration_seconds), loop (sound effects), speed (voice_settings.speed) and
 * language_code (text to speech).
 */
const CAPABILITIES: EngineCapabilities = {
  types: ['music', 'tts'],
  features: ['lyrics', 'force_instrumental', 'duration', 'loop', 'speed', 'language_code'],
};

/** Longest `system_busy` back-off, doubling from `system_busy_seconds`. */
const MAX_BACKOFF_MS = 60_000;

async function generate(upstream: ElevenLabs, request: EngineRequest, sink: ByteSink, call: EngineCallOptions): Promise<EngineResult> {
  call.signal.throwIfAborted();
  const row = rowOptions(request);
  if (request.modelType === 'tts') {
    if (row.kind !== undefined)
      throw new EngineRejection(
        'refused',
        `The catalog row ${request.modelId} is a tts row: engine_options.kind applies to music rows only`,
      );
    return speak(upstream, request, row, sink, call.signal);
  }
  if (row.kind === 'narration') return narrate(upstream, request, row, sink, call);
  if (row.kind === 'sound_effects') return generateAudio(upstream, '/v1/sound-generation', soundBody(request, row), request, sink, call);
  return generateAudio(upstream, '/v1/music', musicBody(request, row), request, sink, call);
}

function create(settings: InstanceSettings, context: AdapterContext): Engine {
  const options = parseElevenLabsOptions(settings.options);
  const url = settings.url ?? 'https://api.elevenlabs.io';
  const example = 'e.g. https://api.elevenlabs.io (without /v1)';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`url: "${url}" is not a URL (${example})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`url: must be http or https (${example})`);
  if (/\/v1\/?$/.test(parsed.pathname)) throw new Error(`url: give the API origin without /v1 (${example})`);
  const client = new UpstreamClient({
    instance: settings.name,
    baseUrl: url.replace(/\/+$/, ''),
    headers: settings.apiKey ? { 'xi-api-key': settings.apiKey } : {},
    requestTimeoutMs: settings.requestTimeoutMs,
    fetch: context.fetch,
    busy: { firstDelayMs: options.system_busy_seconds * 1000, maxDelayMs: MAX_BACKOFF_MS },
  });
  const upstream: ElevenLabs = { client, settings, options };
  // ElevenLabs answers MP3 or PCM, converted by receiveAudio to the rest.
  return remoteEngine(settings, {
    capabilities: CAPABILITIES,
    generate: (request, sink, call) => generate(upstream, request, sink, call),
    voices: (signal) => listVoices(upstream, signal),
  });
}

/** `"adapter": "elevenlabs"` in the engines file (wired into ENGINE_ADAPTERS separately). */
export const elevenlabsAdapter: EngineAdapter = { remote: true, defaultConcurrency: 2, create };
