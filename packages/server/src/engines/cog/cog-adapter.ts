import type { EngineCapabilities } from '../../ports/engine.js';
import type { EngineAdapter } from '../../ports/engine-adapter.js';
import { remoteEngine } from '../remote/remote-engine.js';
import { upstreamBaseUrl, upstreamClient } from '../remote/upstream-base.js';
import { parseCogOptions } from './cog-options.js';
import type { CogContext } from './cog-prediction.js';
import { generateCog } from './cog-run.js';

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
    const baseUrl = upstreamBaseUrl(settings.url, "the Cog container's base URL", 'e.g. http://gpu-box:5000');
    const busy = { firstDelayMs: options.poll_seconds * 1000, maxDelayMs: Math.max(options.poll_seconds * 1000, 30_000) };
    const shared: CogContext = {
      settings,
      options,
      client: upstreamClient(settings, context, { baseUrl, busy }),
      predictClient: upstreamClient(settings, context, { baseUrl, busy, requestTimeoutMs: options.predict_timeout_seconds * 1000 }),
      files: upstreamClient(settings, context, { baseUrl: '', headers: {}, busy }),
    };
    return remoteEngine(settings, {
      capabilities: CAPABILITIES,
      generate: (request, sink, call) => generateCog(shared, request, sink, call),
    });
  },
};
