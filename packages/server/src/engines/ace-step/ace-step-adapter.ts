import type { EngineCapabilities } from '../../ports/engine.js';
import type { EngineAdapter } from '../../ports/engine-adapter.js';
import { remoteEngine } from '../remote/remote-engine.js';
import { upstreamBaseUrl, upstreamClient } from '../remote/upstream-base.js';
import { parseAceStepOptions } from './ace-step-options.js';
import { type AceStepContext, generateTask } from './ace-step-task.js';

/** What ACE-Step really honours: songs, with lyrics or none, of a length asked (10..600 s). */
const CAPABILITIES: EngineCapabilities = { types: ['music'], features: ['lyrics', 'force_instrumental', 'duration'] };

/**
 * Songs from an ACE-Step 1.5 API server (`python -m acestep.api_server`; ace-step/ACE-Step-1.5
 * docs/en/API.md): `url` is the server's base, e.g. `http://gpu-box:8001`; the credential (its
 * `ACESTEP_API_KEY`, when set) is sent as a bearer key. Music rows only: each job is one task
 * (`/release_task`, `/query_result`, `/v1/audio`), resumed across attempts through the job's journal.
 */
export const aceStepAdapter: EngineAdapter = {
  remote: true,
  defaultConcurrency: 2,
  create(settings, context) {
    const options = parseAceStepOptions(settings.options);
    const client = upstreamClient(settings, context, {
      baseUrl: upstreamBaseUrl(settings.url, "the ACE-Step API server's base", 'e.g. http://gpu-box:8001'),
      // A full queue sends no Retry-After: ask again after a poll interval, doubling up to 30 s.
      busy: { firstDelayMs: options.poll_seconds * 1000, maxDelayMs: 30_000 },
    });
    const shared: AceStepContext = { client, settings, options };
    // ACE-Step writes mp3, wav and flac; opus and pcm are converted here from its flac.
    return remoteEngine(settings, {
      capabilities: CAPABILITIES,
      generate: (request, sink, call) => generateTask(shared, request, sink, call),
    });
  },
};
