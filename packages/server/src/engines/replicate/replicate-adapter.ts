import type { EngineCapabilities } from '../../ports/engine.js';
import type { EngineAdapter } from '../../ports/engine-adapter.js';
import { remoteEngine } from '../remote/remote-engine.js';
import { upstreamClient } from '../remote/upstream-base.js';
import type { ReplicateContext } from './replicate-api.js';
import { parseReplicateOptions } from './replicate-options.js';
import { generateReplicate } from './replicate-run.js';

/**
 * Queued music only: a prediction's file is whole only when it ends, and a cold start can take
 * minutes — no way to answer `/audio/speech` as bytes arrive. The length is the one feature
 * mapped (through the row's `duration_field`).
 */
const CAPABILITIES: EngineCapabilities = { types: ['music'], features: ['duration'] };

const API = 'https://api.replicate.com/v1';

/**
 * Replicate's hosted predictions API: each job creates one prediction of the row's model
 * (`engine_options.version`, `.model` or `.deployment`), polled until it ends, its output file
 * downloaded and converted. `url` defaults to https://api.replicate.com/v1; `api_key_env` names
 * the variable holding a Replicate API token (required).
 */
export const replicateAdapter: EngineAdapter = {
  remote: true,
  defaultConcurrency: 8,
  create(settings, context) {
    const options = parseReplicateOptions(settings.options);
    const url = (settings.url ?? API).replace(/\/+$/, '');
    let origin: string;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
      origin = parsed.origin;
    } catch {
      throw new Error(`url: "${settings.url}" is not an http or https URL (default ${API})`);
    }
    if (!settings.apiKey) throw new Error('api_key_env: required, the environment variable holding a Replicate API token (r8_…)');
    if (options.wait_seconds !== undefined && options.wait_seconds * 1000 >= settings.requestTimeoutMs)
      throw new Error(`options.wait_seconds: ${options.wait_seconds} s holds a request longer than the instance's timeout_seconds`);
    const shared: ReplicateContext = {
      settings,
      options,
      client: upstreamClient(settings, context, { baseUrl: url }),
      files: upstreamClient(settings, context, { baseUrl: '', headers: {} }),
      apiOrigin: origin,
    };
    return remoteEngine(settings, {
      capabilities: CAPABILITIES,
      generate: (request, sink, call) => generateReplicate(shared, request, sink, call),
    });
  },
};
