import type { z } from 'zod';
import { PCM_SAMPLE_RATE } from '../../audio/encode-audio.js';
import type { ByteSink, EngineRequest } from '../../ports/engine.js';
import type { InstanceSettings } from '../../ports/engine-adapter.js';
import { type ReceiveOptions, receiveAudio } from '../remote/receive-audio.js';
import { receiveLimits } from '../remote/upstream-base.js';
import type { UpstreamClient } from '../remote/upstream-client.js';
import { UpstreamFailure } from '../remote/upstream-errors.js';
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
export async function readJson<T>(
  context: VeniceContext,
  response: Response,
  schema: z.ZodType<T>,
  what: string,
  signal: AbortSignal,
): Promise<T> {
  const instance = context.settings.name;
  let text: string;
  try {
    text = await readBounded(response, context.settings.requestTimeoutMs, signal);
  } catch (error) {
    signal.throwIfAborted();
    throw new UpstreamFailure(`${instance} dropped the answer to ${what}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UpstreamFailure(`${instance} answered ${what} with malformed JSON`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UpstreamFailure(`${instance} answered ${what} with an unexpected shape: ${parsed.error.message}`);
  return parsed.data;
}

/** A body as text, within `timeoutMs` and MAX_JSON_BYTES. */
async function readBounded(response: Response, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  let onAbort = () => {};
  let timer: NodeJS.Timeout | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no whole answer within ${timeoutMs} ms`)), timeoutMs);
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  stop.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    signal.throwIfAborted();
    for (;;) {
      const next = await Promise.race([reader.read(), stop]);
      if (next.done) return Buffer.concat(chunks).toString('utf8');
      size += next.value.byteLength;
      if (size > MAX_JSON_BYTES) throw new Error(`answer is over the ${MAX_JSON_BYTES}-byte limit`);
      chunks.push(next.value);
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
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
