import type { EngineCapabilities } from '../../ports/engine.js';
import type { EngineAdapter } from '../../ports/engine-adapter.js';
import { remoteEngine } from '../remote/remote-engine.js';
import { upstreamBaseUrl, upstreamClient } from '../remote/upstream-base.js';
import type { VeniceContext } from './venice-context.js';
import { parseVeniceOptions } from './venice-options.js';
import { generateQueued } from './venice-queue.js';
import { generateSpeech } from './venice-speech.js';

/** The upstream speaks the whole contract: rows may claim anything it does. */
const CAPABILITIES: EngineCapabilities = {
  types: ['music', 'tts'],
  features: ['lyrics', 'lyrics_optimizer', 'force_instrumental', 'loop', 'speed', 'language_code', 'duration'],
};

/**
 * Gateway mode: resell an upstream that speaks Venice's audio contract — Venice itself, or another
 * Overture. `url` is the upstream's API base including `/api/v1`; the credential is sent as a
 * bearer key. Music rows become upstream queue jobs (resumed across attempts through the job's
 * upstream journal); tts rows a streamed `/audio/speech`.
 */
export const veniceAdapter: EngineAdapter = {
  remote: true,
  defaultConcurrency: 8,
  create(settings, context) {
    const options = parseVeniceOptions(settings.options);
    const example = 'e.g. https://api.venice.ai/api/v1 or http://gpu-box:8080/api/v1';
    const client = upstreamClient(settings, context, {
      baseUrl: upstreamBaseUrl(settings.url, "the upstream's API base including /api/v1", example),
    });
    const shared: VeniceContext = { client, settings, options };
    // Formats are asked of the upstream as they are; receiveAudio converts whatever it answers.
    return remoteEngine(settings, {
      capabilities: CAPABILITIES,
      generate: (request, sink, call) =>
        request.modelType === 'tts' ? generateSpeech(shared, request, sink, call) : generateQueued(shared, request, sink, call),
    });
  },
};
