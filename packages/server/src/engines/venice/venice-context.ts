import type { z } from 'zod';
import { PCM_SAMPLE_RATE } from '../../audio/encode-audio.js';
import type { ByteSink, EngineRequest } from '../../ports/engine.js';
import type { InstanceSettings } from '../../ports/engine-adapter.js';
import { type ReceiveOptions, receiveAudio } from '../remote/receive-audio.js';
import { readJsonAnswer } from '../remote/read-json.js';
import { receiveLimits } from '../remote/upstream-base.js';
import type { UpstreamClient } from '../remote/upstream-client.js';
import type { VeniceOptions } from './venice-options.js';

/** What every call of one `venice` instance shares. */
export interface VeniceContext {
  readonly client: UpstreamClient;
  readonly settings: InstanceSettings;
  readonly options: VeniceOptions;
}

const MAX_JSON_BYTES = 1024 * 1024;

/** True when an answer is JSON (a status), not audio. */
export function isJson(response: Response): boolean {
  return /json/i.test(response.headers.get('content-type') ?? '');
}

/**
 * Read a JSON answer already received (sent `streamed`, so its body is bounded here: at most
 * the request timeout and 1 MiB); malformed or unexpected JSON is an `UpstreamFailure`.
 */
export function readJson<T>(
  context: VeniceContext,
  response: Response,
  schema: z.ZodType<T>,
  what: string,
  signal: AbortSignal,
): Promise<T> {
  const { name: instance, requestTimeoutMs: timeoutMs } = context.settings;
  return readJsonAnswer(response, schema, { instance, what, limit: MAX_JSON_BYTES, signal, timeoutMs });
}

/**
 * Stream an audio answer into the sink in the format the client asked for; the measured duration.
 * `expected` is the format asked of the upstream, when its Content-Type says nothing useful.
 */
export async function receive(
  context: VeniceContext,
  response: Response,
  request: EngineRequest,
  sink: ByteSink,
  signal: AbortSignal,
  expected: EngineRequest['format'] | undefined,
): Promise<number> {
  const options: ReceiveOptions = {
    ...receiveLimits(context.settings),
    target: request.format,
    sink,
    signal,
    expected,
    // Raw pcm from this contract is s16le mono at 24 kHz, as OpenAI's and Overture's.
    pcmSampleRate: PCM_SAMPLE_RATE,
  };
  const { durationSeconds } = await receiveAudio(response, options);
  return durationSeconds;
}
