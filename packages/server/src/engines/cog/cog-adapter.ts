import type { AudioFormat, EngineCapabilities } from '../../ports/engine.js';
import type { EngineAdapter } from '../../ports/engine-adapter.js';
import { UpstreamClient } from '../remote/upstream-client.js';
import { parseCogOptions } from './cog-options.js';
import type { CogContext } from './cog-prediction.js';
import { generateCog } from './cog-run.js';

/** Whatever the model writes, receiveAudio converts it to these (aac has no encoder in this build). */
const FORMATS: readonly AudioFormat[] = ['mp3', 'wav', 'flac', 'opus', 'pcm'];

/**
 * Queued music only: a Cog prediction answers its file when it ends, never as bytes arrive, so
 * `/audio/speech` would gain nothing but a long wait. The length is the one feature mapped
 * (through the row's `duration_field`).
 */
const CAPABILITIES: EngineCapabilities = { types: ['music'], features: ['duration'] };

/**
 * A Replicate Cog model container (`cog predict`'s HTTP server, coglet or the legacy Python one)
 * serving an audio model — MusicGen, Stable Audio Open, any model whose input the row's
 * `engine_options` map (`prompt_field`, `duration_field`, `seed_field`, `format_field`, fixed
 * `input`). `url` is the container's base (e.g. `http://gpu-box:5000`); an `api_key_env` key is
 * sent as a bearer token (for a proxy in front of Cog, which has no auth) and signs webhook URLs.
 * Predictions are `PUT /predictions/{id}` with Overture's id: synchronous by default, or
 * asynchronous with a webhook when `webhook_url` is set.
 */
export const cogAdapter: EngineAdapter = {
  remote: true,
  defaultConcurrency: 1,
  create(settings, context) {
    const options = parseCogOptions(settings.options);
    const example = 'e.g. http://gpu-box:5000';
    if (!settings.url) throw new Error(`url: required, the Cog container's base URL (${example})`);
    let protocol: string;
    try {
      protocol = new URL(settings.url).protocol;
    } catch {
      throw new Error(`url: "${settings.url}" is not a URL (${example})`);
    }
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`url: must be http or https (${example})`);
    const base = {
      instance: settings.name,
      baseUrl: settings.url.replace(/\/+$/, ''),
      headers: (settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) as Record<string, string>,
      fetch: context.fetch,
      busy: { firstDelayMs: options.poll_seconds * 1000, maxDelayMs: Math.max(options.poll_seconds * 1000, 30_000) },
    };
    const shared: CogContext = {
      settings,
      options,
      client: new UpstreamClient({ ...base, requestTimeoutMs: settings.requestTimeoutMs }),
      predictClient: new UpstreamClient({ ...base, requestTimeoutMs: options.predict_timeout_seconds * 1000 }),
      files: new UpstreamClient({ ...base, baseUrl: '', headers: {}, requestTimeoutMs: settings.requestTimeoutMs }),
    };
    return {
      name: settings.name,
      formats: FORMATS,
      concurrency: settings.concurrency,
      capabilities: CAPABILITIES,
      generate: (request, sink, call) => generateCog(shared, request, sink, call),
    };
  },
};
