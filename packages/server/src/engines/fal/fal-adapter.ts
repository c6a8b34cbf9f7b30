import type { EngineFeature } from '../../ports/engine.js';
import type { EngineAdapter } from '../../ports/engine-adapter.js';
import { remoteEngine } from '../remote/remote-engine.js';
import { upstreamBaseUrl, upstreamClient } from '../remote/upstream-base.js';
import { parseFalOptions } from './fal-options.js';
import type { FalContext } from './fal-http.js';
import { generateQueued } from './fal-queue.js';

/**
 * Music and sound from fal.ai's queue: `url` is the queue's base (`https://queue.fal.run`), the
 * credential a fal key (sent as `Authorization: Key …`). Each catalog row names its app in
 * `engine_options.model` (e.g. `fal-ai/stable-audio`) and, when the defaults do not fit, how the
 * request maps onto its input (see fal-input.ts). Music rows only: each job is one fal request,
 * resumed across attempts through the job's journal and cancelled when abandoned.
 */
export const falAdapter: EngineAdapter = {
  remote: true,
  defaultConcurrency: 4,
  create(settings, context) {
    const options = parseFalOptions(settings.options);
    const baseUrl = upstreamBaseUrl(settings.url, "fal's queue base", 'e.g. https://queue.fal.run');
    if (!settings.apiKey) throw new Error('api_key_env: required, the variable holding the fal key (e.g. FAL_KEY)');
    const busy = { firstDelayMs: options.poll_seconds * 1000, maxDelayMs: 30_000 };
    const shared: FalContext = {
      queue: upstreamClient(settings, context, { baseUrl, headers: { authorization: `Key ${settings.apiKey}` }, busy }),
      // The output's files live on fal's CDN (or wherever the app put them): fetched without the key.
      files: upstreamClient(settings, context, { baseUrl: '', headers: {}, busy }),
      settings,
      options,
    };
    const features: EngineFeature[] = ['duration', ...options.features];
    return remoteEngine(settings, {
      capabilities: { types: ['music'], features },
      generate: (request, sink, call) => generateQueued(shared, request, sink, call),
    });
  },
};
